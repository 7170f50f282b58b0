"""`ponti restore`: check the whole archive, then replace the instance's data with it.

Order, so that a bad archive changes nothing:
1. every member's SHA-256 against `SHA256SUMS`, and the manifest against this code (format,
   migrations, tables); the instance must be migrated and empty (or `force`);
2. in one transaction: empty every table, load every row with its primary key (batches of raw
   inserts: no signals, so no audit events), check the foreign keys, set the sequences; the
   documents are extracted meanwhile into a staging folder inside MEDIA_ROOT;
3. after the commit, the documents are moved into place.
"""

from __future__ import annotations

import json
import os
import shutil
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.utils.translation import gettext as _

from . import BackupError
from .archive import (
    CHECKSUMS,
    CHUNK,
    DATA_DIR,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MAX_SMALL_MEMBER,
    MEDIA_DIR,
    HashingReader,
    data_member,
    is_safe_name,
    open_for_reading,
    parse_checksums,
)
from .create import STAGING_PREFIX, media_files
from .tables import (
    WRITTEN_BY_MIGRATE,
    backed_up_models,
    decoder,
    insert_sql,
    label,
    migration_differences,
    migration_state,
    pending_migrations,
    set_sequences,
    wipe,
    wiped_models,
)

READ_ERRORS = (tarfile.TarError, OSError, EOFError, zlib.error)
BATCH = 1000  # rows per executemany


@dataclass
class Verified:
    path: Path
    manifest: dict[str, Any]
    sums: dict[str, str]


@dataclass
class Holdings:
    """What the instance holds beyond what `migrate` writes: rows per model, and files."""

    rows: dict[type[models.Model], int]
    files: int

    def __bool__(self) -> bool:
        return bool(self.rows or self.files)

    def describe(self, most: int = 8) -> str:
        """E.g. «3940 righe in 26 tabelle (organizzazioni: 317, accordi: 48, …); 1 file in
        MEDIA_ROOT»: the largest tables by name, links between records counted, not named."""
        named = sorted(
            ((m, n) for m, n in self.rows.items() if not m._meta.auto_created),
            key=lambda item: (-item[1], label(item[0])),
        )
        parts = []
        if self.rows:
            shown = ", ".join(f"{m._meta.verbose_name_plural}: {n}" for m, n in named[:most])
            parts.append(
                _("%(rows)s righe in %(tables)s tabelle (%(shown)s%(more)s)")
                % {
                    "rows": sum(self.rows.values()),
                    "tables": len(self.rows),
                    "shown": shown,
                    "more": ", …" if len(named) > most else "",
                }
            )
        if self.files:
            parts.append(_("%(count)s file in MEDIA_ROOT") % {"count": self.files})
        return "; ".join(parts)


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    rows: int
    files: int
    wiped: Holdings
    seconds: float


# --- 1. checks, before anything is written ---------------------------------------------------


def _damaged(path: Path, detail: str) -> BackupError:
    return BackupError(
        _(
            "L'archivio %(path)s è danneggiato o incompleto (%(detail)s): non è stato "
            "ripristinato nulla."
        )
        % {"path": path, "detail": detail}
    )


def verify(path: str | Path) -> Verified:
    """Read every member once: each must be a plain file with a safe name, listed in
    SHA256SUMS with its SHA-256; the manifest must be one this code understands."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("Il file %(path)s non esiste.") % {"path": path})
    digests: dict[str, str] = {}
    small: dict[str, bytes] = {}
    try:
        with open_for_reading(path) as tar:
            for member in tar:
                name = member.name
                if not member.isfile() or not is_safe_name(name):
                    raise _damaged(path, _("membro non ammesso: %(name)s") % {"name": name})
                if name in digests:
                    raise _damaged(path, _("membro ripetuto: %(name)s") % {"name": name})
                reader = HashingReader(_open(tar, member), name)
                if name in (MANIFEST, CHECKSUMS):
                    if member.size > MAX_SMALL_MEMBER:
                        raise _damaged(path, _("%(name)s troppo grande") % {"name": name})
                    small[name] = reader.read()
                reader.drain()
                digests[name] = reader.hexdigest()
    except READ_ERRORS as exc:
        raise _damaged(path, str(exc)) from exc
    if CHECKSUMS not in small or MANIFEST not in small:
        raise _damaged(path, _("mancano %(a)s o %(b)s") % {"a": MANIFEST, "b": CHECKSUMS})
    try:
        sums = parse_checksums(small[CHECKSUMS])
    except (ValueError, UnicodeDecodeError) as exc:
        raise _damaged(path, str(exc)) from exc
    members = set(digests) - {CHECKSUMS}
    problems = [
        *(
            _("%(name)s: checksum diverso") % {"name": n}
            for n in sorted(members & sums.keys())
            if digests[n] != sums[n]
        ),
        *(_("%(name)s: manca") % {"name": n} for n in sorted(sums.keys() - members)),
        *(
            _("%(name)s: non elencato in %(sums)s") % {"name": n, "sums": CHECKSUMS}
            for n in sorted(members - sums.keys())
        ),
    ]
    if problems:
        more = len(problems) - 5
        detail = "; ".join(problems[:5]) + (f"; … (+{more})" if more > 0 else "")
        raise _damaged(path, detail)
    try:
        manifest = json.loads(small[MANIFEST])
    except ValueError as exc:
        raise _damaged(path, f"{MANIFEST}: {exc}") from exc
    _check_manifest(path, manifest, sums)
    return Verified(path=path, manifest=manifest, sums=sums)


def _open(tar: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    handle = tar.extractfile(member)
    assert handle is not None  # a regular file
    return handle


def _well_formed(manifest: Any) -> bool:
    def mapping_of(value: Any, kind: Any) -> bool:
        return isinstance(value, dict) and all(isinstance(v, kind) for v in value.values())

    return (
        isinstance(manifest, dict)
        and manifest.get("format") == FORMAT
        and isinstance(manifest.get("format_version"), int)
        and mapping_of(manifest.get("migrations"), list)
        and mapping_of(manifest.get("models"), int)
        and mapping_of(manifest.get("sequences", {}), int)
        and isinstance(manifest.get("media"), dict)
    )


def _check_manifest(path: Path, manifest: Any, sums: dict[str, str]) -> None:
    if not _well_formed(manifest):
        raise BackupError(_("%(path)s non è un backup di Ponti.") % {"path": path})
    if manifest["format_version"] > FORMAT_VERSION:
        raise BackupError(
            _(
                "%(path)s è stato creato da una versione più recente di Ponti (%(version)s): "
                "aggiorna Ponti prima di ripristinarlo."
            )
            % {"path": path, "version": manifest.get("ponti_version")}
        )
    known = {label(m) for m in backed_up_models()}
    listed = set(manifest["models"])
    if listed != known:
        raise BackupError(
            _(
                "Le tabelle dell'archivio non sono quelle di questa versione di Ponti "
                "(solo nell'archivio: %(theirs)s; solo qui: %(ours)s)."
            )
            % {
                "theirs": ", ".join(sorted(listed - known)) or "—",
                "ours": ", ".join(sorted(known - listed)) or "—",
            }
        )
    absent = [data_member(name) for name in sorted(listed) if data_member(name) not in sums]
    files = sum(1 for name in sums if name.startswith(MEDIA_DIR))
    if absent or files != manifest["media"].get("files"):
        raise _damaged(path, ", ".join(absent) or _("il numero dei documenti non torna"))


def check_target(verified: Verified, using: str) -> None:
    """The instance runs the same migrations as the archive's, all applied."""
    connection = connections[using]
    pending = pending_migrations(connection)
    if pending:
        raise BackupError(
            _(
                "Il database non è aggiornato (migrazioni da applicare: %(names)s): esegui "
                "prima `ponti migrate`, poi ripeti il ripristino."
            )
            % {"names": ", ".join(pending)}
        )
    manifest = verified.manifest
    differences = migration_differences(manifest["migrations"], migration_state(connection))
    if differences:
        raise BackupError(
            _(
                "L'archivio (Ponti %(version)s, del %(created)s) ha migrazioni diverse da quelle "
                "di questo codice: %(differences)s. Ripristinalo con la versione di Ponti che "
                "l'ha creato e poi aggiorna con `ponti migrate`; se l'archivio è più recente, "
                "aggiorna prima Ponti."
            )
            % {
                "version": manifest.get("ponti_version"),
                "created": manifest.get("created_at"),
                "differences": "; ".join(differences),
            }
        )


def holdings(using: str) -> Holdings:
    rows = {}
    for model in wiped_models():
        if label(model) in WRITTEN_BY_MIGRATE:
            continue
        count = model._base_manager.using(using).count()
        if count:
            rows[model] = count
    return Holdings(rows=rows, files=len(media_files(Path(settings.MEDIA_ROOT))))


# --- 2. loading ----------------------------------------------------------------------------


def restore_backup(
    path: str | Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    force: bool = False,
    log: Callable[[str], None] | None = None,
    progress: Callable[[str], None] | None = None,
) -> RestoreResult:
    """Replace the instance's data and documents with the archive's.

    Refused when the instance holds data (rows beyond those `migrate` writes, or files in
    MEDIA_ROOT) unless `force`: then that data is wiped, and `log` is told what first.
    `progress` hears of each table loaded.
    """
    started = time.monotonic()
    log = log or (lambda _line: None)
    verified = verify(path)
    check_target(verified, using)
    held = holdings(using)
    if held and not force:
        raise BackupError(
            _(
                "Questa installazione contiene già dati: %(what)s. Il ripristino li "
                "cancellerebbe: ripeti con --force se è ciò che vuoi."
            )
            % {"what": held.describe()}
        )
    if held:
        log(_("Cancello: %(what)s.") % {"what": held.describe()})

    root = Path(settings.MEDIA_ROOT)
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    except OSError as exc:
        raise BackupError(
            _("Non riesco a scrivere i documenti in %(dir)s: %(error)s")
            % {"dir": root, "error": exc}
        ) from exc
    try:
        connection = connections[using]
        with transaction.atomic(using=using):
            wipe(connection, wiped_models())
            rows, files = _load(verified, using, staging, progress or (lambda _line: None))
            _check_constraints(using)
            set_sequences(
                connection, backed_up_models(), verified.manifest.get("sequences") or {}, using
            )
        ContentType.objects.clear_cache()  # the ids may have changed
        try:
            _place_files(staging, root, replace_all=bool(held.files), keep=verified.path)
        except OSError as exc:
            raise BackupError(
                _(
                    "Il database è stato ripristinato, ma non tutti i documenti (%(error)s): "
                    "risolvi il problema e ripeti il ripristino con --force."
                )
                % {"error": exc}
            ) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(
        manifest=verified.manifest,
        rows=rows,
        files=files,
        wiped=held,
        seconds=time.monotonic() - started,
    )


def _load(
    verified: Verified, using: str, staging: Path, progress: Callable[[str], None]
) -> tuple[int, int]:
    """Second reading of the archive: the rows into the database, the files into staging.
    Each member is hashed again as it is read (the file might have changed since the check)."""
    by_member = {data_member(label(m)): m for m in backed_up_models()}
    expected_rows = verified.manifest["models"]
    total_rows = total_files = 0
    try:
        with open_for_reading(verified.path) as tar:
            for member in tar:
                name = member.name
                if name not in verified.sums:
                    continue
                reader = HashingReader(_open(tar, member), name, verified.sums[name])
                if name.startswith(DATA_DIR):
                    model = by_member[name]
                    count = _load_table(model, reader, using)
                    if count != expected_rows[label(model)]:
                        raise _damaged(
                            verified.path, _("%(name)s: righe mancanti") % {"name": name}
                        )
                    total_rows += count
                    progress(f"{label(model)}: {count}")
                elif name.startswith(MEDIA_DIR):
                    target = staging / name[len(MEDIA_DIR) :]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with target.open("wb") as out:
                        while chunk := reader.read(CHUNK):
                            out.write(chunk)
                    os.utime(target, (member.mtime, member.mtime))
                    total_files += 1
                if not reader.matches():
                    raise _damaged(verified.path, _("%(name)s: checksum diverso") % {"name": name})
    except READ_ERRORS as exc:
        raise _damaged(verified.path, str(exc)) from exc
    progress(_("documenti: %(count)s") % {"count": total_files})
    return total_rows, total_files


def _load_table(model: type[models.Model], lines: HashingReader, using: str) -> int:
    connection = connections[using]
    decode = decoder(model, connection)
    sql = insert_sql(model, connection)
    batch: list[list[Any]] = []
    count = 0

    def insert() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.executemany(sql, batch)
        except DatabaseError as exc:
            raise BackupError(
                _("Non riesco a caricare %(table)s (righe %(first)s-%(last)s): %(error)s")
                % {
                    "table": label(model),
                    "first": count - len(batch) + 1,
                    "last": count,
                    "error": exc,
                }
            ) from exc
        batch.clear()

    for number, line in enumerate(lines, start=1):
        try:
            batch.append(decode(json.loads(line)))
        except (ValueError, TypeError, ValidationError) as exc:
            raise BackupError(
                _("%(table)s, riga %(line)s dell'archivio: %(error)s")
                % {"table": label(model), "line": number, "error": exc}
            ) from exc
        count = number
        if len(batch) >= BATCH:
            insert()
    if batch:
        insert()
    return count


def _check_constraints(using: str) -> None:
    connection = connections[using]
    try:
        connection.check_constraints(table_names=[m._meta.db_table for m in backed_up_models()])
    except DatabaseError as exc:
        raise BackupError(
            _("L'archivio non è coerente (un riferimento a una riga che non c'è): %(error)s")
            % {"error": exc}
        ) from exc


# --- 3. the documents ------------------------------------------------------------------------


def _place_files(staging: Path, root: Path, *, replace_all: bool, keep: Path) -> None:
    """Move the extracted files into MEDIA_ROOT; when the instance had files (a forced
    restore), those that the archive has not are deleted, so MEDIA_ROOT is the archive's
    (the archive itself aside, should it lie there)."""
    restored = media_files(staging)
    if replace_all:
        for relative, path in media_files(root).items():
            if relative not in restored and not path.samefile(keep):
                path.unlink()
    for relative, path in restored.items():
        destination = root / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, destination)
