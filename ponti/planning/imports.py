"""The rules of a row of budget amounts from the accounting system (run by `importers.py`).

The format is documented for the office in `IMPORT_FORMAT.md`. `check_row` reads one row
without writing: every error names the column and the value; the engine (ponti.core.importing)
reports them per row, and writes only a file without errors, all at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from ponti.core.confidentiality import can_see
from ponti.core.models import Ente
from ponti.core.money import AmountError, format_euro, parse_amount
from ponti.core.permissions import can

from .import_files import (
    NEW,
    UNCHANGED,
    UPDATED,
    Columns,
    RowReport,
    cell_text,
    parse_side,
    parse_year,
)
from .import_lines import (
    LINE_COLUMNS,
    check_same_definition,
    line_spec,
    new_line,
    normalise_code,
    warn_ignored_columns,
)
from .models import BudgetAmount, BudgetCode, BudgetLine, Objective, Side
from .models.budget import amount_warnings

# --- Amounts: the format ----------------------------------------------------------------------

AMOUNT_FIELDS = {
    "previsione_iniziale": "initial",
    "previsione_assestata": "revised",
    "impegnato_accertato": "committed",
    "pagato_riscosso": "cashed",
}
# «13.000» in an Italian file is thirteen thousand, but a plain reading gives 13.00: such a
# text cell is refused rather than read a thousand times too small. (Spreadsheet numbers are not text.)
AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")


def side_letter(side: str) -> str:
    return "E" if side == Side.ENTRATA else "S"


def line_label(side: str | None, number: str, description: str = "") -> str:
    head = f"{side_letter(side)} {number}" if side else number
    return f"{head} – {description}" if description else head


class Stored(NamedTuple):
    """A year's figures as stored, read as plain values (no model instance per row)."""

    pk: int
    version: int
    initial: Decimal
    revised: Decimal | None
    committed: Decimal
    cashed: Decimal


NEW_FIGURES = {
    "initial": Decimal("0.00"),
    "revised": None,
    "committed": Decimal("0.00"),
    "cashed": Decimal("0.00"),
}


@dataclass
class _Planned:
    report: RowReport
    line: BudgetLine  # a new line is saved by the write, before its amounts
    year: int
    figures: dict[str, Decimal | None]  # the four amounts as they will be
    stored: Stored | None  # None for a new amount


class Context:
    """What the validation needs from the database, read once."""

    def __init__(self, ente: Ente, user: Any) -> None:
        self.ente = ente
        self.user = user
        self.lines: dict[tuple[str, str], BudgetLine] = {
            (line.side, line.number): line
            for line in BudgetLine.objects.filter(ente=ente).select_related("objective")
        }
        self.amounts: dict[tuple[int, int], Stored] = {
            (line_id, year): Stored(*rest)
            for line_id, year, *rest in BudgetAmount.objects.filter(line__ente=ente).values_list(
                "line_id", "year", "pk", "version", *AMOUNT_FIELDS.values()
            )
        }
        self.codes: dict[tuple[str, str, str], BudgetCode] = {
            (c.level, c.side, c.code): c for c in BudgetCode.objects.all()
        }
        self.objectives: dict[str, Objective] = {
            o.code: o for o in Objective.objects.filter(ente=ente).exclude(code="")
        }
        self.new_lines: dict[tuple[str, str], tuple[BudgetLine, int]] = {}  # → (line, first row)
        self.specs: dict[tuple[str, ...], tuple[Any, list[str]]] = {}
        self.may_add_lines = can(user, "add", BudgetLine)
        self._labels: dict[str, dict[str, str]] = {}

    def labels(self, side: str) -> dict[str, str]:
        """The figures' names for a side, translated once per import (not once per row)."""
        if side not in self._labels:
            entrata = side == Side.ENTRATA
            self._labels[side] = {
                "initial": _("previsione iniziale"),
                "revised": _("previsione assestata"),
                "committed": _("accertato") if entrata else _("impegnato"),
                "cashed": _("riscosso") if entrata else _("pagato"),
            }
        return self._labels[side]

    def code(self, level: str, side: str, text: str) -> BudgetCode | None:
        return self.codes.get((level, side, normalise_code(text, level=level)))


def check_row(
    row: RowReport,
    cells: list[Any],
    columns: Columns,
    context: Context,
    seen: dict[tuple[str, str, int], int],
) -> _Planned | None:
    errors = row.errors
    number = columns.text(cells, "capitolo")
    side_text = columns.text(cells, "tipo")
    side = parse_side(side_text)
    description = columns.text(cells, "descrizione")
    row.line = line_label(side, number, description) or _("(riga senza capitolo)")

    if not number:
        errors.append(_("capitolo: manca il numero del capitolo."))
    elif len(number) > 30:
        errors.append(_("capitolo: «%(value)s» è più lungo di 30 caratteri.") % {"value": number})
    if not side_text:
        errors.append(_("tipo: manca; scrivi E (entrata) o S (spesa)."))
    elif side is None:
        errors.append(
            _("tipo: «%(value)s» non è né E (entrata) né S (spesa).") % {"value": side_text}
        )

    year_cell = columns.get(cells, "anno")
    year = parse_year(year_cell)
    if year is None:
        if cell_text(year_cell):
            errors.append(
                _("anno: «%(value)s» non è un anno (per esempio 2024).")
                % {"value": cell_text(year_cell)}
            )
        else:
            errors.append(_("anno: manca l'anno."))
    elif not 2000 <= year <= 2100:
        errors.append(
            _("anno: %(year)s non è un anno di bilancio ammesso (2000–2100).") % {"year": year}
        )
        year = None
    row.year = year

    values: dict[str, Decimal] = {}
    for column, attribute in AMOUNT_FIELDS.items():
        if column not in columns:
            continue
        raw = columns.get(cells, column)
        if isinstance(raw, str) and AMBIGUOUS.match(raw.strip().replace("€", "").strip()):
            errors.append(
                _(
                    "%(column)s: «%(value)s» è ambiguo (migliaia o decimali?): scrivi %(plain)s oppure %(italian)s."
                )
                % {
                    "column": column,
                    "value": raw.strip(),
                    "plain": raw.strip().replace(".", ""),
                    "italian": raw.strip() + ",00",
                }
            )
            continue
        try:
            parsed = parse_amount(raw)
        except AmountError as exc:
            errors.append(f"{column}: {exc}")
            continue
        if parsed is None:
            continue  # an empty cell keeps the stored value
        if parsed < 0:
            errors.append(
                _(
                    "%(column)s: «%(value)s» è negativo: gli importi di bilancio non sono mai negativi."
                )
                % {"column": column, "value": cell_text(raw)}
            )
            continue
        values[attribute] = parsed

    if side is None or not number:
        return None
    errors_before_line = len(errors)
    # A line spread over several rows (one per year) is read once: same columns, same spec.
    key = (side, *(columns.text(cells, name) for name in LINE_COLUMNS))
    cached = context.specs.get(key)
    if cached is None:
        spec_errors: list[str] = []
        cached = context.specs[key] = (
            line_spec(cells, columns, context, side, spec_errors),
            spec_errors,
        )
    spec = cached[0]
    errors.extend(cached[1])
    line = context.lines.get((side, number))
    if line is not None and not can_see(context.user, line):
        # Its number is in the user's own file; its description and figures stay undisclosed.
        errors.append(
            _("capitolo: il capitolo %(number)s è riservato: non puoi modificarne gli importi.")
            % {"number": number}
        )
        row.line = line_label(side, number)
        return None
    is_new = line is None
    if line is None:
        pending = context.new_lines.get((side, number))
        if pending is not None:
            line, first_row = pending
            check_same_definition(line, spec, first_row, errors)
        else:
            line = new_line(context, side, number, spec, errors)
            if line is not None and len(errors) == errors_before_line:
                # The line is well defined (even if this row's figures are not): later rows reuse it.
                context.new_lines[(side, number)] = (line, row.number)
    else:
        warn_ignored_columns(line, spec, row.warnings)
    if line is None:
        return None
    row.line = line_label(side, number, line.description)
    if line.example:
        row.warnings.append(
            _(
                "Il capitolo è segnato «importi di esempio»: togli il segno dalla sua pagina se ora le cifre sono reali."
            )
        )

    if year is None:
        return None
    if (side, number, year) in seen:
        errors.append(
            _("capitolo %(number)s, anno %(year)s: già presente alla riga %(row)s del file.")
            % {"number": number, "year": year, "row": seen[(side, number, year)]}
        )
        return None
    seen[(side, number, year)] = row.number
    if not line.year_allowed(year):
        objective = line.objective
        assert objective is not None
        errors.append(
            _(
                "anno: il %(year)s è fuori dall'orizzonte dell'obiettivo %(objective)s (%(start)s–%(end)s)."
            )
            % {
                "year": year,
                "objective": objective.code or objective.title,
                "start": objective.start_year,
                "end": objective.end_year,
            }
        )
        return None

    if errors:
        return None  # the row is refused: figures half-read would only make misleading warnings
    stored = None if is_new else context.amounts.get((line.pk, year))
    figures: dict[str, Decimal | None] = (
        dict(NEW_FIGURES) if stored is None else {a: getattr(stored, a) for a in NEW_FIGURES}
    )
    figures.update(values)
    # The figures need no field validators (nor a `full_clean` per row, once most of the time
    # of a file of thousands of rows): `parse_amount` refused more than 2 decimals and more than
    # MAX_AMOUNT (the columns' max_digits), negatives were refused above, the year was checked,
    # the line is known and uniqueness is known from the rows read.
    if stored is None:
        row.status = NEW
    elif any(getattr(stored, a) != figures[a] for a in NEW_FIGURES):
        row.status = UPDATED
        row.changes.extend(_changes(stored, figures, context.labels(side)))
    else:
        row.status = UNCHANGED
    forecast = figures["revised"] if figures["revised"] is not None else figures["initial"]
    row.warnings.extend(
        amount_warnings(side, forecast, figures["committed"], figures["cashed"])  # type: ignore[arg-type]
    )
    return _Planned(row, line, year, figures, stored)


def _changes(
    stored: Stored, figures: dict[str, Decimal | None], labels: dict[str, str]
) -> list[str]:
    """What changes, old → new, so the dry run shows it before anything is written."""
    parts = []
    for attribute, label in labels.items():
        old, new = getattr(stored, attribute), figures[attribute]
        if old != new:
            parts.append(f"{label}: {format_euro(old) or '—'} → {format_euro(new) or '—'}")
    return parts
