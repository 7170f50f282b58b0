"""A spreadsheet as an OpenDocument file (ODS), written as it is read: the zip is produced in
pieces, and content.xml row by row, so a list of 100,000 records never sits in memory (odfpy
builds the whole document as a tree first).

The file holds what LibreOffice and odfpy need: `mimetype` first and uncompressed, the
manifest, styles, and content.xml with one table. Dates are date cells (with an ISO date
style), numbers are float cells, text is a paragraph (tabs, line breaks and runs of spaces
written as ODF asks, so the cell reads back as it was).
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'office:version="1.2"'
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{MIMETYPE}" '
    'manifest:version="1.2"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {NS}>'
    "<office:styles/></office:document-styles>"
)
# Automatic styles: bold headers, ISO dates, date-times, amounts with two decimals.
AUTOMATIC_STYLES = (
    "<office:automatic-styles>"
    '<number:date-style style:name="Nd"><number:year number:style="long"/><number:text>-'
    '</number:text><number:month number:style="long"/><number:text>-</number:text>'
    '<number:day number:style="long"/></number:date-style>'
    '<number:date-style style:name="Nt"><number:year number:style="long"/><number:text>-'
    '</number:text><number:month number:style="long"/><number:text>-</number:text>'
    '<number:day number:style="long"/><number:text> </number:text>'
    '<number:hours number:style="long"/><number:text>:</number:text>'
    '<number:minutes number:style="long"/></number:date-style>'
    '<style:style style:name="ch" style:family="table-cell">'
    '<style:text-properties fo:font-weight="bold"/></style:style>'
    '<style:style style:name="cd" style:family="table-cell" style:data-style-name="Nd"/>'
    '<style:style style:name="ct" style:family="table-cell" style:data-style-name="Nt"/>'
    "</office:automatic-styles>"
)
# Characters XML 1.0 cannot carry (Ponti refuses them on input; old data might hold them).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Deflate's fast levels (1-3) take a third of the default's (6) time for a file a third
# larger: an export is sent once, over an office's network, right after it is written.
COMPRESS_LEVEL = 3
_SPECIAL = re.compile(r"[\t\n\r]|  +|^ | $")


def _paragraph(text: str) -> str:
    text = escape(NOT_XML.sub("\ufffd", text))
    if not _SPECIAL.search(text):
        return f"<text:p>{text}</text:p>"
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.replace("\t", "<text:tab/>")
        line = re.sub(r"(?<=[^ ]) ( +)|^( +)", _spaces, line)
        lines.append(line)
    return "<text:p>" + "<text:line-break/>".join(lines) + "</text:p>"


def _spaces(match: re.Match[str]) -> str:
    if match.group(1):  # after a character: keep one space, count the others
        return f' <text:s text:c="{len(match.group(1))}"/>'
    return f'<text:s text:c="{len(match.group(2))}"/>'


def cell(value: Any) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, datetime.datetime):
        iso = value.replace(tzinfo=None).isoformat(timespec="seconds")
        return (
            '<table:table-cell table:style-name="ct" office:value-type="date" '
            f'office:date-value="{iso}"><text:p>{iso.replace("T", " ")[:16]}</text:p>'
            "</table:table-cell>"
        )
    if isinstance(value, datetime.date):
        iso = value.isoformat()
        return (
            '<table:table-cell table:style-name="cd" office:value-type="date" '
            f'office:date-value="{iso}"><text:p>{iso}</text:p></table:table-cell>'
        )
    if isinstance(value, (int, float, Decimal)):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    # The characters XML cannot carry replaced in the attribute too, not only in the paragraph.
    text = NOT_XML.sub("\ufffd", str(value))
    return (
        f'<table:table-cell office:value-type="string" office:string-value={quoteattr(text)}>'
        f"{_paragraph(text)}</table:table-cell>"
        if _SPECIAL.search(text)
        else f'<table:table-cell office:value-type="string">{_paragraph(text)}</table:table-cell>'
    )


def as_is(text: str) -> bool:
    """Whether text goes into XML as it is: printable (no control character, tab or line
    break), without & < >. Checked before any escaping: most cells need none."""
    return text.isprintable() and "&" not in text and "<" not in text and ">" not in text


_STRING = '<table:table-cell office:value-type="string"><text:p>'
_STRING_END = "</text:p></table:table-cell>"


def _row(values: list[Any]) -> str:
    """One `<table:table-row>`, the hot loop of an export (rows × columns): text that needs
    neither escaping nor ODF's spaces, tabs and line breaks, integers and empty cells are
    written inline from templates; every other cell by `cell`."""
    out = ["<table:table-row>"]
    append = out.append
    for value in values:
        kind = type(value)
        if kind is str:
            # No run of spaces, none at either end either: most cells of most exports.
            if (
                value
                and as_is(value)
                and "  " not in value
                and value[0] != " "
                and value[-1] != " "
            ):
                append(f"{_STRING}{value}{_STRING_END}")
            else:
                append(cell(value))
        elif value is None:
            append("<table:table-cell/>")
        elif kind is int:
            append(
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        else:
            append(cell(value))
    append("</table:table-row>")
    return "".join(out)


def _header(headers: list[Any]) -> str:
    cells = "".join(
        '<table:table-cell table:style-name="ch" office:value-type="string">'
        f"{_paragraph(str(h))}</table:table-cell>"
        for h in headers
    )
    return f"<table:table-row>{cells}</table:table-row>"


class ZipSink:
    """A write-only stream for zipfile: it keeps what was written until the generator takes
    it. Without `seek`, zipfile writes each entry's sizes after its data (a data descriptor)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.position = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def ods_chunks(
    headers: list[Any], rows: Iterable[list[Any]], title: str, batch: int = 500
) -> Iterator[bytes]:
    """The ODS file in pieces: the rows are read and written `batch` at a time."""
    sink = ZipSink()
    with zipfile.ZipFile(  # type: ignore[call-overload]
        sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
    ) as book:
        book.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/manifest.xml", MANIFEST)
        book.writestr("styles.xml", STYLES)
        yield sink.take()
        with book.open("content.xml", "w") as content:
            content.write(
                (
                    f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {NS}>'
                    f"{AUTOMATIC_STYLES}<office:body><office:spreadsheet>"
                    f"<table:table table:name={quoteattr(title)}>"
                    f'<table:table-column table:number-columns-repeated="{len(headers)}"/>'
                    f"{_header(headers)}"
                ).encode()
            )
            pending: list[str] = []
            for row in rows:
                pending.append(_row(row))
                if len(pending) >= batch:
                    content.write("".join(pending).encode("utf-8"))
                    pending.clear()
                    yield sink.take()
            pending.append(
                "</table:table></office:spreadsheet></office:body></office:document-content>"
            )
            content.write("".join(pending).encode("utf-8"))
    yield sink.take()
