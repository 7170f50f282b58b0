"""The budget lines with their amounts as XLSX: one row per line and year, money as numeric cells."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ponti.core.exports import safe_row

EURO_FORMAT = '#,##0.00 "€"'
MONEY_COLUMNS = range(9, 13)  # 1-based: previsione iniziale … riscosso/pagato


def headers() -> list[str]:
    return [
        str(_("Entrata/Spesa")),
        str(_("Capitolo")),
        str(_("Descrizione")),
        str(_("Titolo")),
        str(_("Tipologia/Macroaggregato")),
        str(_("Programma")),
        str(_("Obiettivo")),
        str(_("Anno")),
        str(_("Previsione iniziale")),
        str(_("Previsione assestata")),
        str(_("Accertato/Impegnato")),
        str(_("Riscosso/Pagato")),
        str(_("Importi di esempio")),
    ]


WIDTHS = [12, 11, 48, 32, 36, 36, 40, 7, 18, 18, 18, 18, 10]


def render(lines: Any, *, year: int | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = str(_("Capitoli"))
    sheet.append(safe_row(headers()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = lines.select_related("titolo", "category", "programma", "objective").prefetch_related(
        "amounts"
    )
    for line in rows:
        for amount in line.amounts.all():
            if year is not None and amount.year != year:
                continue
            sheet.append(
                safe_row(
                    [
                        line.get_side_display(),
                        line.number,
                        line.description,
                        str(line.titolo) if line.titolo_id else "",
                        str(line.category) if line.category_id else "",
                        str(line.programma) if line.programma_id else "",
                        str(line.objective) if line.objective_id else "",
                        amount.year,
                        Decimal(amount.initial),
                        Decimal(amount.revised) if amount.revised is not None else None,
                        Decimal(amount.committed),
                        Decimal(amount.cashed),
                        str(_("sì")) if line.example else str(_("no")),
                    ]
                )
            )
    for row in sheet.iter_rows(
        min_row=2, min_col=MONEY_COLUMNS.start, max_col=MONEY_COLUMNS.stop - 1
    ):
        for cell in row:
            cell.number_format = EURO_FORMAT
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(WIDTHS))}{max(sheet.max_row, 1)}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
