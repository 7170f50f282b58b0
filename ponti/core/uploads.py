"""Uploaded files: every upload of Ponti (pages and API) is read through here.

- The type comes from the bytes, never from the name or the client's content type: PDF by its
  magic number, ODF (ODT, ODS) by its `mimetype` entry, OOXML (DOCX, XLSX) by its parts, CSV
  as text.
- A size limit per file (`PONTI_MAX_UPLOAD_MB`) and a quota per ente (`PONTI_ENTE_QUOTA_MB`),
  counted from what the apps store for that ente (each app registers a counter in
  `<app>/uploads.py`, so core imports no app).
- Office files are zip archives. Before anything opens one, its central directory is checked:
  number of entries, total declared uncompressed size, compression ratio of each entry, no
  nested archives, no paths outside the archive, only the "stored" and "deflate" methods. Only
  the central directory is read, so a 2 GB zip bomb is refused in milliseconds and nothing
  is written to disk. Python's zipfile (and so openpyxl) never decompresses more than an
  entry's declared size, so a lying header cannot get past the declared-size limits either.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _

from .discovery import import_app_modules
from .money import format_number
from .text import FORBIDDEN

MB = 1024 * 1024


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str
    label: str


PDF = Kind("application/pdf", ".pdf", "PDF")
ODT = Kind("application/vnd.oasis.opendocument.text", ".odt", "ODT")
ODS = Kind("application/vnd.oasis.opendocument.spreadsheet", ".ods", "ODS")
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "DOCX"
)
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "XLSX")
CSV = Kind("text/csv", ".csv", "CSV")
DOCUMENTS = (PDF, ODT, DOCX)
SPREADSHEETS = (CSV, XLSX)

# What an honest office file never exceeds; a zip bomb exceeds all three by far.
MAX_ENTRIES = 1000
MAX_UNCOMPRESSED_BYTES = 250 * MB
MAX_RATIO = 100  # for entries that expand to more than RATIO_FROM bytes
RATIO_FROM = 1 * MB
MAX_MIMETYPE_BYTES = 100
MAX_CONTENT_TYPES_BYTES = 1 * MB
NESTED = re.compile(
    r"\.(zip|jar|war|apk|7z|rar|gz|tgz|bz2|xz|zst|tar|cab|docx|docm|xlsx|xlsm|pptx|odt|ods|odp)$",
    re.IGNORECASE,
)
CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97-2003 (DOC, XLS)


def max_file_bytes() -> int:
    return int(getattr(settings, "PONTI_MAX_UPLOAD_MB", 20)) * MB


def ente_quota_bytes() -> int:
    """0 means no quota."""
    return int(getattr(settings, "PONTI_ENTE_QUOTA_MB", 1024)) * MB


def format_size(size: int) -> str:
    """1536 → "1,5 kB"; 2147483648 → "2 GB" (Italian style)."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            break
    return f"{format_number(value, 1).removesuffix(',0')} {unit}"


# --- Sizes and quotas ---------------------------------------------------------------------

UsageCounter = Callable[[int], int]
_USAGE: dict[str, UsageCounter] = {}


def register_usage(name: str) -> Callable[[UsageCounter], UsageCounter]:
    """An app tells how many bytes of files it stores for an ente (in `<app>/uploads.py`)."""

    def decorator(func: UsageCounter) -> UsageCounter:
        _USAGE[name] = func
        return func

    return decorator


def used_bytes(ente_id: int) -> int:
    import_app_modules("uploads")
    return sum(counter(ente_id) for counter in _USAGE.values())


def check_size(size: int) -> None:
    limit = max_file_bytes()
    if size > limit:
        shown = format_size(size)
        if shown == format_size(limit):  # just over: "1 MB supera 1 MB" would say nothing
            shown = f"{format_number(size, 0)} byte"
        raise ValidationError(
            _("Il file (%(size)s) supera il limite di %(limit)s per file.")
            % {"size": shown, "limit": format_size(limit)},
            code="too_big",
        )


def check_quota(ente_id: int, adding: int) -> None:
    """Refuse a file that would take the ente's stored files over its quota.

    Call it inside the transaction that stores the file: it locks the ente's row, so that two
    uploads at the same moment are counted one after the other.
    """
    quota = ente_quota_bytes()
    if not quota:
        return
    from .models import Ente

    ente = Ente.objects.select_for_update().filter(pk=ente_id).first()
    used = used_bytes(ente_id)
    if used + adding > quota:
        raise ValidationError(
            _(
                "Lo spazio per i documenti di %(ente)s è di %(quota)s e ne sono già usati "
                "%(used)s: questo file (%(size)s) lo supererebbe. Elimina documenti che non "
                "servono più o chiedi all'amministratore di aumentare la quota."
            )
            % {
                "ente": ente or _("questo ente"),
                "quota": format_size(quota),
                "used": format_size(used),
                "size": format_size(adding),
            },
            code="quota",
        )


# --- Content ----------------------------------------------------------------------------------


def sniff(data: bytes) -> Kind | None:
    """The file's type from its bytes (after checking any archive); None when it is none of ours."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _sniff_archive(data)
    if data.startswith(CFB):
        return None
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # binary, or UTF-16 without the byte-order mark that says so
    return CSV if _is_text(data) else None


def identify(data: bytes, allowed: Sequence[Kind]) -> Kind:
    """The type of `data`, one of `allowed`; a ValidationError with a clear message otherwise."""
    names = [k.label for k in allowed]
    expected = (
        names[0]
        if len(names) == 1
        else _("%(list)s o %(last)s")
        % {
            "list": ", ".join(names[:-1]),
            "last": names[-1],
        }
    )
    try:
        kind = sniff(data)
    except ValidationError as exc:
        if exc.code != "damaged":
            raise
        raise ValidationError(
            _(
                "Il file è un archivio danneggiato, non un %(expected)s leggibile: aprilo e "
                "salvalo di nuovo come %(expected)s."
            )
            % {"expected": expected},
            code="damaged",
        ) from None
    if kind in allowed:
        return kind  # type: ignore[return-value]
    if data.startswith(CFB):
        raise ValidationError(
            _(
                "Il file è nel formato di Office 97-2003 (DOC o XLS), che non è letto: "
                "salvalo come %(expected)s."
            )
            % {"expected": expected},
            code="type",
        )
    found = _(" (il file è un %(kind)s)") % {"kind": kind.label} if kind else ""
    raise ValidationError(
        _("Sono ammessi solo file %(expected)s: il contenuto di questo file non lo è%(found)s.")
        % {"expected": expected, "found": found},
        code="type",
    )


def _is_text(data: bytes) -> bool:
    for encoding in ("utf-8-sig", "utf-16", "cp1252"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _sniff_archive(data: bytes) -> Kind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            check_archive_entries(infos, len(data))
            names = {info.filename for info in infos}
            if "mimetype" in names:  # ODF: declared at most MAX_MIMETYPE_BYTES, checked above
                mimetype = archive.read("mimetype").strip()
                for kind in (ODT, ODS):
                    if mimetype == kind.content_type.encode():
                        return kind
                return None
            if "[Content_Types].xml" in names:
                return _ooxml_kind(archive, names)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise ValidationError(
            _("Il file è un archivio danneggiato: aprilo e salvalo di nuovo."), code="damaged"
        ) from None
    return None


def _ooxml_kind(archive: zipfile.ZipFile, names: set[str]) -> Kind | None:
    """DOCX or XLSX by the main part [Content_Types].xml declares (Word sometimes names it
    word/document2.xml), else by the usual part names. Macro-enabled files are neither."""
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise _archive_error(_("L'elemento «[Content_Types].xml» del file non è valido."))
    declared = archive.read(info)
    if b"wordprocessingml.document.main+xml" in declared:
        return DOCX
    if b"spreadsheetml.sheet.main+xml" in declared:
        return XLSX
    if b"macroEnabled" in declared:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def check_archive(data: bytes) -> None:
    """Check a zip archive's central directory (see the module's docstring); read nothing else."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive_entries(archive.infolist(), len(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise ValidationError(
            _("Il file è un archivio danneggiato: aprilo e salvalo di nuovo."), code="damaged"
        ) from None


def check_archive_entries(infos: Iterable[zipfile.ZipInfo], archive_size: int) -> None:
    infos = list(infos)
    if len(infos) > MAX_ENTRIES:
        raise _archive_error(
            _("Il file contiene %(count)s elementi compressi: al massimo %(max)s."),
            count=format_number(len(infos), 0),
            max=format_number(MAX_ENTRIES, 0),
        )
    seen: set[str] = set()
    expanded = 0
    compressed = 0
    for info in infos:
        name = info.filename
        _check_name(name, seen)
        if info.flag_bits & 0x1:
            raise _archive_error(_("Il file contiene un elemento cifrato («%(name)s»)."), name=name)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _archive_error(
                _("Il file usa una compressione non ammessa («%(name)s»)."), name=name
            )
        if name == "mimetype" and info.file_size > MAX_MIMETYPE_BYTES:
            raise _archive_error(_("L'elemento «mimetype» del file non è valido."), name=name)
        expanded += info.file_size
        compressed += info.compress_size
        if expanded > MAX_UNCOMPRESSED_BYTES:
            raise _archive_error(
                _(
                    "Il file, una volta decompresso, occuperebbe più di %(max)s: non è un "
                    "documento, o è una «bomba zip»."
                ),
                max=format_size(MAX_UNCOMPRESSED_BYTES),
            )
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _archive_error(
                _(
                    "L'elemento «%(name)s» si espanderebbe %(ratio)s volte (al massimo "
                    "%(max)s): non è un documento, o è una «bomba zip»."
                ),
                name=name,
                ratio=format_number(info.file_size // max(info.compress_size, 1), 0),
                max=MAX_RATIO,
            )
        if info.header_offset + info.compress_size > archive_size:
            raise _archive_error(_("Il file è un archivio danneggiato: aprilo e salvalo di nuovo."))
    if compressed > archive_size:
        # Entries that share their compressed bytes: the "overlapping" zip bomb.
        raise _archive_error(_("Il file è un archivio danneggiato: aprilo e salvalo di nuovo."))


def _check_name(name: str, seen: set[str]) -> None:
    parts = name.replace("\\", "/").split("/")
    if (
        name.startswith(("/", "\\"))
        or "\\" in name
        or re.match(r"^[A-Za-z]:", name)
        or ".." in parts
        or FORBIDDEN.search(name)
    ):
        raise _archive_error(
            _("Il file contiene un percorso non ammesso («%(name)s»)."), name=name[:100]
        )
    if name in seen:
        raise _archive_error(_("Il file contiene due volte l'elemento «%(name)s»."), name=name)
    seen.add(name)
    if NESTED.search(name):
        raise _archive_error(
            _(
                "Il file contiene un altro archivio compresso («%(name)s»), che non è ammesso: "
                "salvalo come PDF o senza oggetti incorporati."
            ),
            name=name,
        )


def _archive_error(message: str, **params: Any) -> ValidationError:
    return ValidationError(message % params if params else message, code="archive")


# --- Reading an upload ------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    data: bytes
    kind: Kind
    name: str  # the file's own name, without folders or control characters

    @property
    def size(self) -> int:
        return len(self.data)


def clean_name(name: str | None) -> str:
    """The name a browser sent, without folders or characters no text may hold."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return FORBIDDEN.sub("_", base).strip()[:200]


def read_upload(upload: Any, *, allowed: Sequence[Kind]) -> Upload:
    """Size, then content: the bytes of an uploaded file, checked. Raises ValidationError.

    The ente's quota is checked where the file is stored (`check_quota`, in that transaction).
    """
    size = int(getattr(upload, "size", 0) or 0)
    check_size(size)
    limit = max_file_bytes()
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    check_size(len(data))  # the size the client declared is not trusted either
    if not data:
        raise ValidationError(_("Il file è vuoto."), code="empty")
    return Upload(data=data, kind=identify(data, allowed), name=clean_name(upload.name))


class LimitedUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: a file over PONTI_MAX_UPLOAD_MB is not kept, in memory
    or on disk; the view gets an empty file with the size that was sent, and refuses it with
    the usual message."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.over = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > max_file_bytes():
            self.over = True
        return None if self.over else raw_data

    def file_complete(self, file_size: int) -> Any:
        if not self.over:
            return None
        return InMemoryUploadedFile(
            io.BytesIO(b""),
            self.field_name,
            self.file_name,
            self.content_type,
            self.received,
            self.charset,
            self.content_type_extra,
        )
