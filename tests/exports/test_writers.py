"""The XLSX and ODS writers (`core.xlsx`, `core.ods`): a row written from the inline templates is
the row the general cell writer gives, and the file opens with every kind of cell."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal
from typing import Any
from xml.dom.minidom import parseString  # noqa: S408 - our own output

from ponti.core import ods, xlsx
from tests.exports.helpers import ods_rows, xlsx_rows

# Every kind of cell, and text that needs each kind of care (escaping, ODF's spaces, tabs and
# line breaks, characters XML cannot carry, some of them together).
VALUES: list[Any] = [
    "plain",
    "Città d'arte",
    "",
    None,
    0,
    -5,
    12345678901234,
    1.5,
    Decimal("1234.56"),
    datetime.date(2024, 3, 1),
    datetime.datetime(2024, 3, 1, 13, 45),
    True,
    "a & b <c> >",
    "a\rb",
    "a\r\nb\nc",
    "tab\there",
    "two  spaces",
    " lead",
    "trail ",
    "nbsp\xa0here",
    "ctl\x0bchar",
    "ctl & \x0b <x>\t",
    "emoji 😀",
    "x\ufffe",
]


def test_an_xlsx_row_is_written_as_cell_by_cell() -> None:
    money = [8]
    numbers = ['<c s="4"><v>' if i in money else "<c><v>" for i in range(len(VALUES))]
    expected = "".join(xlsx.cell(v, i in money) for i, v in enumerate(VALUES))
    assert xlsx._row(7, VALUES, numbers) == f'<row r="7">{expected}</row>'
    # a row wider than the header: every value still written
    assert xlsx._row(2, [1, "x", 2], ["<c><v>"]) == '<row r="2"><c><v>1</v></c>' + (
        f"{xlsx.cell('x')}{xlsx.cell(2)}</row>"
    )


def test_an_ods_row_is_written_as_cell_by_cell() -> None:
    expected = "".join(ods.cell(v) for v in VALUES)
    assert ods._row(VALUES) == f"<table:table-row>{expected}</table:table-row>"


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert book.testzip() is None
        return {name: book.read(name) for name in book.namelist()}


def test_both_files_are_well_formed_and_read_back() -> None:
    headers = [f"C{i}" for i in range(len(VALUES))]
    data = b"".join(xlsx.xlsx_chunks(headers, [VALUES, VALUES], "Prova", [8], batch=1))
    for name, content in _members(data).items():
        if name.endswith((".xml", ".rels")):
            parseString(content)  # noqa: S318 - our own output
    sheet = xlsx_rows(data)
    assert sheet[1][0] == "plain" and sheet[1][8] == 1234.56 and sheet[1][-2] == "emoji 😀"

    data = b"".join(ods.ods_chunks(headers, [VALUES, VALUES], "Prova", batch=1))
    members = _members(data)
    # a cell with a tab and a character XML cannot carry: the attribute was not well-formed
    parseString(members["content.xml"])  # noqa: S318 - our own output
    table = ods_rows(data)
    assert table[1][0] == "plain" and table[1][15] == "tab\there" and table[1][16] == "two  spaces"
