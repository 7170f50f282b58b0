"""The columns of the budget lines' export, which are also the headers the budget import reads
(`ponti.core.exports`): one row per line and year (a line without figures has one row with
no year), the first column the line's ID; the line and year together name the figures.

This is the one export of budget lines: the page `capitoli/?export=xlsx` (and its old
address `capitoli/capitoli.xlsx`), and the API `/budget-lines/export` (and `export.xlsx`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from ponti.core.exports import CHUNK_SIZE, Column, column, confidentiality_column, ente_column
from ponti.core.permissions import visible_queryset

from .models import BudgetAmount, BudgetLine, Objective, Side


def _code(attribute: str) -> Any:
    def get(record: tuple[BudgetLine, Any]) -> str:
        code = getattr(record[0], attribute)
        return str(code) if code is not None else ""

    return get


def _amount(attribute: str) -> Any:
    def get(record: tuple[BudgetLine, BudgetAmount | None]) -> Any:
        return getattr(record[1], attribute) if record[1] is not None else None

    return get


def _objective(record: tuple[BudgetLine, Any]) -> str:
    objective = getattr(record[0], "visible_objective", None)
    return str(objective) if objective is not None else ""


BUDGET_LINE_COLUMNS: list[Column] = [
    column("id", "ID", lambda r: r[0].pk),
    column("side", _("Entrata/Spesa"), lambda r: r[0].side, choices=Side.choices),
    column("number", _("Capitolo"), lambda r: r[0].number),
    column("description", _("Descrizione"), lambda r: r[0].description),
    column("titolo", _("Titolo"), _code("titolo")),
    column("category", _("Tipologia/Macroaggregato"), _code("category")),
    column("programma", _("Programma"), _code("programma")),
    column("objective", _("Obiettivo"), _objective),
    column("year", _("Anno"), _amount("year")),
    column("initial", _("Previsione iniziale"), _amount("initial"), money=True),
    column("revised", _("Previsione assestata"), _amount("revised"), money=True),
    column("committed", _("Accertato/Impegnato"), _amount("committed"), money=True),
    column("cashed", _("Riscosso/Pagato"), _amount("cashed"), money=True),
    column("example", _("Importi di esempio"), lambda r: r[0].example),
    column("ente", _("Ente"), lambda r: r[0].ente_id, choices=ente_column().choices),
    column(
        "confidentiality",
        _("Riservatezza"),
        lambda r: r[0].confidentiality,
        choices=confidentiality_column().choices,
    ),
]


def lines_for_export(
    lines: Any, user: Any, *, year: int | None = None
) -> Iterator[tuple[BudgetLine, BudgetAmount | None]]:
    """(line, amount) for each line of `lines` (already narrowed to the reader) and each of its
    years, or `year` only; read chunk by chunk."""
    amounts = BudgetAmount.objects.order_by("year")
    if year is not None:
        amounts = amounts.filter(year=year)
    objectives = visible_queryset(user, Objective)
    rows = (
        lines.select_related("titolo", "category", "programma")
        .prefetch_related(
            Prefetch("amounts", queryset=amounts, to_attr="export_amounts"),
            Prefetch("objective", queryset=objectives, to_attr="visible_objective"),
        )
        .order_by("side", "number", "pk")
    )
    for line in rows.iterator(chunk_size=CHUNK_SIZE):
        if line.export_amounts:
            for amount in line.export_amounts:
                yield line, amount
        elif year is None:
            yield line, None
