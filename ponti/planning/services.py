"""Planning's state changes and sums. Views, the API, imports and other apps call these.

Other apps charge a budget line only through `record_movement` / `cancel_movements`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from ponti.core.audit import acting_as
from ponti.core.confidentiality import can_see
from ponti.core.services import claim_version, save_versioned

from .models import (
    BudgetAmount,
    BudgetLine,
    Indicator,
    IndicatorValue,
    Movement,
    MovementKind,
    Objective,
    Side,
)
from .registry import get_metric

ZERO = Decimal("0.00")


# --- Objectives, indicators --------------------------------------------------------------


def save(obj: Any, *, user: Any, expected_version: int | None = None) -> Any:
    """Create (no version) or update (with the version the user loaded) an objective, indicator or line."""
    obj.full_clean()
    if obj.pk is None or expected_version is None:
        with acting_as(user), transaction.atomic():
            obj.save()
        return obj
    return save_versioned(obj, expected_version=expected_version, user=user)


def delete(obj: Any, *, user: Any) -> None:
    """Delete an objective, indicator, line or amount; PROTECT keeps what others still use."""
    with acting_as(user), transaction.atomic():
        obj.delete()


def set_indicator_value(
    indicator: Indicator,
    *,
    year: int,
    user: Any,
    target: Decimal | None = None,
    actual: Decimal | None = None,
    source: str = "",
    expected_version: int | None = None,
    claim: bool = True,
) -> IndicatorValue:
    """Set a year's values. They are part of the indicator: the save takes the indicator's
    next version, refused if someone saved it since `expected_version` (by default, the
    version `indicator` was read with). `claim=False` when the caller has claimed it already
    for several years saved as one change."""
    value = IndicatorValue.objects.filter(indicator=indicator, year=year).first() or IndicatorValue(
        indicator=indicator, year=year
    )
    value.target, value.actual, value.source = target, actual, source
    value.full_clean()
    with acting_as(user), transaction.atomic():
        if claim:
            claim_version(indicator, expected_version)
        value.save()
    return value


@dataclass
class IndicatorYear:
    year: int
    target: Decimal | None
    actual: Decimal | None
    source: str
    computed: bool


def indicator_years(
    indicator: Indicator, years: Iterable[int] | None = None
) -> list[IndicatorYear]:
    """Target and actual for each year of the objective; a metric computes the actual."""
    objective = indicator.objective
    stored = {v.year: v for v in indicator.values.all()}
    metric = get_metric(indicator.metric) if indicator.metric else None
    rows = []
    for year in years or objective.years:
        value = stored.get(year)
        if metric is not None:
            actual: Decimal | None = metric.value(objective.ente_id, year)
            source = str(_("calcolato da Ponti: %(metric)s") % {"metric": metric.label})
        else:
            actual = value.actual if value else None
            source = value.source if value else ""
        rows.append(
            IndicatorYear(year, value.target if value else None, actual, source, metric is not None)
        )
    return rows


def achieved(indicator: Indicator, row: IndicatorYear) -> bool | None:
    """Whether the actual reaches the target in the indicator's direction of good."""
    if row.target is None or row.actual is None:
        return None
    return row.actual >= row.target if indicator.direction == "up" else row.actual <= row.target


# --- Amounts ------------------------------------------------------------------------------


def save_amount(
    amount: BudgetAmount, *, user: Any, expected_version: int | None = None
) -> list[str]:
    """Save a year's figures; returns the warnings (e.g. impegnato over the previsione) to show."""
    amount.full_clean()
    if amount.pk is None or expected_version is None:
        with acting_as(user), transaction.atomic():
            amount.save()
    else:
        save_versioned(amount, expected_version=expected_version, user=user)
    return amount.warnings()


# --- Movements: how other apps charge a budget line ----------------------------------------


def record_movement(
    *,
    source: models.Model,
    ente_id: int,
    line_id: int,
    year: int,
    amount: Decimal,
    description: str,
    user: Any,
    kind: str = MovementKind.COMMITTED,
    day: Any = None,
) -> Movement:
    """Charge `line_id` for `source` (one movement per source and kind: calling again updates it).

    Refused when the line belongs to another ente than the record, or the year is outside the
    horizon of the line's objective.
    """
    line = BudgetLine.objects.filter(pk=line_id).select_related("objective").first()
    if line is not None and getattr(user, "is_authenticated", False) and not can_see(user, line):
        line = None  # a line above the user's clearance is not disclosed, nor charged
    if line is None:
        raise ValidationError({"budget_line": _("Il capitolo di bilancio non esiste.")})
    if line.ente_id != ente_id:
        raise ValidationError(
            {
                "budget_line": _(
                    "Il capitolo %(number)s è di un altro ente: non può essere addebitato da questo record."
                )
                % {"number": line.number}
            }
        )
    source_type = ContentType.objects.get_for_model(source)
    movement = Movement.objects.filter(
        source_type=source_type, source_id=str(source.pk), kind=kind
    ).first() or Movement(source_type=source_type, source_id=str(source.pk), kind=kind)
    movement.line = line
    movement.year = year
    movement.amount = amount
    movement.description = description[:300]
    movement.source_label = str(source)[:300]
    movement.recorded_by = user if getattr(user, "is_authenticated", False) else None
    if day is not None:
        movement.day = day
    movement.full_clean()
    with acting_as(user), transaction.atomic():
        movement.save()
    return movement


def cancel_movements(*, source: models.Model, user: Any, kind: str | None = None) -> int:
    """Remove what `source` charged (the record was deleted or unlinked from the line)."""
    qs = Movement.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=str(source.pk)
    )
    if kind:
        qs = qs.filter(kind=kind)
    with acting_as(user), transaction.atomic():
        count = 0
        for movement in qs:
            movement.delete()
            count += 1
    return count


def movement_for(source: models.Model, kind: str = MovementKind.COMMITTED) -> Movement | None:
    return (
        Movement.objects.filter(
            source_type=ContentType.objects.get_for_model(source),
            source_id=str(source.pk),
            kind=kind,
        )
        .select_related("line")
        .first()
    )


def lines_charged_by(sources: list[models.Model]) -> dict[Any, BudgetLine]:
    """The line each record charges (its impegno), in one query: {record pk: line}."""
    if not sources:
        return {}
    source_type = ContentType.objects.get_for_model(sources[0])
    movements = Movement.objects.filter(
        source_type=source_type,
        source_id__in=[str(s.pk) for s in sources],
        kind=MovementKind.COMMITTED,
    ).select_related("line")
    by_id = {str(s.pk): s.pk for s in sources}
    return {by_id[m.source_id]: m.line for m in movements}


def line_choices(ente_id: int, side: str = Side.SPESA, user: Any = None) -> list[tuple[int, str]]:
    """Budget lines another app may offer in a form (e.g. the network fee's capitolo): the
    ente's lines of that side, within the user's clearance when a user is given."""
    lines = BudgetLine.objects.filter(ente_id=ente_id, side=side)
    if user is not None:
        lines = lines.for_user(user)  # the clearance in that ente, not the highest elsewhere
    return [(line.pk, str(line)) for line in lines]


# --- Totals --------------------------------------------------------------------------------


@dataclass
class YearTotals:
    """One side's sums for one year: the seed's «Totali Entrata» / «Totali Spesa»."""

    initial: Decimal = ZERO
    forecast: Decimal = ZERO
    committed: Decimal = ZERO
    cashed: Decimal = ZERO
    movements: Decimal = ZERO

    @property
    def committed_share(self) -> Decimal | None:
        return (
            None
            if not self.forecast
            else (self.committed / self.forecast * 100).quantize(Decimal("0.1"))
        )


@dataclass
class Totals:
    years: list[int]
    entrata: dict[int, YearTotals] = field(default_factory=dict)
    spesa: dict[int, YearTotals] = field(default_factory=dict)
    example: bool = False

    def side(self, side: str) -> dict[int, YearTotals]:
        return self.entrata if side == Side.ENTRATA else self.spesa


def totals(lines: models.QuerySet[BudgetLine], years: Iterable[int]) -> Totals:
    """Sums per side and year of the amounts of `lines` (one query for amounts, one for movements)."""
    years = list(years)
    result = Totals(
        years=years,
        entrata={y: YearTotals() for y in years},
        spesa={y: YearTotals() for y in years},
    )
    result.example = lines.filter(example=True).exists()
    for row in BudgetAmount.objects.filter(line__in=lines, year__in=years).values(
        "line__side", "year", "initial", "revised", "committed", "cashed"
    ):
        bucket = result.side(row["line__side"])[row["year"]]
        bucket.initial += row["initial"]
        bucket.forecast += row["revised"] if row["revised"] is not None else row["initial"]
        bucket.committed += row["committed"]
        bucket.cashed += row["cashed"]
    charged = (
        Movement.objects.filter(line__in=lines, year__in=years, kind=MovementKind.COMMITTED)
        .values_list("line__side", "year")
        .annotate(total=Sum("amount"))
    )
    for side, year, total in charged:
        result.side(side)[year].movements += total
    return result


def objective_totals(objective: Objective, user: Any = None) -> Totals:
    """The totals of an objective: its own lines and those of the objectives under it.

    For a reader (`user`), only the lines the reader may see: a riservato line's amounts are not
    revealed through a sum. Without a user (the `ponti dup-sheet` command), every line.
    """
    ids = [objective.pk, *descendant_ids(objective)]
    lines = BudgetLine.objects.filter(objective_id__in=ids)
    if user is not None:
        lines = lines.for_user(user)
    return totals(lines, objective.years)


def descendant_ids(objective: Objective) -> list[int]:
    found: list[int] = []
    frontier = [objective.pk]
    while frontier and len(found) < 10_000:
        frontier = list(
            Objective.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        found.extend(frontier)
    return found
