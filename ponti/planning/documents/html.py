"""HTML of a document (one template for every block), and the PDF: that HTML through WeasyPrint.

Nothing is fetched: the template has no external resources and the URL fetcher refuses any.
"""

from __future__ import annotations

import logging
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .blocks import Document, Field, Heading, Items, Notice, Paragraph, Table

KINDS: dict[type, str] = {
    Heading: "heading",
    Field: "field",
    Paragraph: "paragraph",
    Items: "items",
    Table: "table",
    Notice: "notice",
}


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"Planning documents fetch nothing: {url}")


def css_string(text: str) -> str:
    """A CSS string literal (for the page margin boxes); safe inside <style>."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " ,.;:-—'()/€" else f"\\{ord(ch):x} " for ch in text
    )
    return mark_safe(f'"{escaped}"')  # noqa: S308 - every character outside a short safe list is escaped


def html(document: Document, *, for_print: bool = False) -> str:
    blocks = [{"kind": KINDS[type(block)], "b": block} for block in document.blocks]
    with translation.override("it"):
        context = {
            "d": document,
            "blocks": blocks,
            "for_print": for_print,
            "css_notice": css_string(document.example_notice),
            "css_footer": css_string(document.footer),
            "css_page": css_string(str(_("Pagina"))),
            "css_of": css_string(str(_("di"))),
        }
        return render_to_string("planning/documents/document.html", context)


def pdf(document: Document) -> bytes:
    from weasyprint import HTML

    # fontTools logs every subset glyph at INFO: noise in the command's output and the server log.
    logging.getLogger("fontTools").setLevel(logging.WARNING)

    return bytes(
        HTML(
            string=html(document, for_print=True), url_fetcher=_no_fetch, base_url=None
        ).write_pdf()
    )
