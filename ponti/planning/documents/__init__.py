"""Planning's documents: the DUP sheet of an objective, its «stato di attuazione», the XLSX of budget lines.

Each document is built once as a list of blocks (blocks.py, from sheet.py and progress.py), then
written by small renderers: HTML (a template; PDF is that HTML through WeasyPrint), DOCX
(python-docx) and ODT (hand-written ODF).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import translation

SHEET_FORMATS = ("html", "pdf", "odt", "docx")
REPORT_FORMATS = ("html", "pdf", "odt", "docx")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    filename: str


def _write(document: Any, fmt: str) -> Rendered:
    from . import docx, html, odt

    if fmt == "html":
        content = html.html(document).encode("utf-8")
    elif fmt == "pdf":
        content = html.pdf(document)
    elif fmt == "docx":
        content = docx.render(document)
    else:
        content = odt.render(document)
    return Rendered(content, CONTENT_TYPES[fmt], f"{document.filename}.{fmt}")


def render_sheet(objective: Any, fmt: str, *, user: Any = None) -> Rendered:
    """The DUP sheet of `objective` (strategic and operational together, as in the seed)."""
    if fmt not in SHEET_FORMATS:
        raise ValueError(f"Unknown format {fmt!r}: choose one of {', '.join(SHEET_FORMATS)}")
    from .sheet import build_sheet

    with translation.override("it"):
        return _write(build_sheet(objective, user), fmt)


def render_progress_report(objective: Any, year: int, fmt: str, *, user: Any = None) -> Rendered:
    """The «stato di attuazione» of `objective` for `year` (ValueError outside the objective's horizon)."""
    if fmt not in REPORT_FORMATS:
        raise ValueError(f"Unknown format {fmt!r}: choose one of {', '.join(REPORT_FORMATS)}")
    if year not in objective.years:
        raise ValueError(
            f"{year} is outside the horizon {objective.start_year}-{objective.end_year}"
        )
    from .progress import build_progress_report

    with translation.override("it"):
        return _write(build_progress_report(objective, year, user), fmt)
