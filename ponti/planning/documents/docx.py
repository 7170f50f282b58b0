"""A document as DOCX (python-docx): the same blocks, with the example notice in every page header."""

from __future__ import annotations

import io
from typing import Any

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from .blocks import Document, Field, Heading, Items, Notice, Paragraph, Table

EXAMPLE_RED = RGBColor(0x8A, 0x1C, 0x00)


def _page_field(paragraph: Any) -> None:
    """A PAGE field: Word and LibreOffice fill in the page number."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _notice(doc: Any, block: Notice) -> None:
    p = doc.add_paragraph()
    run = p.add_run(block.text)
    if block.kind == "example":
        run.bold = True
        run.font.color.rgb = EXAMPLE_RED
    else:
        run.italic = True


def _table(doc: Any, block: Table) -> None:
    if not block.caption_hidden:
        caption = doc.add_paragraph()
        caption.add_run(block.caption).italic = True
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    for index, (cell, text) in enumerate(zip(table.rows[0].cells, block.header, strict=True)):
        cell.text = text
        paragraph = cell.paragraphs[0]
        for run in paragraph.runs:
            run.bold = True
        if index in block.numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    # The header row repeats on every page.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    for row in block.rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            if index == 0 and block.row_headers:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            if index in block.numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def render(document: Document) -> bytes:
    doc = new_docx()
    doc.core_properties.title = document.title
    doc.core_properties.language = "it-IT"
    doc.core_properties.author = "Ponti"
    doc.styles["Normal"].font.size = Pt(10)
    section = doc.sections[0]
    if document.example_notice:
        head = section.header.paragraphs[0]
        run = head.add_run(document.example_notice)
        run.bold = True
        run.font.color.rgb = EXAMPLE_RED
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot = section.footer.paragraphs[0]
    foot.add_run(f"{document.footer} · ")
    _page_field(foot)
    if document.example_notice:
        _notice(doc, Notice(document.example_notice, "example"))
    for block in document.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, Field):
            p = doc.add_paragraph()
            p.add_run(block.label).bold = True
            p.add_run(" " + block.value)
        elif isinstance(block, Paragraph):
            p = doc.add_paragraph()
            p.add_run(block.text).bold = block.strong
        elif isinstance(block, Items):
            if not block.items:
                doc.add_paragraph(block.empty)
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Notice):
            _notice(doc, block)
        elif isinstance(block, Table):
            _table(doc, block)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
