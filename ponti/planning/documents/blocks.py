"""A document built once as a short list of blocks, then written by each renderer (HTML/PDF, DOCX, ODT).

The blocks are deliberately few: what a DUP sheet and a progress report need, nothing more.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import formats, translation


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 1 = the document's title, 2 = a section, 3 = a sub-section


@dataclass(frozen=True)
class Field:
    """A label and its value on one line, as the seed writes them ("Responsabile: Cristiano Maggipinto")."""

    label: str
    value: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    strong: bool = False


@dataclass(frozen=True)
class Items:
    """A bulleted list; `empty` is written when there is nothing to list."""

    items: list[str]
    empty: str


@dataclass(frozen=True)
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    row_headers: bool = True  # the first cell of each row names the row (th scope="row")
    numeric: frozenset[int] = frozenset()  # columns aligned right (amounts)
    # The heading just above already says it: only screen readers need the caption.
    caption_hidden: bool = False
    # A hint for the HTML/PDF: "fixed" (equal columns) or "lines" (a wide description column).
    layout: str = ""


@dataclass(frozen=True)
class Notice:
    """A banner: "example" marks invented figures and is shown prominently; "info" is a plain note."""

    text: str
    kind: str = "info"


Block = Heading | Field | Paragraph | Items | Table | Notice


@dataclass
class Document:
    title: str  # for the metadata and the page margin, not printed in the body's structure
    filename: str  # without extension
    blocks: list[Block] = field(default_factory=list)
    example_notice: str = ""  # non-empty when the figures are examples: printed on every page
    generated_on: str = ""

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    @property
    def footer(self) -> str:
        from django.utils.translation import gettext as _

        return str(_("Generato da Ponti il %(date)s") % {"date": self.generated_on})


def italian_date(day: datetime.date | None = None) -> str:
    with translation.override("it"):
        return formats.date_format(day or datetime.date.today(), "j F Y")
