"""State changes of users, their memberships, their tokens, and of enti. The office's pages,
the API and the commands call these; each checks who may do it (`scope`), runs in one
transaction and is audited with the acting user."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ponti.core.audit import acting_as
from ponti.core.links import absolute
from ponti.core.models import Ente
from ponti.core.roles import Role, forget_memberships
from ponti.core.services import save_versioned

from . import lockout, scope
from .models import ApiToken, Membership, User

USER_FIELDS = ("first_name", "last_name", "email")


def _administers(by: Any, ente: Ente) -> None:
    if ente.pk not in scope.administered_ente_ids(by):
        raise PermissionDenied(_("Non amministri l'ente «%(ente)s».") % {"ente": ente})


# --- users -------------------------------------------------------------------------------


def create_user(
    *,
    by: Any,
    username: str,
    ente: Ente,
    role: str,
    clearance: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    invite: bool = True,
) -> User:
    """A new user with a place in `ente`; with `invite`, an e-mail to choose a password.

    The new user has no password until they choose one: nobody else ever knows it.
    """
    _administers(by, ente)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user._audit_ente = ente.pk  # type: ignore[attr-defined]  # its events, before its place exists
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    if invite and not email:
        raise ValidationError({"email": _("Per invitare l'utente serve il suo indirizzo e-mail.")})
    with acting_as(by), transaction.atomic():
        user.save()
        place_in_ente(user, ente, role, clearance)
        if invite:
            transaction.on_commit(lambda: send_access_link(user, invitation=True))
    return user


def update_user(target: User, *, by: Any, data: dict[str, Any], expected_version: int) -> User:
    for key, value in data.items():
        if key not in USER_FIELDS:
            raise ValueError(key)
        setattr(target, key, value)
    target.full_clean(exclude=["password"])
    return save_versioned(target, expected_version=expected_version, user=by)


def set_active(target: User, *, by: Any, active: bool) -> User:
    """Deactivate (ending every session and token, see `sessions`) or reactivate a user."""
    if not scope.runs_whole_account(by, target):
        raise PermissionDenied(
            _("L'utente appartiene anche a enti che non amministri: toglilo dal tuo ente.")
        )
    if target.pk == getattr(by, "pk", None) and not active:
        raise ValidationError({"is_active": _("Non puoi disattivare te stesso.")})
    if not active:
        for membership in Membership.objects.filter(user=target, role=Role.AMMINISTRATORE):
            _keep_one_administrator(membership.ente, leaving=target)
    if target.is_active != active:
        with acting_as(by):
            target.is_active = active
            target.save(update_fields=["is_active"])
    return target


def send_access_link(target: User, *, by: Any = None, invitation: bool = False) -> None:
    """E-mail the user a link to choose a (new) password; the lockout count is cleared."""
    if by is not None and not scope.runs_whole_account(by, target):
        raise PermissionDenied(
            _("L'utente appartiene anche a enti che non amministri: chiedi a chi li amministra.")
        )
    if not target.email:
        raise ValidationError({"email": _("L'utente non ha un indirizzo e-mail.")})
    uid = urlsafe_base64_encode(force_bytes(target.pk))
    token = default_token_generator.make_token(target)
    link = absolute(reverse("accounts:password_reset_confirm", args=[uid, token]))
    lockout.clear(target.get_username())
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": target,
            "link": link,
            "invitation": invitation,
            "authority": settings.PONTI_AUTHORITY_NAME,
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        subject = (
            _("Ponti: il tuo accesso") if invitation else _("Ponti: scegli una nuova password")
        )
        body = render_to_string("accounts/email/access_link.txt", context)
    send_mail(subject, body, None, [target.email])


# --- memberships --------------------------------------------------------------------------


def place_in_ente(user: User, ente: Ente, role: str, clearance: str | None = None) -> Membership:
    """Give `user` a role (and a clearance, by default the role's) in `ente`, unchecked: for
    trusted callers (the demo, single sign-on, tests). People use `set_membership`."""
    Role(role)  # refuses an unknown role
    membership = Membership.objects.filter(user=user, ente=ente).first() or Membership(
        user=user, ente=ente
    )
    membership.role = role
    membership.clearance = clearance or Membership.default_clearance(role)
    membership.full_clean()
    membership.save()
    forget_memberships(user)
    return membership


def remove_place(user: User, ente: Ente) -> None:
    """Take `user`'s place in `ente` away, unchecked: for trusted callers (single sign-on).
    People use `remove_membership`, which keeps every ente with an Amministratore."""
    for membership in Membership.objects.filter(user=user, ente=ente):
        membership.delete()  # one by one, so that the audit trail records it
    forget_memberships(user)


def _keep_one_administrator(ente: Ente, *, leaving: User) -> None:
    others = (
        Membership.objects.filter(ente=ente, role=Role.AMMINISTRATORE, user__is_active=True)
        .exclude(user=leaving)
        .exists()
    )
    if not others and not ente.parent_id:
        raise ValidationError(
            {
                "role": _(
                    "«%(ente)s» resterebbe senza Amministratore: nomina prima un altro utente."
                )
                % {"ente": ente}
            }
        )


def set_membership(
    target: User, *, by: Any, ente: Ente, role: str, clearance: str | None = None
) -> Membership:
    """Give `target` a role and a clearance in `ente` (a new place, or a change of one)."""
    _administers(by, ente)
    if target.is_superuser and not getattr(by, "is_superuser", False):
        raise PermissionDenied
    current = Membership.objects.filter(user=target, ente=ente).first()
    if current is not None and current.role == Role.AMMINISTRATORE and role != current.role:
        _keep_one_administrator(ente, leaving=target)
    with acting_as(by), transaction.atomic():
        return place_in_ente(target, ente, role, clearance)


def remove_membership(target: User, *, by: Any, ente: Ente) -> None:
    _administers(by, ente)
    membership = Membership.objects.filter(user=target, ente=ente).first()
    if membership is None:
        return
    if membership.role == Role.AMMINISTRATORE:
        _keep_one_administrator(ente, leaving=target)
    with acting_as(by), transaction.atomic():
        membership.delete()
        forget_memberships(target)


# --- tokens -------------------------------------------------------------------------------


def tokens_visible_to(by: Any, target: User) -> bool:
    return target.pk == getattr(by, "pk", None) or (
        scope.may_administer(by) and scope.users_for(by).filter(pk=target.pk).exists()
    )


def revoke_token(token: ApiToken, *, by: Any) -> None:
    """Its owner, or an Amministratore of one of the owner's enti, revokes a token."""
    if not tokens_visible_to(by, token.user):
        raise PermissionDenied
    reason = (
        _("revocato dal titolare")
        if token.user_id == by.pk
        else _("revocato da %(user)s") % {"user": by.get_username()}
    )
    with acting_as(by):
        token.revoke(reason)


# --- enti -----------------------------------------------------------------------------------

ENTE_FIELDS = ("name", "short_name", "kind", "city", "country", "istat_code")


def create_ente(
    *, by: Any, data: dict[str, Any], parent: Ente | None, organisation: Any = None
) -> Ente:
    """A new ente: under one the user runs, or at the top for a superuser. Its public face is
    `organisation` of the registry (one that represents no other ente), or a new one."""
    if parent is None:
        if not getattr(by, "is_superuser", False):
            raise PermissionDenied(
                _("Solo chi gestisce l'installazione crea enti di primo livello.")
            )
    else:
        _administers(by, parent)
    ente = Ente(parent=parent, **{k: v for k, v in data.items() if k in ENTE_FIELDS})
    ente.slug = _free_slug(ente.name)
    ente.full_clean()
    with acting_as(by), transaction.atomic():
        ente.save()
        _link_organisation(ente, organisation, by)
    scope_forget(by)
    return ente


def update_ente(
    ente: Ente, *, by: Any, data: dict[str, Any], parent: Any, expected_version: int
) -> Ente:
    _administers(by, ente)
    if parent is not None:
        if parent.pk in ente.descendant_ids():
            raise ValidationError(
                {"parent": _("Un ente non può stare sotto sé stesso o un suo ente.")}
            )
        _administers(by, parent)
    elif ente.parent_id is not None and not getattr(by, "is_superuser", False):
        raise ValidationError(
            {"parent": _("Solo chi gestisce l'installazione rende un ente di primo livello.")}
        )
    for key, value in data.items():
        if key in ENTE_FIELDS:
            setattr(ente, key, value)
    ente.parent = parent
    ente.full_clean()
    with transaction.atomic():
        save_versioned(ente, expected_version=expected_version, user=by)
        _sync_organisation_name(ente, by)
    scope_forget(by)
    return ente


def scope_forget(user: Any) -> None:
    if hasattr(user, "_ponti_administered"):
        del user._ponti_administered


def _free_slug(name: str) -> str:
    from django.utils.text import slugify

    base = slugify(name)[:70] or "ente"
    slug, n = base, 1
    while Ente.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


ORGANISATION_KIND = {
    "citta_metropolitana": "metro_region",
    "regione": "metro_region",
    "comune": "city",
    "unione": "city",
    "altro": "government",
}


def _link_organisation(ente: Ente, organisation: Any, by: Any) -> Any:
    from ponti.partners import services as registry

    if organisation is None:
        return registry.create_organisation(
            user=by,
            data={
                "name": ente.name,
                "kind": ORGANISATION_KIND.get(ente.kind, "city"),
                "country": ente.country or "IT",
                "city": ente.city,
                "confidentiality": "pubblico",
                "source": _("Ente che usa Ponti"),
                "represents": ente,
            },
        )
    if organisation.represents_id not in (None, ente.pk):
        raise ValidationError(
            {"organisation": _("L'organizzazione rappresenta già un altro ente.")}
        )
    return registry.update_organisation(
        organisation,
        user=by,
        data={"represents": ente},
        expected_version=organisation.version,
    )


def ensure_organisation(ente: Ente, *, by: Any = None) -> Any:
    """The ente's organisation in the registry, created if it has none yet."""
    existing = getattr(ente, "organisation", None)
    if existing is not None:
        return existing
    with acting_as(by), transaction.atomic():
        return _link_organisation(ente, None, by)


def _sync_organisation_name(ente: Ente, by: Any) -> None:
    from ponti.partners import services as registry

    org = getattr(ente, "organisation", None)
    if org is not None and org.name != ente.name:
        registry.update_organisation(
            org, user=by, data={"name": ente.name}, expected_version=org.version
        )
