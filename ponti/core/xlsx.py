"""A spreadsheet as an Office Open XML workbook (XLSX), written as it is read: the zip is
produced in pieces and the sheet row by row, with inline strings (no shared-string table to
hold in memory). openpyxl's write-only mode also streams rows, but builds a cell object for
every value: three times slower than the rest of an export of 10,000 agreements together.

The workbook has one sheet: a bold header row, frozen, with an auto-filter; dates and
date-times as date cells (ISO formats), amounts with a euro format, numbers as numbers.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .ods import COMPRESS_LEVEL, NOT_XML, ZipSink, as_is

EPOCH = datetime.datetime(1899, 12, 30)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Cell styles (xf index): 0 plain, 1 date, 2 date-time, 3 bold header, 4 euro amount.
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/>'
    '<numFmt numFmtId="166" formatCode="#,##0.00 &quot;€&quot;"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)


def _column(n: int) -> str:
    """The letters of the n-th column (1 → A, 27 → AA)."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_INLINE = '<c t="inlineStr"><is><t xml:space="preserve">'
_INLINE_END = "</t></is></c>"


def _text(value: str) -> str:
    # A carriage return as a reference: XML parsers turn a literal one into a line feed.
    text = escape(NOT_XML.sub("\ufffd", value), {"\r": "&#13;"})
    return f"{_INLINE}{text}{_INLINE_END}"


def cell(value: Any, money: bool = False) -> str:
    kind = type(value)
    if kind is str:
        return _text(value) if value else "<c/>"
    if value is None:
        return "<c/>"
    if kind is datetime.date:
        return f'<c s="1"><v>{(value - EPOCH.date()).days}</v></c>'
    if kind is datetime.datetime:
        delta = value.replace(tzinfo=None) - EPOCH
        return f'<c s="2"><v>{delta.days + delta.seconds / 86400:.10f}</v></c>'
    if kind in (int, float, Decimal):
        return f'<c s="4"><v>{value}</v></c>' if money else f"<c><v>{value}</v></c>"
    return _text(str(value))


def _row(number: int, values: list[Any], numbers: list[str]) -> str:
    """One `<row>`, the hot loop of an export (rows × columns): text that needs no escaping,
    numbers and empty cells are written inline from templates; every other cell by `cell`.
    `numbers` holds each column's opening of a number cell (with the euro style for amounts)."""
    if len(values) > len(numbers):
        numbers = numbers + ["<c><v>"] * (len(values) - len(numbers))
    out = [f'<row r="{number}">']
    append = out.append
    for value, opening in zip(values, numbers, strict=False):  # numbers: as long, or longer
        kind = type(value)
        if kind is str:
            if value and as_is(value):  # most cells of most exports
                append(f"{_INLINE}{value}{_INLINE_END}")
            else:
                append(_text(value) if value else "<c/>")
        elif value is None:
            append("<c/>")
        elif kind is int or kind is Decimal or kind is float:
            append(f"{opening}{value}</v></c>")
        else:
            append(cell(value))
    append("</row>")
    return "".join(out)


def xlsx_chunks(
    headers: list[Any],
    rows: Iterable[list[Any]],
    title: str,
    money: Iterable[int] = (),
    batch: int = 500,
) -> Iterator[bytes]:
    """The XLSX file in pieces: the rows are read and written `batch` at a time; `money`
    are the indexes of the columns of amounts."""
    sink = ZipSink()
    amounts = set(money)
    last = _column(max(len(headers), 1))
    with zipfile.ZipFile(  # type: ignore[call-overload]
        sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
    ) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            f'<sheet name={quoteattr(title)} sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        book.writestr("xl/styles.xml", STYLES)
        yield sink.take()
        widths = "".join(
            f'<col min="{i}" max="{i}" width="{min(max(len(str(h)) + 4, 12), 40)}" customWidth="1"/>'
            for i, h in enumerate(headers, start=1)
        )
        header = "".join(
            f'<c t="inlineStr" s="3"><is><t>{escape(str(h))}</t></is></c>' for h in headers
        )
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                (
                    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetViews>'
                    '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                    f"<cols>{widths}</cols><sheetData>"
                    f'<row r="1">{header}</row>'
                ).encode()
            )
            numbers = ['<c s="4"><v>' if i in amounts else "<c><v>" for i in range(len(headers))]
            pending: list[str] = []
            n = 1
            for n, row in enumerate(rows, start=2):  # noqa: B007 - the last row's number
                pending.append(_row(n, row, numbers))
                if len(pending) >= batch:
                    sheet.write("".join(pending).encode())
                    pending.clear()
                    yield sink.take()
            pending.append(f'</sheetData><autoFilter ref="A1:{last}{n}"/></worksheet>')
            sheet.write("".join(pending).encode())
    yield sink.take()
