"""The dossier as an editable DOCX (python-docx), with the same sections as the PDF.

The map is left out (Word and LibreOffice do not embed our SVG reliably); the coordinates
are written instead.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.shared import Pt

from .data import Dossier, Row


def _table(doc: Any, heads: list[str], rows: list[Row], empty: str) -> None:
    if not rows:
        doc.add_paragraph(empty)
        return
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row.cells, strict=True):
            cell.text = text


def _lines(doc: Any, rows: list[Row], empty: str) -> None:
    """Long lists (meetings, actions, gifts) as one paragraph a row: quick to write and read."""
    if not rows:
        doc.add_paragraph(empty)
        return
    for row in rows:
        p = doc.add_paragraph()
        first, *rest = row.cells
        p.add_run(first).bold = True
        tail = " · ".join(c for c in rest if c)
        if tail:
            p.add_run(" · " + tail)


def render(d: Dossier) -> bytes:
    lab, cols = d.labels, d.columns
    doc = Document()
    doc.core_properties.title = f"{d.title} — {d.subject}"
    doc.core_properties.language = d.language
    style = doc.styles["Normal"]
    style.font.size = Pt(10)
    doc.add_heading(f"{d.title}: {d.subject}", level=0)
    doc.add_paragraph(f"{lab['generated']} {d.generated_on}")

    if d.meeting:
        doc.add_heading(lab["meeting"], level=1)
        for key in ("title", "when", "where", "kind", "status"):
            if d.meeting.get(key):
                p = doc.add_paragraph()
                p.add_run(f"{lab[key]}: ").bold = True
                p.add_run(d.meeting[key])
        if d.meeting.get("agenda"):
            doc.add_heading(lab["agenda"], level=2)
            doc.add_paragraph(d.meeting["agenda"])
    if d.talking_points:
        doc.add_heading(lab["talking_points"], level=1)
        for line in d.talking_points.splitlines():
            if line.strip():
                doc.add_paragraph(line.strip())

    doc.add_heading(lab["counterpart"], level=1)
    for o in d.organisations:
        doc.add_heading(o.name, level=2)
        doc.add_paragraph(
            " · ".join(x for x in (o.kind, ", ".join(y for y in (o.city, o.country) if y)) if x)
        )
        if o.description:
            doc.add_paragraph(o.description)
        p = doc.add_paragraph()
        p.add_run(f"{lab['heads']}: ").bold = True
        p.add_run("; ".join(o.heads) or lab["none"])
        p = doc.add_paragraph()
        p.add_run(f"{lab['map']}: ").bold = True
        p.add_run(
            f"{o.latitude:.4f}, {o.longitude:.4f}"
            if o.latitude is not None and o.longitude is not None
            else lab["no_coordinates"]
        )

    doc.add_heading(lab["people"], level=1)
    if not d.people:
        doc.add_paragraph(lab["none"])
    for person in d.people:
        name = (
            person.name
            + (f", {person.title}" if person.title else "")
            + (f" — {person.role_that_day}" if person.role_that_day else "")
        )
        doc.add_heading(name, level=2)
        if person.positions:
            p = doc.add_paragraph()
            p.add_run(f"{lab['positions']}: ").bold = True
            p.add_run("; ".join(person.positions))
        if person.in_registry:
            p = doc.add_paragraph()
            p.add_run(f"{lab['met_before']}: ").bold = True
            p.add_run("; ".join(person.past_meetings) or lab["never_met"])

    doc.add_heading(lab["history"], level=1)
    doc.add_heading(lab["agreements"], level=2)
    _table(doc, cols["agreements"], d.agreements, lab["none"])
    if d.anniversaries:
        doc.add_heading(lab["anniversaries"], level=2)
        for a in d.anniversaries:
            doc.add_paragraph(a, style="List Bullet")
    doc.add_heading(lab["networks"], level=2)
    _table(doc, cols["networks"], d.networks, lab["none"])
    doc.add_heading(lab["past_meetings"], level=2)
    _lines(doc, d.past_meetings, lab["none"])
    doc.add_heading(lab["actions"], level=2)
    _lines(doc, d.actions, lab["none"])
    doc.add_heading(lab["gifts"], level=2)
    _lines(doc, d.gifts, lab["none"])
    doc.add_paragraph(lab["confidential"])

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
