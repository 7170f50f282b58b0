"""Demo enti and users: the Città Metropolitana di Firenze with two of its comuni, and the
Comune di Prato, a separate authority (Prato is a province of its own), so that a fresh
install shows how enti are kept apart.

The people are invented demo staff, not employees of these authorities; their e-mail
addresses are on example.org, a domain reserved for examples (RFC 2606). No demo user is a
superuser: the demo shows each role exactly as defined in `ponti.core.roles` (a superuser
would see every ente and every level of confidentiality, whatever the roles say).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import check_password, make_password

from ponti.core.demo import register
from ponti.core.models import Ente, EnteKind
from ponti.core.roles import Role

from .models import Membership, User
from .services import ensure_organisation, place_in_ente

DEFAULT_ENTE = "cm-firenze"  # created by core's migration 0002

# slug, name, short name, kind, city, parent slug
DEMO_ENTI = [
    (
        DEFAULT_ENTE,
        "Città Metropolitana di Firenze",
        "CM Firenze",
        EnteKind.CITTA_METROPOLITANA,
        "Firenze",
        None,
    ),
    ("comune-firenze", "Comune di Firenze", "", EnteKind.COMUNE, "Firenze", DEFAULT_ENTE),
    (
        "figline-incisa",
        "Comune di Figline e Incisa Valdarno",
        "",
        EnteKind.COMUNE,
        "Figline e Incisa Valdarno",
        DEFAULT_ENTE,
    ),
    ("prato", "Comune di Prato", "", EnteKind.COMUNE, "Prato", None),
]
FLORENCE = [DEFAULT_ENTE, "comune-firenze", "figline-incisa"]

# username, role, first name, last name (invented), enti
DEMO_USERS = [
    ("admin", Role.AMMINISTRATORE, "Marta", "Lombardi", FLORENCE),
    ("ufficio", Role.UFFICIO, "Giulia", "Bianchi", FLORENCE),
    ("consigliere", Role.CONSIGLIERE, "Alessandro", "Ferri", FLORENCE),
    ("segreteria", Role.SEGRETERIA, "Chiara", "Neri", FLORENCE),
    ("responsabile", Role.RESPONSABILE, "Paolo", "Martelli", FLORENCE),
    ("revisore", Role.REVISORE, "Lucia", "Galli", FLORENCE),
    ("admin-prato", Role.AMMINISTRATORE, "Stefano", "Rinaldi", ["prato"]),
    ("ufficio-prato", Role.UFFICIO, "Elena", "Conti", ["prato"]),
]


def load_enti() -> dict[str, Ente]:
    enti: dict[str, Ente] = {}
    for slug, name, short, kind, city, parent in DEMO_ENTI:
        ente = Ente.objects.filter(slug=slug).first() or Ente(slug=slug)
        values = {
            "name": name,
            "short_name": short or ente.short_name,
            "kind": kind,
            "city": city,
            "country": "IT",
            "parent": enti.get(parent) if parent else None,
        }
        # Saved only when something changed: a rerun leaves no audit event.
        if ente.pk is None or any(getattr(ente, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(ente, key, value)
            ente.save()
        ensure_organisation(ente)
        enti[slug] = ente
    return enti


@register(10, "accounts: enti e utenti dimostrativi")
def load_users(*, password: str, **_: Any) -> dict[str, Any]:
    """Create or reset the demo enti and users; each user ends with exactly its places and
    `password`."""
    enti = load_enti()
    logins = []
    checked: dict[str, bool] = {}
    hashed = ""
    for username, role, first_name, last_name, slugs in DEMO_USERS:
        # update_or_create saves even when nothing changed; the audit trail records
        # only real changes, so a rerun leaves no event.
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{first_name}.{last_name}@example.org".lower(),
                "is_active": True,
                "is_staff": False,
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
        wanted = {enti[s].pk for s in slugs}
        Membership.objects.filter(user=user).exclude(ente_id__in=wanted).delete()
        for slug in slugs:
            current = Membership.objects.filter(user=user, ente=enti[slug]).first()
            if current is None or current.role != role:
                place_in_ente(user, enti[slug], role)
        logins.append(
            {
                "username": username,
                "role": str(role.label),
                "ente": enti[slugs[0]].short_name or enti[slugs[0]].name,
                "name": user.get_full_name(),
                "email": user.email,
            }
        )
    return {"summary": f"{len(enti)} enti, {len(logins)} utenti", "logins": logins}
