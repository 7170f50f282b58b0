"""Cells of every spreadsheet Ponti exports (CSV, XLSX, ODS), safe to open.

A cell that starts with = + - @, a tab or a carriage return is read as a formula by Excel and
LibreOffice: a partner named "=HYPERLINK(…)" would run in the office's spreadsheet. As the
OWASP guidance on CSV injection says, such text gets a leading apostrophe, so it is shown as
typed and never evaluated. Numbers, dates and empty cells are left as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A row for csv.writer.writerow or openpyxl's sheet.append: every text cell made safe."""
    return [safe_cell(value) for value in values]
