"""Running an import as the page, the API and `ponti import` do, and files to import."""

from __future__ import annotations

import csv
import io
from typing import Any


def csv_bytes(header: list[str], *rows: list[Any], delimiter: str = ";") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(header: list[str], *rows: list[Any]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods_bytes(header: list[str], *rows: list[Any]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Foglio1")
    for values in [header, *rows]:
        tr = TableRow()
        for value in values:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text="" if value is None else str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


class Report:
    """The batch as the tests read it: status, counts, rows by number, file errors."""

    def __init__(self, batch: Any) -> None:
        self.batch = batch
        self.status = batch.status
        self.rows = {r.number: r for r in batch.rows.order_by("number")}
        self.file_errors = [str(e) for e in batch.file_errors]
        self.counts = {k: v for k, v in (batch.counts or {}).items() if v}

    def errors(self) -> list[str]:
        return [e for r in self.rows.values() for e in r.errors]

    def warnings(self) -> list[str]:
        return [w for r in self.rows.values() for w in r.warnings]

    def __repr__(self) -> str:
        rows = [(n, r.status, r.errors, r.warnings, r.changes) for n, r in self.rows.items()]
        return f"<{self.status} {self.counts} {self.file_errors} {rows}>"


def run(
    kind: str,
    data: bytes,
    user: Any,
    ente: Any,
    *,
    dry_run: bool = False,
    filename: str = "file.csv",
) -> Report:
    """Check (the dry run), then write if the check passed and `dry_run` is false."""
    from ponti.core.importing import services

    batch = services.start(
        user=user, ente=ente, kind=kind, filename=filename, data=data, background=False
    )
    if not dry_run and batch.status == "checked":
        batch = services.confirm(batch, user=user, background=False)
    return Report(batch)


def undo(report: Report, user: Any) -> Report:
    from ponti.core.importing import services

    return Report(services.undo(report.batch, user=user, background=False))


def real_export(table_module: str, columns: str, records: Any, fmt: str = "csv") -> bytes:
    """The list's own export (`<app>/tables.py`), as its page serves it."""
    import importlib

    from ponti.core.exports import export_response

    tables = importlib.import_module(table_module)
    response = export_response(getattr(tables, columns), records, fmt, filename="export")
    return b"".join(response.streaming_content)
