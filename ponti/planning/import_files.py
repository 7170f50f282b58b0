"""What every planning import shares: reading the file (CSV or XLSX) and the per-row report.

Used by the import of amounts (`imports.py`) and of the budget classification (`classification.py`).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from ponti.core import uploads
from ponti.core.text import forbidden_character_message

from .models import Side

NEW = "nuovo"
UPDATED = "aggiornato"
UNCHANGED = "invariato"
ERROR = "errore"
STATUSES = (NEW, UPDATED, UNCHANGED, ERROR)

# A guard against files that would keep a request busy for minutes (or a zip bomb).
MAX_ROWS = 20_000
MAX_COLUMNS = 60


# --- The report -----------------------------------------------------------------------------


@dataclass
class RowReport:
    number: int  # the row number as the user sees it in the file (header = row 1)
    status: str  # "nuovo" | "aggiornato" | "invariato" | "errore"
    line: str  # what the row is about, e.g. "S 1450 – Quote associative reti"
    year: int | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # What the row changes, old → new («previsione iniziale: 1.000,00 € → 1.200,00 €»), for the dry run.
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowReport] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    applied: bool = False  # True only when dry_run was False and everything was saved

    @property
    def ok(self) -> bool:
        """No file errors and no row errors: the file can be applied as it is."""
        return not self.file_errors and not any(row.errors for row in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        return counts

    @property
    def changes(self) -> int:
        """How many rows the import would write (or wrote)."""
        counts = self.counts
        return counts[NEW] + counts[UPDATED]

    @property
    def error_rows(self) -> int:
        return sum(1 for row in self.rows if row.errors)


class FileError(Exception):
    """The file as a whole cannot be read; the message says why, in the user's language."""


# --- Reading the file -----------------------------------------------------------------------


@dataclass
class Table:
    header: list[str]  # as written in the file
    rows: list[tuple[int, list[Any]]]  # (row number as the user sees it, cells)


def normalise_name(name: Any) -> str:
    """A column name compared without case, accents, spaces or punctuation: «Previsione Iniziale» → previsione_iniziale."""
    text = unicodedata.normalize("NFKD", str(name if name is not None else ""))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def cell_text(value: Any) -> str:
    """A cell as text: spreadsheet numbers without a spurious «.0» (capitolo 1450, code 20105)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(data: bytes, filename: str) -> Table:
    """The header and the non-empty rows of a CSV or XLSX file, chosen by content and extension."""
    try:
        uploads.check_size(len(data))
    except ValidationError as exc:
        raise FileError(" ".join(exc.messages)) from None
    if not data.strip():
        raise FileError(_("Il file è vuoto."))
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(b"PK\x03\x04"):
        # By content: an XLSX, its archive checked before openpyxl opens it (a zip bomb, an
        # ODS or a DOCX is refused here with the reason).
        try:
            uploads.identify(data, uploads.SPREADSHEETS)
        except ValidationError as exc:
            raise FileError(" ".join(exc.messages)) from None
        rows = _xlsx_rows(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0") or extension == "xls":
        raise FileError(
            _("Il formato XLS (Excel 97-2003) non è letto: salva il foglio come XLSX o come CSV.")
        )
    elif extension in {"xlsx", "xlsm", "ods", "odt", "docx", "pdf"}:
        raise FileError(
            _(
                "Il file «%(name)s» non è un foglio XLSX valido né un CSV: salvalo di nuovo come XLSX o CSV."
            )
            % {"name": filename}
        )
    else:
        rows = _csv_rows(data)
    header_at = next(
        (i for i, (_number, cells) in enumerate(rows) if any(cell_text(c) for c in cells)), None
    )
    if header_at is None:
        raise FileError(_("Il file è vuoto."))
    if header_at != 0:
        # The header must be the first row, so that row numbers mean what the user sees.
        raise FileError(_("La prima riga del file deve contenere i nomi delle colonne."))
    header = [cell_text(c) for c in rows[0][1]]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise FileError(
            _("Il file ha troppe colonne (%(n)s): al massimo %(max)s.")
            % {"n": len(header), "max": MAX_COLUMNS}
        )
    body = [(number, list(cells)) for number, cells in rows[1:] if any(cell_text(c) for c in cells)]
    _refuse_forbidden_characters(header, [(1, rows[0][1]), *body])
    if not body:
        raise FileError(_("Il file non contiene righe da importare: c'è solo l'intestazione."))
    return Table(header=header, rows=body)


MAX_TEXT_PROBLEMS = 10


def _refuse_forbidden_characters(header: list[str], rows: list[tuple[int, list[Any]]]) -> None:
    """A file whose cells hold control characters is refused as a whole, naming each cell (the
    first few): they would break every document and export the amounts end up in."""
    problems: list[str] = []
    for number, cells in rows:
        for position, cell in enumerate(cells):
            if not isinstance(cell, str):
                continue
            column = header[position] if position < len(header) and header[position] else None
            where = column or get_column_letter(position + 1)
            message = forbidden_character_message(cell, where)
            if message:
                problems.append(
                    _("Riga %(number)s: %(message)s") % {"number": number, "message": message}
                )
    if problems:
        shown = problems[:MAX_TEXT_PROBLEMS]
        if len(problems) > MAX_TEXT_PROBLEMS:
            shown.append(
                _("… e altre %(count)s celle con caratteri non ammessi.")
                % {"count": len(problems) - MAX_TEXT_PROBLEMS}
            )
        raise FileError("\n".join(shown))


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise FileError(
            _("Il testo del file non è in una codifica riconosciuta: salvalo come CSV UTF-8.")
        ) from None


def _csv_rows(data: bytes) -> list[tuple[int, list[Any]]]:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileError(
            _("Il file non è un CSV né un XLSX: carica un foglio salvato in uno di questi formati.")
        )
    text = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    # The header holds names only, so counting separators there is reliable even when the
    # rows hold Italian numbers with a decimal comma ("1.234,56").
    counts = {sep: _count_outside_quotes(first, sep) for sep in (";", ",", "\t")}
    delimiter = max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, cells in enumerate(reader, start=1):
            if number > MAX_ROWS + 1:
                raise FileError(
                    _("Il file ha più di %(max)s righe: dividilo in più file.") % {"max": MAX_ROWS}
                )
            rows.append((number, cells))
    except csv.Error as exc:
        raise FileError(_("Il CSV non è leggibile: %(error)s.") % {"error": exc}) from None
    return rows


def _count_outside_quotes(line: str, sep: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == sep and not quoted:
            count += 1
    return count


def _xlsx_rows(data: bytes) -> list[tuple[int, list[Any]]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged or foreign zip: whatever openpyxl raises, the answer is the same
        raise FileError(
            _("Il file non è un foglio XLSX leggibile: aprilo e salvalo di nuovo come XLSX o CSV.")
        ) from None
    rows: list[tuple[int, list[Any]]] = []
    try:
        if not workbook.worksheets:
            raise FileError(_("Il foglio di calcolo non contiene fogli."))
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + 1:
                raise FileError(
                    _("Il file ha più di %(max)s righe: dividilo in più file.") % {"max": MAX_ROWS}
                )
            rows.append((number, list(values)[: MAX_COLUMNS + 20]))
    except FileError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise FileError(
            _("Il file non è un foglio XLSX leggibile: aprilo e salvalo di nuovo come XLSX o CSV.")
        ) from None
    finally:
        workbook.close()
    return rows


@dataclass
class Columns:
    """Which cell holds each known column, from the header."""

    index: dict[str, int]
    written: dict[str, str]  # canonical name → as written in the file

    def get(self, cells: list[Any], name: str) -> Any:
        position = self.index.get(name)
        if position is None or position >= len(cells):
            return None
        return cells[position]

    def text(self, cells: list[Any], name: str) -> str:
        return cell_text(self.get(cells, name))

    def __contains__(self, name: str) -> bool:
        return name in self.index


def map_columns(
    header: list[str],
    aliases: dict[str, str],
    *,
    required: Iterable[str],
    ignored: Iterable[str] = (),
) -> Columns:
    """Recognise the header's columns; raise FileError listing every unknown, repeated or missing one."""
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    problems: list[str] = []
    skip = set(ignored)
    for position, name in enumerate(header):
        key = normalise_name(name)
        if not key or key in skip:
            continue
        canonical = aliases.get(key)
        if canonical is None:
            problems.append(_("La colonna «%(name)s» non è riconosciuta.") % {"name": name})
        elif canonical in index:
            problems.append(
                _(
                    "Le colonne «%(first)s» e «%(second)s» indicano lo stesso dato: lasciane una sola."
                )
                % {"first": written[canonical], "second": name}
            )
        else:
            index[canonical] = position
            written[canonical] = name
    missing = [name for name in required if name not in index]
    if missing:
        problems.append(
            _("Mancano le colonne obbligatorie: %(names)s.") % {"names": ", ".join(missing)}
        )
    if problems:
        accepted = sorted({canonical for canonical in aliases.values()})
        problems.append(_("Le colonne ammesse sono: %(names)s.") % {"names": ", ".join(accepted)})
        raise FileError("\n".join(problems))
    return Columns(index=index, written=written)


def parse_side(text: str) -> str | None:
    key = normalise_name(text)
    if key in {"e", "entrata", "entrate"}:
        return Side.ENTRATA
    if key in {"s", "spesa", "spese", "u", "uscita", "uscite"}:
        return Side.SPESA
    return None


def parse_year(value: Any) -> int | None:
    """2024, "2024" or a spreadsheet's 2024.0; None when it is not a year."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = cell_text(value)
    return int(text) if re.fullmatch(r"\d{4}", text) else None
