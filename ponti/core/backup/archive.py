"""The archive's members: names, checksums (`SHA256SUMS`, as `sha256sum` writes them), and the
checks a member must pass before anything is read from it."""

from __future__ import annotations

import hashlib
import posixpath
import tarfile
from pathlib import Path
from typing import IO, Any

FORMAT = "ponti-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
DATA_DIR = "data/"
MEDIA_DIR = "media/"
# The manifest and the checksums are read whole: a bound keeps a hostile archive small.
MAX_SMALL_MEMBER = 256 * 1024 * 1024
CHUNK = 1024 * 1024


def data_member(model_label: str) -> str:
    return f"{DATA_DIR}{model_label}.jsonl"


def open_for_writing(raw: IO[bytes], name: str) -> tarfile.TarFile:
    """gzip-compressed when the name says so (.gz, .tgz); PAX headers for long UTF-8 names."""
    if name.endswith((".gz", ".tgz")):
        return tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT)
    return tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT)


def open_for_reading(path: Path) -> tarfile.TarFile:
    return tarfile.open(path, "r:*")  # the compression is detected


def is_safe_name(name: str) -> bool:
    """A relative path that stays inside the archive's directories once extracted."""
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return False
    normal = posixpath.normpath(name)
    return normal == name and not normal.startswith("../") and normal != ".."


# --- SHA256SUMS ----------------------------------------------------------------------------


def _escape(name: str) -> tuple[str, str]:
    # As GNU sha256sum: a name with a backslash or a newline is escaped, the line marked by "\".
    if "\\" in name or "\n" in name:
        return "\\", name.replace("\\", "\\\\").replace("\n", "\\n")
    return "", name


def _unescape(name: str) -> str:
    out, i = [], 0
    while i < len(name):
        if name[i] == "\\" and i + 1 < len(name):
            out.append("\n" if name[i + 1] == "n" else name[i + 1])
            i += 2
        else:
            out.append(name[i])
            i += 1
    return "".join(out)


def format_checksums(sums: dict[str, str]) -> bytes:
    lines = []
    for name, digest in sums.items():
        mark, escaped = _escape(name)
        lines.append(f"{mark}{digest}  {escaped}\n")
    return "".join(lines).encode("utf-8")


def parse_checksums(text: bytes) -> dict[str, str]:
    """Refuses anything but well-formed lines: a damaged list is a damaged archive."""
    sums: dict[str, str] = {}
    for number, line in enumerate(text.decode("utf-8").splitlines(), start=1):
        escaped = line.startswith("\\")
        body = line[1:] if escaped else line
        digest, sep, name = body.partition("  ")
        if not sep or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError(f"{CHECKSUMS}, line {number}: not «<sha256>  <name>»")
        name = _unescape(name) if escaped else name
        if name in sums:
            raise ValueError(f"{CHECKSUMS}, line {number}: {name} listed twice")
        sums[name] = digest
    return sums


# --- reading and writing members ------------------------------------------------------------


class HashingReader:
    """Reads a member and hashes what it reads; `check()` compares the digest at the end."""

    def __init__(self, raw: IO[bytes], name: str, expected: str | None = None) -> None:
        self.raw, self.name, self.expected = raw, name, expected
        self.sha = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha.update(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        data = self.raw.readline(size)
        self.sha.update(data)
        return data

    def __iter__(self) -> Any:
        while line := self.readline():
            yield line

    def drain(self) -> None:
        while self.read(CHUNK):
            pass

    def hexdigest(self) -> str:
        return self.sha.hexdigest()

    def matches(self) -> bool:
        self.drain()
        return self.expected is not None and self.hexdigest() == self.expected


def add_member(tar: tarfile.TarFile, name: str, source: IO[bytes], size: int, mtime: float) -> str:
    """Add `size` bytes of `source` under `name`; answer their SHA-256."""
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, mtime, 0o600
    reader = HashingReader(source, name)
    tar.addfile(info, reader)  # type: ignore[arg-type]
    return reader.hexdigest()


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> str:
    import io

    return add_member(tar, name, io.BytesIO(data), len(data), mtime)
