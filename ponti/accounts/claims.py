"""What an identity provider's claims make of a Ponti user: who they are, their name and
e-mail, and their places in the enti. Used by single sign-on (`oidc.py`) once the provider's
ID token has been verified; every change is saved through the services and audited as the
system's.

- A user is found by the provider's stable identifier (`sub`, kept in `User.oidc_subject`),
  never by e-mail alone: anyone who controls an address at the provider would otherwise take
  over the local account that has it. With `PONTI_OIDC_LINK_BY_EMAIL` (the provider's e-mails
  are verified), a first login links to the one local user with that e-mail, never a superuser.
- Superusers (the installation's operators) never log in through the provider, and are never
  created from claims; a deactivated user is refused whatever the provider says.
- Places come from the claim `PONTI_OIDC_ROLES_CLAIM`, values "ente-slug:role" or
  "ente-slug:role:clearance". Unknown enti, roles or clearances are ignored and logged. With
  `PONTI_OIDC_ROLES_MODE=authoritative` (the default) the claim replaces the user's places at
  each login, so that a place withdrawn at the provider is gone in Ponti too; with `additive` it
  only adds and updates places. Without the claim the places are left as they are.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ponti.core.audit import acting_as
from ponti.core.confidentiality import CONFIDENTIALITY_LEVELS
from ponti.core.models import Ente
from ponti.core.roles import ROLE_DEFINITIONS, Role
from ponti.core.services import save_versioned

from . import services
from .models import Membership, User

LOGGER = logging.getLogger("ponti.accounts.oidc")
NAME_MAX = 150  # AbstractUser's username, first_name and last_name


class Refused(Exception):
    """The provider vouched for the person, but Ponti does not let them in; the message is
    for them."""


@dataclass(frozen=True)
class Place:
    ente: Ente
    role: str
    clearance: str | None


def claim(claims: dict[str, Any], path: str) -> Any:
    """The claim at `path`; a dotted path reaches into nested claims ("realm_access.roles")."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


# --- places ------------------------------------------------------------------------------


def places_from(claims: dict[str, Any]) -> list[Place] | None:
    """The places the claims give, or None when they say nothing about places."""
    name = settings.PONTI_OIDC_ROLES_CLAIM
    raw = claim(claims, name) if name else None
    if raw is None:
        return None
    values = re.split(r"[\s,]+", raw) if isinstance(raw, str) else raw
    if not isinstance(values, list):
        LOGGER.warning("Claim %s of %s is not a list: ignored", name, claims.get("sub"))
        return None
    enti = {e.slug: e for e in Ente.objects.filter(slug__in=[_slug(v) for v in values])}
    places: dict[int, Place] = {}
    for value in values:
        place = _place(value, enti)
        if place is None:
            LOGGER.warning(
                "Place %r of %s ignored: no such ente, role or clearance", value, claims.get("sub")
            )
        elif place.ente.pk in places:
            LOGGER.warning(
                "Place %r of %s ignored: a second place in that ente", value, claims.get("sub")
            )
        else:
            places[place.ente.pk] = place
    return list(places.values())


def _slug(value: Any) -> str:
    return str(value).split(":", 1)[0].strip() if isinstance(value, str) else ""


def _place(value: Any, enti: dict[str, Ente]) -> Place | None:
    if not isinstance(value, str) or not value.strip():
        return None
    parts = [part.strip() for part in value.split(":")]
    if len(parts) not in (2, 3) or parts[1] not in Role.values:
        return None
    ente, role = enti.get(parts[0]), parts[1]
    clearance = parts[2] if len(parts) == 3 else None
    if ente is None:
        return None
    if clearance is not None and (
        clearance not in CONFIDENTIALITY_LEVELS
        or CONFIDENTIALITY_LEVELS[clearance] > ROLE_DEFINITIONS[role].clearance
    ):
        return None
    return Place(ente, role, clearance)


def _apply_places(user: User, places: list[Place] | None) -> None:
    if places is None:
        return
    current = {m.ente_id: m for m in Membership.objects.filter(user=user)}
    for place in places:
        held = current.get(place.ente.pk)
        clearance = place.clearance or Membership.default_clearance(place.role)
        if held is None or (held.role, held.clearance) != (place.role, clearance):
            services.place_in_ente(user, place.ente, place.role, clearance)
    if settings.PONTI_OIDC_ROLES_MODE == "authoritative":
        wanted = {place.ente.pk for place in places}
        for ente_id, membership in current.items():
            if ente_id not in wanted:
                services.remove_place(user, membership.ente)


# --- the user ------------------------------------------------------------------------------


def _subject(claims: dict[str, Any]) -> str:
    sub = claims.get("sub")
    if not isinstance(sub, str) or not 0 < len(sub) <= 255:
        raise Refused(_("Il fornitore di identità non ha indicato chi sei."))
    return sub


def find_user(claims: dict[str, Any]) -> User | None:
    """The user the provider's `sub` belongs to; on a first login, with PONTI_OIDC_LINK_BY_EMAIL,
    the one local user with the verified e-mail (never a superuser)."""
    sub = _subject(claims)
    user = User.objects.filter(oidc_subject=sub).first()
    if user is not None or not settings.PONTI_OIDC_LINK_BY_EMAIL:
        return user
    email = claims.get("email")
    if not isinstance(email, str) or not email or claims.get("email_verified") is False:
        return None
    candidates = list(User.objects.filter(email__iexact=email, oidc_subject__isnull=True)[:2])
    if len(candidates) != 1:
        return None
    if candidates[0].is_superuser:
        LOGGER.warning("Single sign-on of %s not linked to superuser %s", sub, candidates[0])
        return None
    return candidates[0]


def _clean_username(value: Any) -> str:
    text = re.sub(r"[^\w.@+-]+", "-", value.strip()) if isinstance(value, str) else ""
    return text.strip("-")[:NAME_MAX]


def _username_taken(name: str, user: User) -> bool:
    return User.objects.filter(username__iexact=name).exclude(pk=user.pk).exists()


def _free_username(wanted: str, user: User) -> str:
    name, n = wanted, 1
    while _username_taken(name, user):
        n += 1
        name = f"{wanted[: NAME_MAX - len(str(n)) - 1]}-{n}"
    return name


def _wanted_username(claims: dict[str, Any], sub: str) -> str:
    for value in (claim(claims, settings.PONTI_OIDC_USERNAME_CLAIM), claims.get("email")):
        name = _clean_username(value)
        if name:
            return name
    return "sso-" + hashlib.sha256(sub.encode()).hexdigest()[:12]


def _identity(claims: dict[str, Any]) -> dict[str, str]:
    """The name and e-mail the claims give; a claim the provider left out changes nothing."""
    found: dict[str, str] = {}
    for field, key in (("first_name", "given_name"), ("last_name", "family_name")):
        value = claims.get(key)
        if isinstance(value, str):
            found[field] = value.strip()[:NAME_MAX]
    if "first_name" not in found and isinstance(claims.get("name"), str):
        found["first_name"] = claims["name"].strip()[:NAME_MAX]
    email = claims.get("email")
    if isinstance(email, str) and email.strip():
        try:
            validate_email(email.strip())
            found["email"] = email.strip()
        except ValidationError:
            LOGGER.warning("E-mail %r of %s ignored: not an address", email, claims.get("sub"))
    return found


def provision(claims: dict[str, Any], *, create: bool) -> User:
    """The Ponti user for verified claims: found (or created), updated, placed in its enti.

    Raises `Refused` when the person may not log in: no account and none to be created, a
    superuser, a deactivated user.
    """
    sub = _subject(claims)
    user = find_user(claims)
    if user is None:
        if not create:
            raise Refused(
                _("Non hai ancora un account in Ponti: chiedi all'Amministratore del tuo ente.")
            )
        user = User()
        user.set_unusable_password()  # they prove who they are at the provider
    if user.is_superuser:
        raise Refused(_("Chi gestisce l'installazione accede con nome utente e password."))
    if not user.is_active:
        raise Refused(
            _("Il tuo account in Ponti è disattivato: chiedi all'Amministratore del tuo ente.")
        )
    try:
        # The system's doing, not the user's: the audit trail shows no person as the actor.
        with acting_as(None), transaction.atomic():
            _apply_identity(user, claims, sub)
            _apply_places(user, places_from(claims))
    except IntegrityError as exc:  # the same first login twice at once: the other one won
        raise Refused(_("Accesso non riuscito: riprova.")) from exc
    return user


def _apply_identity(user: User, claims: dict[str, Any], sub: str) -> None:
    changes = _identity(claims)
    wanted = _wanted_username(claims, sub)
    if user.pk is None:
        changes["username"] = _free_username(wanted, user)
    elif wanted != user.username and not _username_taken(wanted, user):
        changes["username"] = wanted
    changes["oidc_subject"] = sub
    changed = {k: v for k, v in changes.items() if getattr(user, k) != v}
    if user.pk is not None and not changed:
        return
    for key, value in changed.items():
        setattr(user, key, value)
    user.full_clean(exclude=["password"])
    if user.pk is None:
        user.save()
    else:  # a stale edit of the user in the office is then refused, not lost
        save_versioned(user, expected_version=user.version, user=None)
