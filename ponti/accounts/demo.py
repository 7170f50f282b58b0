"""Demo users: one per role, each a member of the default ente.

The people are invented demo staff, not employees of the Città Metropolitana; their
e-mail addresses are on example.org, a domain reserved for examples (RFC 2606).
The administrator is not a superuser: the demo shows each role exactly as it is
defined in `ponti.core.roles` (a superuser would see every ente and every level of
confidentiality, whatever the roles say).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import check_password, make_password

from ponti.core.demo import register
from ponti.core.models import Ente
from ponti.core.roles import ROLE_DEFINITIONS, Role

from .models import User
from .roles import assign_role

DEFAULT_ENTE = "cm-firenze"  # created by core's migration 0002

# username, role, first name, last name (invented)
DEMO_USERS = [
    ("admin", Role.AMMINISTRATORE, "Marta", "Lombardi"),
    ("ufficio", Role.UFFICIO, "Giulia", "Bianchi"),
    ("consigliere", Role.CONSIGLIERE, "Alessandro", "Ferri"),
    ("segreteria", Role.SEGRETERIA, "Chiara", "Neri"),
    ("responsabile", Role.RESPONSABILE, "Paolo", "Martelli"),
    ("revisore", Role.REVISORE, "Lucia", "Galli"),
]


@register(10, "accounts: utenti dimostrativi")
def load_users(*, password: str, **_: Any) -> dict[str, Any]:
    """Create or reset the demo users; each ends with exactly its role and `password`."""
    ente = Ente.objects.get(slug=DEFAULT_ENTE)
    logins = []
    checked: dict[str, bool] = {}
    hashed = ""
    for username, role, first_name, last_name in DEMO_USERS:
        # update_or_create saves even when nothing changed; the audit trail records
        # only real changes, so a rerun leaves no event.
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{first_name}.{last_name}@example.org".lower(),
                "is_active": True,
                "is_staff": ROLE_DEFINITIONS[role].staff,
                "is_superuser": False,
            },
        )
        # The demo users share one password, so they share one hash: hashing (Argon2) is
        # done once per run, and a rerun with the same password rewrites nothing.
        if user.password not in checked:
            checked[user.password] = check_password(password, user.password)
        if created or not checked[user.password]:
            hashed = hashed or make_password(password)
            user.password = hashed
            user.save(update_fields=["password"])
        other_roles = user.groups.filter(name__in=ROLE_DEFINITIONS).exclude(name=role)
        if other_roles.exists():
            user.groups.remove(*other_roles)
        if not user.groups.filter(name=role).exists():
            assign_role(user, role)
        user.enti.add(ente)
        logins.append(
            {
                "username": username,
                "role": str(role.label),
                "name": user.get_full_name(),
                "email": user.email,
            }
        )
    return {"summary": f"{len(logins)} utenti, uno per ruolo", "logins": logins}
