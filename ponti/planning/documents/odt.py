"""A document as ODT, written by hand: a minimal valid ODF 1.3 text document (zip + four XML parts).

`mimetype` comes first and is stored uncompressed, as ODF requires; headings are `text:h`, tables
`table:table` with a header row, the example notice is in every page header (styles.xml master page).
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

from .blocks import Document, Field, Heading, Items, Notice, Paragraph, Table

MIMETYPE = "application/vnd.oasis.opendocument.text"
NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'office:version="1.3"'
)

MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="{MIMETYPE}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""

STYLES = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {ns}>
 <office:font-face-decls/>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:paragraph-properties fo:margin-bottom="0.15cm"/>
   <style:text-properties style:font-name="DejaVu Sans" fo:font-family="'DejaVu Sans'" fo:font-size="10pt" fo:language="it" fo:country="IT"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
  <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Standard" style:class="text">
   <style:paragraph-properties fo:margin-top="0.4cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/>
   <style:text-properties fo:font-weight="bold" fo:color="#003d7a"/>
  </style:style>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="1"><style:text-properties fo:font-size="15pt"/></style:style>
  <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="2"><style:text-properties fo:font-size="12.5pt"/></style:style>
  <style:style style:name="Heading_20_3" style:display-name="Heading 3" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="3"><style:text-properties fo:font-size="10.5pt"/></style:style>
  <style:style style:name="Example" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:border="1.5pt solid #8a1c00" fo:padding="0.1cm" fo:text-align="center"/>
   <style:text-properties fo:font-weight="bold" fo:color="#8a1c00"/>
  </style:style>
  <style:style style:name="Note" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties fo:font-style="italic"/>
  </style:style>
  <style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties fo:font-size="8pt" fo:color="#444444"/>
  </style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="A4">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="1.8cm" fo:margin-right="1.8cm"/>
   <style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.3cm"/></style:header-style>
   <style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.3cm"/></style:footer-style>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="A4">
   {header}
   <style:footer><text:p text:style-name="Footer">{footer} · <text:page-number text:select-page="current">1</text:page-number></text:p></style:footer>
  </style:master-page>
 </office:master-styles>
</office:document-styles>
"""

AUTOMATIC = """<office:automatic-styles>
  <style:style style:name="Strong" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
  <style:style style:name="Caption" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-style="italic" fo:font-size="8.5pt"/></style:style>
  <style:style style:name="Num" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="end"/></style:style>
  <style:style style:name="Th" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-weight="bold"/></style:style>
  <style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #888888" fo:padding="0.08cm"/></style:style>
  <style:style style:name="Grid" style:family="table"><style:table-properties style:width="17.4cm" table:align="margins"/></style:style>
 </office:automatic-styles>"""


def _p(text: str, style: str = "Standard") -> str:
    inner = escape(text).replace("\r\n", "\n").replace("\n", "<text:line-break/>")
    return f"<text:p text:style-name={quoteattr(style)}>{inner}</text:p>"


def _cell(text: str, style: str) -> str:
    return f'<table:table-cell table:style-name="Cell" office:value-type="string">{_p(text, style)}</table:table-cell>'


def _table(block: Table, number: int) -> str:
    parts = [
        _p(block.caption, "Caption") if not block.caption_hidden else "",
        f'<table:table table:name="Tabella{number}" table:style-name="Grid">',
        f'<table:table-column table:number-columns-repeated="{len(block.header)}"/>',
        "<table:table-header-rows><table:table-row>",
        *[_cell(h, "Th") for h in block.header],
        "</table:table-row></table:table-header-rows>",
    ]
    for row in block.rows:
        parts.append("<table:table-row>")
        for index, text in enumerate(row):
            style = (
                "Num"
                if index in block.numeric
                else ("Th" if index == 0 and block.row_headers else "Standard")
            )
            parts.append(_cell(text, style))
        parts.append("</table:table-row>")
    parts.append("</table:table>")
    return "".join(parts)


def content_xml(document: Document) -> str:
    body: list[str] = []
    if document.example_notice:
        body.append(_p(document.example_notice, "Example"))
    tables = 0
    for block in document.blocks:
        if isinstance(block, Heading):
            body.append(
                f'<text:h text:style-name="Heading_20_{block.level}" text:outline-level="{block.level}">{escape(block.text)}</text:h>'
            )
        elif isinstance(block, Field):
            body.append(
                f'<text:p text:style-name="Standard"><text:span text:style-name="Strong">{escape(block.label)}</text:span> {escape(block.value)}</text:p>'
            )
        elif isinstance(block, Paragraph):
            inner = escape(block.text)
            body.append(
                f'<text:p text:style-name="Standard"><text:span text:style-name="Strong">{inner}</text:span></text:p>'
                if block.strong
                else _p(block.text)
            )
        elif isinstance(block, Items):
            if block.items:
                body.append(
                    "<text:list>"
                    + "".join(f"<text:list-item>{_p(i)}</text:list-item>" for i in block.items)
                    + "</text:list>"
                )
            else:
                body.append(_p(block.empty))
        elif isinstance(block, Notice):
            body.append(_p(block.text, "Example" if block.kind == "example" else "Note"))
        elif isinstance(block, Table):
            tables += 1
            body.append(_table(block, tables))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {NS}>{AUTOMATIC}'
        f"<office:body><office:text>{''.join(body)}</office:text></office:body></office:document-content>"
    )


def styles_xml(document: Document) -> str:
    header = (
        f"<style:header>{_p(document.example_notice, 'Example')}</style:header>"
        if document.example_notice
        else ""
    )
    return STYLES.format(ns=NS, header=header, footer=escape(document.footer))


def meta_xml(document: Document) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {NS}><office:meta>'
        f"<meta:generator>Ponti</meta:generator><dc:title>{escape(document.title)}</dc:title>"
        "<dc:language>it-IT</dc:language></office:meta></office:document-meta>"
    )


def render(document: Document) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        for name, text in (
            ("META-INF/manifest.xml", MANIFEST),
            ("content.xml", content_xml(document)),
            ("styles.xml", styles_xml(document)),
            ("meta.xml", meta_xml(document)),
        ):
            archive.writestr(name, text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
