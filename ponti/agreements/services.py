"""State changes of agreements. Views, the API and commands call these."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ponti.core import uploads
from ponti.core.audit import acting_as
from ponti.core.dates import DatePrecision
from ponti.core.roles import role_in
from ponti.core.services import save_new_or_claimed, save_versioned

from . import states
from .models import (
    Agreement,
    AgreementDocument,
    AgreementKind,
    Commitment,
    Signatory,
    TransitionRecord,
)

M2M = ("partners", "sectors")


def _touch(agreement: Agreement, day: datetime.date | None = None) -> None:
    day = day or timezone.localdate()
    Agreement.objects.filter(pk=agreement.pk).update(last_activity_on=day, dormant_notified=False)
    agreement.last_activity_on = day


def twin_conflicts(
    *, ente: Any, kind: str, partners: list[Any], exclude_pk: int | None = None
) -> list[Agreement]:
    """Existing twinnings of the ente with a partner in the same country (when the ente has the rule)."""
    if kind != AgreementKind.GEMELLAGGIO or not getattr(ente, "one_twin_per_country", False):
        return []
    countries = {p.country for p in partners}
    qs = (
        Agreement.objects.filter(
            ente=ente, kind=AgreementKind.GEMELLAGGIO, partners__country__in=countries
        )
        .exclude(status=states.Status.CONCLUSO)
        .distinct()
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs)


def check_parties(ente: Any, partners: Any) -> None:
    """An agreement never joins an ente to itself: its own registry organisation is no partner."""
    own = [p for p in partners or [] if getattr(p, "represents_id", None) == ente.pk]
    if own:
        raise ValidationError(
            {
                "partners": _(
                    "«%(org)s» è la scheda dell'ente stesso nel registro: un accordo non può "
                    "legare un ente a sé stesso."
                )
                % {"org": own[0].name}
            }
        )


def create_agreement(*, user: Any, ente: Any, data: dict[str, Any]) -> Agreement:
    """The one way in, for pages, the API and imports. `data` holds the model's fields and
    `partners`/`sectors`; it may name any `status` the user's role could bring an agreement
    to (a twinning in force since 1958), with dates known in part (`signed_on` +
    `signed_precision`, `start_date` + `start_precision`), `confidence` and `source`, and
    no act or signing day when none is known. From then on `transition` governs the status."""
    plain = {k: v for k, v in data.items() if k not in M2M}
    status = plain.get("status") or states.Status.PROPOSTA
    if not states.may_create_in(
        status, role_in(user, ente.pk), superuser=getattr(user, "is_superuser", False)
    ):
        raise PermissionDenied(
            _("Il tuo ruolo non può registrare un accordo nello stato «%(s)s».")
            % {"s": states.Status(status).label if status in states.Status.values else status}
        )
    check_parties(ente, data.get("partners"))
    with acting_as(user), transaction.atomic():
        agreement = Agreement(ente=ente, **plain)
        agreement.full_clean()
        agreement.save()
        for name in M2M:
            if name in data:
                getattr(agreement, name).set(data[name])
        _touch(agreement)
    return agreement


def update_agreement(
    agreement: Agreement, *, user: Any, data: dict[str, Any], expected_version: int
) -> Agreement:
    if "status" in data:
        raise ValueError("The status changes only through transition().")
    plain = {k: v for k, v in data.items() if k not in M2M}
    if "partners" in data:
        check_parties(agreement.ente, data["partners"])
    for key, value in plain.items():
        setattr(agreement, key, value)
    agreement.full_clean()
    return save_versioned(
        agreement,
        expected_version=expected_version,
        user=user,
        m2m={k: data[k] for k in M2M if k in data},
    )


def transition(
    agreement: Agreement,
    target: str,
    *,
    user: Any,
    note: str = "",
    fields: dict[str, Any] | None = None,
) -> Agreement:
    """Move the agreement to `target` if the state machine and the user's role allow it.

    `fields` carries what the step records: the approval act, or the signing date and place.
    Everything is saved in one transaction, or nothing.
    """
    step = states.find(agreement.status, target)
    if step is None:
        raise ValidationError(
            {
                "status": _("Passaggio non consentito: da «%(a)s» a «%(b)s».")
                % {
                    "a": states.Status(agreement.status).label,
                    "b": states.Status(target).label if target in states.Status.values else target,
                }
            }
        )
    # The user's role in the agreement's own ente decides; a party ente only reads it.
    if not (user.is_superuser or role_in(user, agreement.ente_id) in step.roles):
        raise PermissionDenied(_("Il tuo ruolo non può eseguire questo passaggio."))
    fields = fields or {}
    with acting_as(user), transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status != agreement.status:
            raise ValidationError(
                {"status": _("Lo stato è cambiato nel frattempo: ricarica la pagina.")}
            )
        for key, value in fields.items():
            setattr(locked, key, value)
        if "signed_on" in fields and "signed_precision" not in fields:
            locked.signed_precision = DatePrecision.DAY  # the signing step records a day
        errors: dict[str, list[str]] = {}
        if step.needs_approval:
            for key in ("approval_body", "approval_number", "approval_date"):
                if not getattr(locked, key):
                    errors.setdefault(key, []).append(
                        _("Obbligatorio per registrare l'approvazione.")
                    )
        if step.needs_signing and not locked.signed_on:
            errors.setdefault("signed_on", []).append(_("Obbligatoria per registrare la firma."))
        if errors:
            raise ValidationError(errors)
        source = locked.status
        locked.status = target
        if target == states.Status.RINNOVATO and "renewal_date" not in fields:
            locked.renewal_date = None
        locked.full_clean()
        locked.version += 1
        locked.save()
        TransitionRecord.objects.create(
            agreement=locked, source=source, target=target, by=user, note=note
        )
        _touch(locked)
    agreement.refresh_from_db()
    return agreement


def add_signatory(
    agreement: Agreement,
    *,
    user: Any,
    side: str,
    person: Any = None,
    name: str = "",
    role: str = "",
) -> Signatory:
    """A signatory in the position held on the signing day (found automatically when known)."""
    position = None
    if (
        person is not None
        and agreement.signed_on
        and agreement.signed_precision == DatePrecision.DAY
    ):
        position = (
            person.positions.held_on(agreement.signed_on)
            .filter(organisation__in=agreement.partners.all())
            .first()
            or person.positions.held_on(agreement.signed_on).first()
        )
        if position and not role:
            role = position.role
    with acting_as(user), transaction.atomic():
        signatory = Signatory(
            agreement=agreement, side=side, person=person, position=position, name=name, role=role
        )
        signatory.full_clean()
        signatory.save()
    return signatory


def save_commitment(
    commitment: Commitment, *, user: Any, expected_version: int | None = None
) -> Commitment:
    """Create or update a commitment; an update is refused if someone saved it since."""
    owner = commitment.owner
    if (
        owner is not None
        and not owner.is_superuser
        and not owner.enti.filter(pk=commitment.agreement.ente_id).exists()
    ):
        raise ValidationError(
            {"owner": _("Il responsabile deve essere un utente dell'ente dell'accordo.")}
        )
    with acting_as(user), transaction.atomic():
        save_new_or_claimed(commitment, user=user, expected_version=expected_version)
        _touch(commitment.agreement)
    return commitment


# --- documents ---------------------------------------------------------------------------


def add_document(
    agreement: Agreement, *, user: Any, upload: Any, title: str = ""
) -> AgreementDocument:
    """Store a PDF, ODT or DOCX, checked by `ponti.core.uploads`: its size, its content (never
    its name), its archive if it is one, and the ente's quota. Raises ValidationError on "file"."""
    try:
        checked = uploads.read_upload(upload, allowed=uploads.DOCUMENTS)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    original = checked.name or "documento"
    safe_name = (
        "".join(c if c.isalnum() or c in "-_" else "-" for c in original.rsplit(".", 1)[0])[:80]
        or "documento"
    )
    with acting_as(user), transaction.atomic():
        try:
            uploads.check_quota(agreement.ente_id, checked.size)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from None
        document = AgreementDocument(
            agreement=agreement,
            title=title or original,
            original_name=original,
            content_type=checked.kind.content_type,
            size=checked.size,
            uploaded_by=user,
        )
        document.file.save(
            safe_name + checked.kind.extension, ContentFile(checked.data), save=False
        )
        document.save()
        _touch(agreement)
    return document
