"""Reading exports back, as an office would: CSV (with its BOM), XLSX (openpyxl), ODS (odfpy)."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any


def body(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def csv_rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    text = text.removeprefix("\ufeff")
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def xlsx_rows(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def ods_rows(content: bytes) -> list[list[Any]]:
    """Each cell as its typed value: float, datetime.date, str or None."""
    from odf import teletype
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow

    document = load(io.BytesIO(content))
    (table,) = document.spreadsheet.getElementsByType(Table)
    rows = []
    for row in table.getElementsByType(TableRow):
        cells: list[Any] = []
        for cell in row.getElementsByType(TableCell):
            kind = cell.getAttribute("valuetype")
            if kind == "float":
                cells.append(float(cell.getAttribute("value")))
            elif kind == "date":
                value = cell.getAttribute("datevalue")
                cells.append(
                    datetime.datetime.fromisoformat(value)
                    if "T" in value
                    else datetime.date.fromisoformat(value)
                )
            elif kind is None:
                cells.append(None)
            else:
                cells.append(teletype.extractText(cell))
        rows.append(cells)
    return rows


def rows_of(response: Any) -> list[list[Any]]:
    """The rows of an export in any of the three formats, the header first."""
    kind = response["Content-Type"]
    content = body(response)
    if "spreadsheetml" in kind:
        return xlsx_rows(content)
    if "opendocument" in kind:
        return ods_rows(content)
    return csv_rows(content)
