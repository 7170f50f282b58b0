"""Helpers for the import engine's tests: run a file through the engine as the command does."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def run_import() -> Any:
    from ponti.core.importing import services

    def run(
        kind: str,
        data: bytes,
        user: Any,
        ente: Any,
        *,
        filename: str = "file.csv",
        write: bool = True,
        mapping: dict[str, str] | None = None,
    ) -> Any:
        batch = services.start(
            user=user,
            ente=ente,
            kind=kind,
            filename=filename,
            data=data,
            mapping=mapping,
            background=False,
        )
        if write and batch.status == "checked":
            batch = services.confirm(batch, user=user, background=False)
        batch.refresh_from_db()
        return batch

    return run


def xlsx(rows: list[list[Any]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods(rows: list[list[Any]]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Foglio1")
    for row in rows:
        tr = TableRow()
        for value in row:
            if isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def errors_of(batch: Any) -> list[str]:
    return [*batch.file_errors, *(e for row in batch.rows.all() for e in row.errors)]


@pytest.fixture
def api_as(personas: dict[str, Any]) -> Any:
    from tests.api.helpers import token_client

    return lambda role: token_client(personas[role])
