"""State changes of opportunities. Pages, the API and the importer call these.

Every write runs as the acting user (the audit trail records who), in one transaction; an
update names the version it was made from (`core.services`), and the decision changes only
through `decide`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ponti.core.audit import acting_as
from ponti.core.permissions import can
from ponti.core.roles import role_in
from ponti.core.services import claim_version

from . import states
from .deadlines import DeadlineValue
from .models import Deadline, DecisionRecord, Opportunity

M2M = ("sectors",)
# The office's own fields: an import never changes them.
OFFICE_FIELDS = ("owner", "decision", "decision_reason", "notes", "confidentiality")


def values_of(opportunity: Opportunity) -> list[DeadlineValue]:
    # Sorted here, not by the database: a prefetch (the importer's) then costs no query.
    return [
        DeadlineValue(d.due_at, d.stage, d.time_zone)
        for d in sorted(opportunity.deadlines.all(), key=lambda d: (d.due_at, d.pk))
    ]


def check_deadlines(opens_on: datetime.date | None, deadlines: Sequence[DeadlineValue]) -> None:
    """A deadline is an aware instant, never before the opening day (in its own time zone)."""
    errors = []
    for d in deadlines:
        if timezone.is_naive(d.due_at):
            errors.append(_("La scadenza %(d)s non indica il fuso orario.") % {"d": d.due_at})
            continue
        if d.stage < 1:
            errors.append(_("La fase di una scadenza è 1 o più."))
        if opens_on and d.due_at.astimezone(ZoneInfo(d.time_zone)).date() < opens_on:
            errors.append(
                _("La scadenza del %(d)s precede l'apertura del %(o)s.")
                % {"d": d.local_text(), "o": opens_on.strftime("%d/%m/%Y")}
            )
    if errors:
        raise ValidationError({"deadlines": errors})


def sync_deadlines(
    opportunity: Opportunity, new: Sequence[DeadlineValue], *, delete_extra: bool = True
) -> list[tuple[Deadline, dict[str, Any] | None]]:
    """Make the opportunity's deadlines `new`, in order: each existing one is updated in place,
    missing ones are created, extra ones deleted (or kept, for an import: see the importer).
    Answers what was written: (deadline, None) when created, (deadline, fields before) when
    updated. Call inside the transaction of the opportunity's save."""
    existing = list(opportunity.deadlines.order_by("due_at", "pk"))
    written: list[tuple[Deadline, dict[str, Any] | None]] = []
    for position, value in enumerate(sorted(new, key=lambda d: (d.due_at, d.stage))):
        if position < len(existing):
            deadline = existing[position]
            before = {
                "due_at": deadline.due_at.isoformat(),
                "stage": deadline.stage,
                "time_zone": deadline.time_zone,
            }
            if (deadline.due_at, deadline.stage, deadline.time_zone) == (
                value.due_at,
                value.stage,
                value.time_zone,
            ):
                continue
            deadline.due_at, deadline.stage, deadline.time_zone = (
                value.due_at,
                value.stage,
                value.time_zone,
            )
            deadline.save()
            written.append((deadline, before))
        else:
            deadline = Deadline.objects.create(
                opportunity=opportunity,
                due_at=value.due_at,
                stage=value.stage,
                time_zone=value.time_zone,
            )
            written.append((deadline, None))
    if delete_extra:
        for deadline in existing[len(new) :]:
            deadline.delete()
    return written


def validate(opportunity: Opportunity) -> None:
    """The model's rules; of its constraints only the topic's uniqueness needs the database
    (Django checks each CheckConstraint with a query of its own: `Opportunity.clean` holds
    the same rules, and the database enforces them all anyway)."""
    opportunity.full_clean(validate_constraints=False)
    topic = opportunity.topic_identifier
    if (
        topic
        and Opportunity.objects.filter(ente_id=opportunity.ente_id, topic_identifier=topic)
        .exclude(pk=opportunity.pk)
        .exists()
    ):
        raise ValidationError(
            {
                "topic_identifier": _("L'ente segue già un'opportunità con il topic «%(t)s».")
                % {"t": topic}
            }
        )


def create_opportunity(
    *, user: Any, ente: Any, data: dict[str, Any], deadlines: Sequence[DeadlineValue] = ()
) -> Opportunity:
    """The one way in, for pages, the API and imports. `data` holds the model's fields and
    `sectors`; a new opportunity starts «da valutare» (the decision moves through `decide`)."""
    if not can(user, "add", Opportunity, ente):
        raise PermissionDenied(_("Non puoi aggiungere opportunità per questo ente."))
    plain = {k: v for k, v in data.items() if k not in M2M}
    plain.pop("decision", None)
    check_deadlines(plain.get("opens_on"), deadlines)
    with acting_as(user), transaction.atomic():
        opportunity = Opportunity(ente=ente, **plain)
        validate(opportunity)
        opportunity.save()
        for name in M2M:
            if name in data:
                getattr(opportunity, name).set(data[name])
        sync_deadlines(opportunity, deadlines)
    return opportunity


def update_opportunity(
    opportunity: Opportunity,
    *,
    user: Any,
    data: dict[str, Any],
    expected_version: int | None,
    deadlines: Sequence[DeadlineValue] | None = None,
) -> Opportunity:
    """Change the fields in `data` (and the deadlines, when given) if nobody saved since
    `expected_version`. The decision changes only through `decide`."""
    if "decision" in data:
        raise ValueError("The decision changes only through decide().")
    plain = {k: v for k, v in data.items() if k not in M2M}
    for key, value in plain.items():
        setattr(opportunity, key, value)
    validate(opportunity)
    if deadlines is not None:
        check_deadlines(opportunity.opens_on, deadlines)
    with acting_as(user), transaction.atomic():
        claim_version(opportunity, expected_version)
        opportunity.save()
        for name in M2M:
            if name in data:
                getattr(opportunity, name).set(data[name])
        if deadlines is not None:
            sync_deadlines(opportunity, deadlines)
    return opportunity


def decide(opportunity: Opportunity, target: str, *, user: Any, reason: str = "") -> Opportunity:
    """Move the decision to `target` if the steps and the user's role in the opportunity's
    ente allow it; «scartata» needs a reason. Recorded as a step (who, when, why)."""
    step = states.find(opportunity.decision, target)
    if step is None:
        raise ValidationError(
            {
                "decision": _("Passaggio non consentito: da «%(a)s» a «%(b)s».")
                % {
                    "a": states.Decision(opportunity.decision).label,
                    "b": states.Decision(target).label
                    if target in states.Decision.values
                    else target,
                }
            }
        )
    if not (user.is_superuser or role_in(user, opportunity.ente_id) in step.roles):
        raise PermissionDenied(_("Il tuo ruolo non può eseguire questo passaggio."))
    reason = (reason or "").strip()
    if step.needs_reason and not reason:
        raise ValidationError({"reason": _("Indica perché l'opportunità è scartata.")})
    with acting_as(user), transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if locked.decision != opportunity.decision:
            raise ValidationError(
                {"decision": _("La decisione è cambiata nel frattempo: ricarica la pagina.")}
            )
        source = locked.decision
        locked.decision = target
        locked.decision_reason = reason if target == states.Decision.SCARTATA else ""
        locked.version += 1
        locked.save()
        DecisionRecord.objects.create(
            opportunity=locked, source=source, target=target, by=user, note=reason
        )
    opportunity.refresh_from_db()
    return opportunity


def acknowledge_deadline_change(
    opportunity: Opportunity, *, user: Any, expected_version: int | None
) -> Opportunity:
    """The office has seen that an import moved the deadlines: the flag goes."""
    with acting_as(user), transaction.atomic():
        claim_version(opportunity, expected_version)
        opportunity.deadlines_changed_at = None
        opportunity.previous_deadlines = []
        opportunity.save()
    return opportunity
