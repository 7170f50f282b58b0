"""Retention per kind of person: who has had no bond for longer than their kind allows.

A bond is what makes the ente need a person's data: a position not ended, a meeting, an
agreement they signed, a working group, a decision to keep them, a recent change of their
record. The rules (legal basis and months) are global, one per kind (`RetentionRule`): a
person is one record shared by every ente. The defaults rest on art. 6.1.e GDPR (the ente's
international relations are a task in the public interest).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ponti.core.audit import acting_as
from ponti.core.dates import ImpreciseDate, ends_on_or_after

from ..models import GdprBasis, Person, PersonKind, RetentionDecision, RetentionRule

# The same values as the migration that creates the rules; used when a rule is missing.
DEFAULT_MONTHS = {
    PersonKind.INSTITUTIONAL: 60,
    PersonKind.DIPLOMAT: 60,
    PersonKind.PARTNER_STAFF: 36,
    PersonKind.CITIZEN: 24,
    PersonKind.PRESS: 36,
    PersonKind.OTHER: 24,
}

BondTest = Callable[[datetime.date], Q]
# How recent a bond is, per relation to Person, named by label so that partners imports no
# other app. A relation not named here counts as a bond whatever its date: nobody is
# proposed for erasure because of a link this code does not understand.
BONDS: dict[str, BondTest] = {
    # Dates known in part count to their last day (an end «2004» to 31 December 2004).
    "partners.position": lambda cutoff: (
        Q(end_date__isnull=True) | ends_on_or_after("end_date", "end_precision", cutoff)
    ),
    "agreements.signatory": lambda cutoff: (
        ~Q(agreement__status="concluso")
        | Q(agreement__end_date__gte=cutoff)
        | Q(agreement__signed_on__gte=cutoff)
    ),
    "meetings.participant": lambda cutoff: (
        Q(meeting__starts_at__date__gte=cutoff)
        | ends_on_or_after("meeting__date", "meeting__date_precision", cutoff)
        # A meeting with no known date: its last change stands for it.
        | Q(
            meeting__starts_at__isnull=True,
            meeting__date__isnull=True,
            meeting__updated_at__date__gte=cutoff,
        )
    ),
    "networks.workinggroup": lambda cutoff: (
        Q(until_year__isnull=True) | Q(until_year__gte=cutoff.year)
    ),
    "partners.retentiondecision": lambda cutoff: Q(decided_on__gte=cutoff),
}


def rule_for(kind: str) -> RetentionRule:
    rule = RetentionRule.objects.filter(kind=kind).first()
    if rule is None:
        rule = RetentionRule(
            kind=kind,
            legal_basis=GdprBasis.PUBLIC_TASK,
            retention_months=DEFAULT_MONTHS.get(kind, 24),  # type: ignore[call-overload]
        )
    return rule


def rules() -> list[RetentionRule]:
    return [rule_for(kind) for kind in PersonKind.values]


def months_before(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def _bonded_since(cutoff: datetime.date) -> Q:
    """People with a bond on or after `cutoff` (or one that has not ended)."""
    bonded = Q(gdpr_date__gte=cutoff) | Q(updated_at__date__gte=cutoff)
    for rel in Person._meta.related_objects:
        model = rel.related_model
        rows = model._base_manager.filter(**{rel.field.name: OuterRef("pk")})
        test = BONDS.get(model._meta.label_lower)
        if test is not None:
            rows = rows.filter(test(cutoff))
        bonded |= Q(Exists(rows))
    return bonded


def due_for_review(
    qs: models.QuerySet[Person], *, kind: str = "", today: datetime.date | None = None
) -> models.QuerySet[Person]:
    """The people of `qs` with no bond for longer than their kind's retention period."""
    today = today or timezone.localdate()
    due = Q(pk__in=[])
    for rule in rules():
        if kind and rule.kind != kind:
            continue
        cutoff = months_before(today, rule.retention_months)
        due |= Q(kind=rule.kind) & ~_bonded_since(cutoff)
    return qs.filter(erased_at__isnull=True).filter(due)


def last_bond(person: Person) -> datetime.date:
    """The day of the person's latest bond, for the review list (a few queries a person)."""
    days = [person.gdpr_date, timezone.localtime(person.updated_at).date()]
    days += [
        d
        for d in (
            ImpreciseDate.of(*pair).last_day
            for pair in person.positions.values_list("end_date", "end_precision")
        )
        if d
    ]
    days += [d for d in person.retention_decisions.values_list("decided_on", flat=True)]
    for rel in Person._meta.related_objects:
        label = rel.related_model._meta.label_lower
        rows = rel.related_model._base_manager.filter(**{rel.field.name: person})
        if label == "agreements.signatory":
            for signed, ends in rows.values_list("agreement__signed_on", "agreement__end_date"):
                days += [d for d in (signed, ends) if d]
        elif label == "meetings.participant":
            for starts, day, precision in rows.values_list(
                "meeting__starts_at", "meeting__date", "meeting__date_precision"
            ):
                if starts:
                    days.append(timezone.localtime(starts).date())
                elif day:
                    days.append(ImpreciseDate.of(day, precision).last_day or day)
        elif label == "networks.workinggroup":
            days += [
                datetime.date(y, 12, 31) for y in rows.values_list("until_year", flat=True) if y
            ]
    return max(days)


def keep(person: Person, *, user: Any, justification: str) -> RetentionDecision:
    """Keep a person past the retention period: the decision and its reason are audited, and
    the person leaves the review list for another retention period."""
    with acting_as(user), transaction.atomic():
        decision = RetentionDecision(
            person=person, decided_by=user, justification=justification.strip()
        )
        decision.full_clean()
        decision.save()
    return decision
