"""`ponti backup`: write the archive (see the package's docstring for its members)."""

from __future__ import annotations

import json
import os
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import BackupError
from .archive import (
    CHECKSUMS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_DIR,
    add_bytes,
    add_member,
    data_member,
    format_checksums,
    open_for_writing,
)
from .tables import (
    backed_up_models,
    file_fields,
    label,
    migration_state,
    read_sequences,
    rows,
)

# Where a restore stages the files it extracts, inside MEDIA_ROOT: never part of a backup.
STAGING_PREFIX = ".ponti-restore-"


@dataclass
class BackupResult:
    path: Path
    rows: dict[str, int]
    files: int
    media_bytes: int
    missing: list[str]
    size: int
    seconds: float
    sums: dict[str, str] = field(default_factory=dict)


def ponti_version() -> str:
    try:
        return metadata.version("ponti")
    except metadata.PackageNotFoundError:
        return "unknown"


@contextmanager
def snapshot(using: str) -> Iterator[None]:
    """One read transaction, so that every table is read as it was at one moment.

    PostgreSQL: REPEATABLE READ, READ ONLY. SQLite: a deferred transaction, which in WAL mode
    reads one snapshot and, unlike Ponti's usual BEGIN IMMEDIATE, does not block writers
    while the backup runs. Inside a transaction already (a caller's, a test's), that one is
    the snapshot.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        mode = connection.transaction_mode  # type: ignore[attr-defined]
        connection.transaction_mode = "DEFERRED"  # type: ignore[attr-defined]
        try:
            with transaction.atomic(using=using):
                connection.transaction_mode = mode  # type: ignore[attr-defined]
                yield
        finally:
            connection.transaction_mode = mode  # type: ignore[attr-defined]
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def referenced_files(models_: list[type[models.Model]], using: str) -> set[str]:
    """The names of the files the database points at (relative to MEDIA_ROOT)."""
    names: set[str] = set()
    for model in models_:
        for file_field in file_fields(model):
            values = (
                model._base_manager.using(using)
                .exclude(**{file_field.attname: ""})
                .exclude(**{f"{file_field.attname}__isnull": True})
                .values_list(file_field.attname, flat=True)
            )
            names.update(os.path.normpath(v).replace(os.sep, "/") for v in values.iterator())
    return names


def media_files(root: Path) -> dict[str, Path]:
    """Every file under MEDIA_ROOT, by its path relative to it (symbolic links followed once)."""
    found: dict[str, Path] = {}
    if not root.is_dir():
        return found
    visited: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in visited:  # a link back up the tree
            dirnames[:] = []
            continue
        visited.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(STAGING_PREFIX))
        for filename in sorted(filenames):
            path = Path(dirpath) / filename
            if path.is_file():
                found[path.relative_to(root).as_posix()] = path
    return found


def create_backup(
    path: str | Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    progress: Callable[[str], None] | None = None,
) -> BackupResult:
    """Write the archive to `path` (refused if it exists), through a temporary file beside it
    that is renamed only once complete. The file is readable by its owner only: it holds
    password hashes and API token hashes."""
    path = Path(path)
    if path.exists():
        raise BackupError(
            _("Il file %(path)s esiste già: scegli un altro nome, o cancellalo prima.")
            % {"path": path}
        )
    if not path.parent.is_dir():
        raise BackupError(_("La cartella %(dir)s non esiste.") % {"dir": path.parent})
    if path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
        # It would hold the previous backups, each one bigger than the last.
        raise BackupError(
            _("Scrivi il backup fuori dalla cartella dei documenti (%(dir)s).")
            % {"dir": settings.MEDIA_ROOT}
        )
    started = time.monotonic()
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise BackupError(
            _("Non riesco a scrivere in %(dir)s: %(error)s") % {"dir": path.parent, "error": exc}
        ) from exc
    try:
        with os.fdopen(descriptor, "wb") as raw, open_for_writing(raw, path.name) as tar:
            result = _write(tar, path.parent, using, progress or (lambda _line: None))
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    result.path, result.size = path, path.stat().st_size
    result.seconds = time.monotonic() - started
    return result


def _write(
    tar: tarfile.TarFile, workdir: Path, using: str, progress: Callable[[str], None]
) -> BackupResult:
    connection = connections[using]
    now = timezone.now()
    mtime = now.timestamp()
    sums: dict[str, str] = {}
    counts: dict[str, int] = {}
    with snapshot(using):
        models_ = backed_up_models()
        migrations = migration_state(connection)
        for model in models_:
            name = data_member(label(model))
            # One table at a time through a file beside the archive (tar needs each member's
            # size first): memory stays flat whatever the size of the table.
            with tempfile.TemporaryFile(dir=workdir) as buffer:
                count = 0
                for row in rows(model, using):
                    line = json.dumps(
                        row, ensure_ascii=False, sort_keys=True, separators=(",", ":")
                    )
                    buffer.write(line.encode("utf-8") + b"\n")
                    count += 1
                size = buffer.tell()
                buffer.seek(0)
                sums[name] = add_member(tar, name, buffer, size, mtime)
            counts[label(model)] = count
            progress(f"{label(model)}: {count}")
        referenced = referenced_files(models_, using)
        sequences = read_sequences(connection, models_)

    root = Path(settings.MEDIA_ROOT)
    present = media_files(root)
    missing = sorted(referenced - present.keys())
    media_bytes = 0
    for relative, file_path in present.items():
        with file_path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            member = MEDIA_DIR + relative
            sums[member] = add_member(tar, member, handle, size, file_path.stat().st_mtime)
            media_bytes += size
    progress(_("documenti: %(count)s") % {"count": len(present)})

    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "ponti_version": ponti_version(),
        "created_at": now.isoformat(),
        "database": connection.vendor,
        "migrations": migrations,
        "models": counts,
        "sequences": sequences,
        "media": {"files": len(present), "bytes": media_bytes, "missing": missing},
    }
    encoded = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    sums[MANIFEST] = add_bytes(tar, MANIFEST, encoded, mtime)
    add_bytes(tar, CHECKSUMS, format_checksums(sums), mtime)
    return BackupResult(
        path=Path(),
        rows=counts,
        files=len(present),
        media_bytes=media_bytes,
        missing=missing,
        size=0,
        seconds=0.0,
        sums=sums,
    )
