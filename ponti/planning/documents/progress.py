"""The «stato di attuazione» of an objective for a year: indicators, what was done, financial execution."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ponti.core.money import format_number

from .. import registry
from ..models import Objective, ObjectiveLevel, Side
from ..services import YearTotals, achieved, indicator_years, objective_totals
from .blocks import Block, Document, Field, Heading, Items, Notice, Table, italian_date
from .sheet import described, euro, example_notice, objective_lines


def _number(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit.strip().lower() in {"euro", "€", "eur"}:
        return euro(value)
    return format_number(value, 0 if value == value.to_integral_value() else 2)


def _share(part: Decimal, whole: Decimal) -> str:
    if not whole:
        return "—"
    return f"{format_number((part / whole * 100).quantize(Decimal('0.1')), 1)} %"


def _side_labels(side: str) -> tuple[str, str]:
    if side == Side.ENTRATA:
        return str(_("Accertato")), str(_("Riscosso"))
    return str(_("Impegnato")), str(_("Pagato"))


def indicator_blocks(objective: Objective, year: int) -> list[Block]:
    blocks: list[Block] = [Heading(str(_("Indicatori")), 2)]
    indicators = list(objective.indicators.prefetch_related("values"))
    if not indicators:
        return [*blocks, Notice(str(_("Nessun indicatore definito per l'obiettivo.")), "info")]
    rows = []
    any_example = False
    for indicator in indicators:
        row = indicator_years(indicator, [year])[0]
        reached = achieved(indicator, row)
        verdict = (
            "—"
            if reached is None
            else (str(_("Sì, raggiunto")) if reached else str(_("No, non raggiunto")))
        )
        source = row.source or "—"
        if indicator.example:
            any_example = True
            source = f"{source} ({_('valori di esempio')})"
        rows.append(
            [
                f"{indicator.name} ({indicator.unit}; {str(indicator.get_direction_display()).lower()})",
                _number(row.target, indicator.unit),
                _number(row.actual, indicator.unit),
                verdict,
                source,
            ]
        )
    header = [
        str(_("Indicatore (unità; direzione)")),
        str(_("Atteso %(year)s") % {"year": year}),
        str(_("Effettivo %(year)s") % {"year": year}),
        str(_("Raggiunto")),
        str(_("Fonte")),
    ]
    blocks.append(
        Table(
            str(_("Indicatori: atteso ed effettivo nel %(year)s") % {"year": year}),
            header,
            rows,
            numeric=frozenset({1, 2}),
        )
    )
    if any_example:
        blocks.append(
            Notice(
                str(
                    _("Gli obiettivi attesi segnati «valori di esempio» sono esempi dimostrativi.")
                ),
                "info",
            )
        )
    return blocks


def done_blocks(objective: Objective, year: int, user: Any) -> list[Block]:
    blocks: list[Block] = [Heading(str(_("Attività svolte nel %(year)s") % {"year": year}), 2)]
    sections = registry.done_sections(user, objective.ente_id, year)
    if not sections:
        blocks.append(Notice(str(_("Nessuna voce")), "info"))
    for section in sections:
        blocks.append(Heading(str(section.label), 3))
        items = [
            " — ".join(part for part in (item.title, item.when, item.detail) if part)
            for item in section.items
        ]
        blocks.append(Items(items, str(_("Nessuna voce"))))
    return blocks


def finance_blocks(objective: Objective, year: int, user: Any) -> list[Block]:
    totals = objective_totals(objective, user)
    blocks: list[Block] = [Heading(str(_("Esecuzione finanziaria %(year)s") % {"year": year}), 2)]
    if totals.example:
        blocks.append(Notice(example_notice(), "example"))
    lines, hidden = objective_lines(objective, user)
    if not lines and not hidden:
        blocks.append(Notice(str(_("Nessun capitolo di bilancio collegato all'obiettivo")), "info"))
    rows = []
    for side, label in ((Side.SPESA, _("Spesa")), (Side.ENTRATA, _("Entrata"))):
        t: YearTotals = totals.side(side)[year]
        committed, cashed = _side_labels(side)
        rows.append(
            [
                str(label),
                euro(t.forecast),
                f"{committed}: {euro(t.committed)}",
                _share(t.committed, t.forecast),
                f"{cashed}: {euro(t.cashed)}",
            ]
        )
    header = [
        str(_("Parte")),
        str(_("Previsione")),
        str(_("Impegnato / Accertato")),
        str(_("% sulla previsione")),
        str(_("Pagato / Riscosso")),
    ]
    blocks.append(
        Table(
            str(_("Esecuzione finanziaria per parte nel %(year)s") % {"year": year}),
            header,
            rows,
            numeric=frozenset({1, 2, 3, 4}),
        )
    )
    if lines:
        detail = []
        for line in lines:
            amount = next((a for a in line.amounts.all() if a.year == year), None)
            forecast = amount.forecast if amount else Decimal("0")
            done = amount.committed if amount else Decimal("0")
            paid = amount.cashed if amount else Decimal("0")
            detail.append(
                [
                    f"{line.get_side_display()} {line.number}",
                    described(line),
                    euro(forecast),
                    euro(done),
                    _share(done, forecast),
                    euro(paid),
                ]
            )
        blocks.append(Heading(str(_("Dettaglio per capitolo")), 3))
        blocks.append(
            Table(
                str(_("Esecuzione per capitolo nel %(year)s") % {"year": year}),
                [
                    str(_("Capitolo")),
                    str(_("Descrizione")),
                    str(_("Previsione")),
                    str(_("Impegnato / Accertato")),
                    str(_("% sulla previsione")),
                    str(_("Pagato / Riscosso")),
                ],
                detail,
                numeric=frozenset({2, 3, 4, 5}),
                layout="lines",
            )
        )
    if hidden:
        blocks.append(
            Notice(
                str(_("Alcuni capitoli riservati non sono elencati né compresi nei totali.")),
                "info",
            )
        )
    return blocks


def build_progress_report(objective: Objective, year: int, user: Any = None) -> Document:
    if year not in objective.years:
        raise ValueError(f"{year} is outside {objective.start_year}-{objective.end_year}")
    strategic = objective.ancestor(ObjectiveLevel.STRATEGICO)
    blocks: list[Block] = [
        Heading(str(_("STATO DI ATTUAZIONE %(year)s") % {"year": year}), 1),
        Field(str(_("Obiettivo:")), f"{objective.get_level_display()} {objective}"),
    ]
    if strategic is not None and strategic.pk != objective.pk:
        blocks.append(Field(str(_("Obiettivo strategico:")), strategic.title))
    blocks += [
        Field(str(_("Mandato:")), objective.mandate or "—"),
        Field(str(_("Responsabile:")), objective.responsible or "—"),
    ]
    if objective.programma is not None:
        blocks.append(Field(str(_("Programma:")), str(objective.programma)))
    blocks.append(Field(str(_("Orizzonte:")), f"{objective.start_year}–{objective.end_year}"))
    blocks += indicator_blocks(objective, year)
    blocks += done_blocks(objective, year, user)
    blocks += finance_blocks(objective, year, user)
    totals_example = any(isinstance(b, Notice) and b.kind == "example" for b in blocks)
    code = objective.code.replace("/", "-") if objective.code else f"obiettivo-{objective.pk}"
    return Document(
        title=str(
            _("Stato di attuazione %(year)s — %(objective)s")
            % {"year": year, "objective": objective}
        ),
        filename=f"stato-di-attuazione-{code}-{year}",
        blocks=blocks,
        example_notice=example_notice() if totals_example else "",
        generated_on=italian_date(),
    )
