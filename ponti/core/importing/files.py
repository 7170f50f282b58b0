"""Reading an import file: CSV (any delimiter, UTF-8 or Windows-1252, with or without BOM), XLSX,
ODS, and JSON for the kinds that say how their records become rows (`JsonRecords`).

Rows are streamed (`Table.rows()` reads the file again each time it is called), so a file of
100,000 rows is never held as Python objects at once. The header is the first non-empty row;
blank rows and blank columns are skipped; merged or repeated header cells are refused with their
names; cells with control characters are refused naming row and column.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.etree.ElementTree import iterparse  # noqa: S405 - the archive was checked by uploads.identify

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from ponti.core import uploads
from ponti.core.exports import FORMULA_STARTS
from ponti.core.text import FORBIDDEN, forbidden_character_message

MAX_COLUMNS = 60


def max_rows() -> int:
    """Rows per file: more is refused before anything is checked (PONTI_IMPORT_MAX_ROWS)."""
    return int(getattr(settings, "PONTI_IMPORT_MAX_ROWS", 200_000))


class FileError(Exception):
    """The file as a whole cannot be read; the message says why, in the user's language."""


Row = tuple[int, list[Any]]  # (row number as the user sees it in the file, cells)
# A kind that reads a JSON document (e.g. a portal's export) turns it into records: dicts of
# column key (or header) → a text, a number, a bool, None, or a list of those. It raises
# FileError (or ValueError, KeyError, TypeError) when the document is not of its shape.
JsonRecords = Callable[[Any], Iterable[dict[str, Any]]]


@dataclass
class Table:
    header: list[str]  # as written in the file, blank trailing cells removed
    header_row: int
    _reader: Callable[[], Iterator[Row]]
    format: str  # "csv", "xlsx", "ods", "json"

    def rows(self) -> Iterator[Row]:
        """The non-empty rows after the header, read again from the file at each call."""
        limit = max_rows()
        count = 0
        for number, cells in self._reader():
            if number <= self.header_row:
                continue
            if not any(cell_text(c) for c in cells):
                continue
            count += 1
            if count > limit:
                raise FileError(
                    _("Il file ha più di %(max)s righe: dividilo in più file.")
                    % {"max": f"{limit:,}".replace(",", ".")}
                )
            _refuse_forbidden_characters(self.header, number, cells)
            yield number, cells

    def count(self) -> int:
        """The non-empty rows, read without checking them (the run checks each as it comes)."""
        limit = max_rows()
        count = 0
        for number, cells in self._reader():
            if number > self.header_row and any(cell_text(c) for c in cells):
                count += 1
                if count > limit:
                    raise FileError(
                        _("Il file ha più di %(max)s righe: dividilo in più file.")
                        % {"max": f"{limit:,}".replace(",", ".")}
                    )
        return count


def normalise_name(name: Any) -> str:
    """A column name compared without case, accents, spaces or punctuation: «Previsione Iniziale» → previsione_iniziale."""
    return _normalise(str(name if name is not None else ""))


@lru_cache(maxsize=4096)  # the same few words (headers, «S», «E», choice labels) on every row
def _normalise(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def cell_text(value: Any) -> str:
    """A cell as text: spreadsheet numbers without a spurious «.0» (capitolo 1450, code 20105),
    and without the apostrophe an export put before a formula-like text (`exports.safe_cell`),
    so that export → import changes nothing."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


def read_table(data: bytes, filename: str, *, json_records: JsonRecords | None = None) -> Table:
    """The header and a reader of the rows of a CSV, XLSX or ODS file, chosen by content; or of
    a JSON document, when the kind gives `json_records`."""
    from . import jsonfiles

    if len(data) > import_max_bytes():
        raise FileError(
            _("Il file supera %(max)s MB, il massimo per un'importazione: dividilo in più file.")
            % {"max": import_max_bytes() // uploads.MB}
        )
    if not data.strip():
        raise FileError(_("Il file è vuoto."))
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    reader: Callable[[], Iterator[Row]]
    if data.startswith(b"PK\x03\x04"):
        try:
            kind = uploads.identify(data, (uploads.XLSX, uploads.ODS))
        except ValidationError as exc:
            raise FileError(" ".join(exc.messages)) from None
        if kind == uploads.ODS:
            fmt, reader = "ods", lambda: _ods_rows(data)
        else:
            fmt, reader = "xlsx", lambda: _xlsx_rows(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0") or extension == "xls":
        raise FileError(
            _("Il formato XLS (Excel 97-2003) non è letto: salva il foglio come XLSX, ODS o CSV.")
        )
    elif extension in {"xlsx", "xlsm", "ods", "odt", "docx", "pdf"}:
        raise FileError(
            _("Il file «%(name)s» non è un foglio XLSX o ODS valido né un CSV: salvalo di nuovo.")
            % {"name": filename}
        )
    elif (document := jsonfiles.document(data, extension)) is not jsonfiles.NOT_JSON:
        return jsonfiles.table(document, json_records)
    else:
        text = _decode(data)
        fmt, reader = "csv", lambda: _csv_rows(text)
    header_row, header = _header(reader)
    return Table(header=header, header_row=header_row, _reader=reader, format=fmt)


def import_max_bytes() -> int:
    return int(getattr(settings, "PONTI_IMPORT_MAX_MB", 50)) * uploads.MB


def _header(reader: Callable[[], Iterator[Row]]) -> tuple[int, list[str]]:
    for number, cells in reader():
        if not any(cell_text(c) for c in cells):
            continue
        header = [cell_text(c) for c in cells]
        while header and not header[-1]:
            header.pop()
        if len(header) > MAX_COLUMNS:
            raise FileError(
                _("Il file ha troppe colonne (%(n)s): al massimo %(max)s.")
                % {"n": len(header), "max": MAX_COLUMNS}
            )
        _refuse_forbidden_characters(header, number, cells)
        return number, header
    raise FileError(_("Il file è vuoto."))


def _refuse_forbidden_characters(header: list[str], number: int, cells: list[Any]) -> None:
    # One search over the row's text first: a clean row (nearly all) costs one regex call.
    if not FORBIDDEN.search("".join(c for c in cells if isinstance(c, str))):
        return
    for position, cell in enumerate(cells):
        if not isinstance(cell, str):
            continue
        column = header[position] if position < len(header) and header[position] else None
        message = forbidden_character_message(cell, column or get_column_letter(position + 1))
        if message:
            raise FileError(
                _("Riga %(number)s: %(message)s") % {"number": number, "message": message}
            )


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise FileError(
            _(
                "Il file non è un CSV, un XLSX né un ODS: carica un foglio salvato in uno di questi formati."
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise FileError(
            _("Il testo del file non è in una codifica riconosciuta: salvalo come CSV UTF-8.")
        ) from None
    return text


def _csv_rows(text: str) -> Iterator[Row]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    # The header holds names only, so counting separators there is reliable even when the
    # rows hold Italian numbers with a decimal comma ("1.234,56").
    counts = {sep: _count_outside_quotes(first, sep) for sep in (";", ",", "\t", "|")}
    delimiter = max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise FileError(_("Il CSV non è leggibile: %(error)s.") % {"error": exc}) from None


def _count_outside_quotes(line: str, sep: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == sep and not quoted:
            count += 1
    return count


def _unreadable_xlsx() -> FileError:
    return FileError(
        _("Il file non è un foglio XLSX leggibile: aprilo e salvalo di nuovo come XLSX o CSV.")
    )


def _xlsx_rows(data: bytes) -> Iterator[Row]:
    import openpyxl

    try:
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        # Formulas are read as the value the spreadsheet last computed; a formula never
        # computed (a file written by a program) has none, and is refused by name.
        formulas = (
            openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            if _has_formulas(data)
            else None
        )
    except Exception:  # a damaged or foreign zip: whatever openpyxl raises, the answer is the same
        raise _unreadable_xlsx() from None
    try:
        if not values.worksheets:
            raise FileError(_("Il foglio di calcolo non contiene fogli."))
        rows = values.worksheets[0].iter_rows(values_only=True)
        raw = formulas.worksheets[0].iter_rows(values_only=True) if formulas else None
        for number, cells in enumerate(rows, start=1):
            row = list(cells)[: MAX_COLUMNS + 20]
            if raw is not None:
                for position, written in enumerate(list(next(raw, ()))[: len(row)]):
                    if (
                        isinstance(written, str)
                        and written.startswith("=")
                        and row[position] is None
                    ):
                        raise FileError(
                            _(
                                "Riga %(number)s, colonna %(column)s: la formula «%(formula)s» non ha un valore calcolato: apri il file, salvalo di nuovo e riprova, oppure scrivi il valore."
                            )
                            % {
                                "number": number,
                                "column": get_column_letter(position + 1),
                                "formula": written[:60],
                            }
                        )
            yield number, row
    except FileError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise _unreadable_xlsx() from None
    finally:
        values.close()
        if formulas is not None:
            formulas.close()


def _has_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as sheet:
                    while chunk := sheet.read(1 << 20):
                        if b"<f>" in chunk or b"<f " in chunk or b":f>" in chunk:
                            return True
    return False


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
# A sheet's trailing empty cells are often written as one cell repeated 16,000 times: repeats
# of empty cells beyond the columns read are not expanded.
_MAX_REPEAT = MAX_COLUMNS + 20


def _ods_rows(data: bytes) -> Iterator[Row]:
    """The first sheet of an ODS, streamed from content.xml (odfpy would build the whole tree)."""
    import datetime

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        content = archive.open("content.xml")
    except (zipfile.BadZipFile, KeyError):
        raise FileError(
            _("Il file non è un foglio ODS leggibile: salvalo di nuovo come ODS.")
        ) from None
    number = 0
    depth = 0
    row: list[Any] = []
    try:
        for event, element in iterparse(content, events=("start", "end")):  # noqa: S314
            tag = element.tag
            if tag == f"{_TABLE}table":
                if event == "start":
                    depth += 1
                elif depth == 1:
                    return  # only the first sheet
                continue
            if tag == f"{_TABLE}table-row" and event == "end":
                repeat = int(element.get(f"{_TABLE}number-rows-repeated", "1"))
                empty = not any(cell_text(c) for c in row)
                for _copy in range(1 if empty and repeat > 1 else repeat):
                    number += 1
                    yield number, list(row)
                if empty and repeat > 1:
                    number += repeat - 1
                row = []
                element.clear()
            elif tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell") and event == "end":
                kind = element.get(f"{_OFFICE}value-type")
                value: Any
                if kind in ("float", "percentage", "currency"):
                    value = float(element.get(f"{_OFFICE}value", "0"))
                elif kind == "date":
                    raw = element.get(f"{_OFFICE}date-value", "")
                    value = (
                        datetime.datetime.fromisoformat(raw)
                        if "T" in raw
                        else datetime.date.fromisoformat(raw)
                    )
                elif kind == "boolean":
                    value = element.get(f"{_OFFICE}boolean-value") == "true"
                else:
                    value = (
                        "\n".join("".join(p.itertext()) for p in element.iter(f"{_TEXT}p")) or None
                    )
                repeat = int(element.get(f"{_TABLE}number-columns-repeated", "1"))
                if value is None:
                    repeat = min(repeat, _MAX_REPEAT)
                row.extend([value] * repeat)
                del row[MAX_COLUMNS + 20 :]
                element.clear()
    except (SyntaxError, ValueError):
        raise FileError(
            _("Il file non è un foglio ODS leggibile: salvalo di nuovo come ODS.")
        ) from None
