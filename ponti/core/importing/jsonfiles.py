"""JSON import files: a document becomes a `files.Table` through the kind's own reader of its
records (`files.JsonRecords`), so that the engine checks and writes its rows like any other.

The document is parsed whole (json has no streaming reader in the standard library); the size
limit of every import file (PONTI_IMPORT_MAX_MB) bounds it.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

from .files import MAX_COLUMNS, FileError, JsonRecords, Table, cell_text

NOT_JSON = object()


def document(data: bytes, extension: str) -> Any:
    """The parsed document of a .json file, or of text that opens like JSON ({ or [) and
    parses; `NOT_JSON` for anything else (a CSV)."""
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if extension != "json" and start not in (b"{", b"["):
        return NOT_JSON
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        if extension != "json":
            return NOT_JSON
        raise FileError(_("Il file JSON non è leggibile: %(error)s.") % {"error": exc}) from None


def table(document: Any, json_records: JsonRecords | None) -> Table:
    """The records as a table: the header is every key met, in the order first met; a list of
    simple values is one cell, its values joined with «; » (as the exports write them)."""
    if json_records is None:
        raise FileError(
            _("Questo tipo di dati non si importa da un file JSON: usa un file CSV, XLSX o ODS.")
        )
    try:
        records = [dict(r) for r in json_records(document)]
    except FileError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise FileError(
            _("Il file JSON non ha la forma attesa: %(error)s.") % {"error": exc}
        ) from None
    header: list[str] = []
    for record in records:
        header.extend(key for key in record if key not in header)
    if len(header) > MAX_COLUMNS:
        raise FileError(
            _("Il file ha troppe colonne (%(n)s): al massimo %(max)s.")
            % {"n": len(header), "max": MAX_COLUMNS}
        )
    rows = [
        (number, [_cell(record.get(key), number, key) for key in header])
        for number, record in enumerate(records, start=1)
    ]
    return Table(header=header, header_row=0, _reader=lambda: iter(rows), format="json")


def _cell(value: Any, number: int, key: str) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list) and all(
        v is None or isinstance(v, str | int | float | bool) for v in value
    ):
        return "; ".join(cell_text(v) for v in value if cell_text(v))
    raise FileError(
        _("Record %(number)s: il campo «%(key)s» non è un valore semplice né un elenco di valori.")
        % {"number": number, "key": key}
    )
