"""Helpers the import of amounts (`imports.py`, `import_lines.py`) still shares: the per-row report
it fills, the columns it reads and the readers of a side and a year.

Files are read, and headers mapped, by the import engine (`ponti.core.importing`); the budget
classification is a kind of its own there (`import_codes.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ponti.core.importing.files import cell_text, normalise_name

from .models import Side

NEW = "nuovo"
UPDATED = "aggiornato"
UNCHANGED = "invariato"


@dataclass
class RowReport:
    number: int  # the row number as the user sees it in the file (header = row 1)
    status: str  # "nuovo" | "aggiornato" | "invariato" | "errore"
    line: str  # what the row is about, e.g. "S 1450 – Quote associative reti"
    year: int | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # What the row changes, old → new («previsione iniziale: 1.000,00 € → 1.200,00 €»), for the dry run.
    changes: list[str] = field(default_factory=list)


@dataclass
class Columns:
    """Which cell holds each known column, from the header."""

    index: dict[str, int]
    written: dict[str, str]  # canonical name → as written in the file

    def get(self, cells: list[Any], name: str) -> Any:
        position = self.index.get(name)
        if position is None or position >= len(cells):
            return None
        return cells[position]

    def text(self, cells: list[Any], name: str) -> str:
        return cell_text(self.get(cells, name))

    def __contains__(self, name: str) -> bool:
        return name in self.index


def parse_side(text: str) -> str | None:
    key = normalise_name(text)
    if key in {"e", "entrata", "entrate"}:
        return Side.ENTRATA
    if key in {"s", "spesa", "spese", "u", "uscita", "uscite"}:
        return Side.SPESA
    return None


def parse_year(value: Any) -> int | None:
    """2024, "2024" or a spreadsheet's 2024.0; None when it is not a year."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = cell_text(value)
    return int(text) if re.fullmatch(r"\d{4}", text) else None
