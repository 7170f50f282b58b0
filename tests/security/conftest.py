"""Fixtures of the security tests: a private MEDIA_ROOT, an agreement, a budget line, API clients,
and a real zip bomb (2 GB of zeros, deflated, built by streaming in memory)."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.agreements.conftest import make_agreement  # noqa: F401 - the same factory here
from tests.api.helpers import Api, token_client
from tests.meetings.conftest import make_meeting  # noqa: F401 - the same factory here


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def api_as(personas: dict[str, Any]) -> Callable[[str], Api]:
    return lambda role: token_client(personas[role])


@pytest.fixture
def budget_line(db: Any, ente: Any) -> Any:
    from ponti.planning.models import BudgetCode, BudgetLine

    def code(level: str, value: str) -> Any:
        return BudgetCode.objects.get(level=level, side="spesa", code=value)

    return BudgetLine.objects.create(
        ente=ente,
        number="1450",
        side="spesa",
        description="Quote associative reti",
        titolo=code("titolo", "1"),
        category=code("macroaggregato", "103"),
        programma=code("programma", "1901"),
        confidentiality="interno",
    )


# --- A zip bomb ---------------------------------------------------------------------------------

GB = 1024**3
MB = 1024**2


def _deflated_zeros(size: int) -> tuple[bytes, int]:
    """`size` zeros as one raw deflate stream, and their CRC-32, without ever holding them.

    Each megabyte is compressed after a full flush, which resets the compressor: every
    megabyte gives the same ~1 kB, so the stream is that block repeated, then the end."""
    chunk = bytes(MB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = io.BytesIO()
    crc = 0
    for _ in range(size // MB):
        stream.write(block)
        crc = zlib.crc32(chunk, crc)
    stream.write(compressor.flush(zlib.Z_FINISH))
    return stream.getvalue(), crc


def local_header(name: bytes, method: int, crc: int, compressed: int, size: int) -> bytes:
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, compressed, size, len(name), 0) + name  # fmt: skip


def central_entry(
    name: bytes, method: int, crc: int, compressed: int, size: int, offset: int
) -> bytes:
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, compressed, size, len(name), 0, 0, 0, 0, 0, offset) + name  # fmt: skip


def end_of_directory(count: int, length: int, start: int) -> bytes:
    return struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, length, start, 0)


def zip_archive(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip file from (name, raw data, method, crc, uncompressed size): what zipfile writes,
    but with data compressed by us (so that 2 GB of zeros never exist anywhere)."""
    out = io.BytesIO()
    directory = io.BytesIO()
    for name, data, method, crc, size in entries:
        offset = out.tell()
        out.write(local_header(name.encode(), method, crc, len(data), size) + data)
        directory.write(central_entry(name.encode(), method, crc, len(data), size, offset))
    start = out.tell()
    out.write(directory.getvalue())
    out.write(end_of_directory(len(entries), len(directory.getvalue()), start))
    return out.getvalue()


def stored(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    return (name, data, 0, zlib.crc32(data), len(data))


def deflated(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = compressor.compress(data) + compressor.flush()
    return (name, raw, 8, zlib.crc32(data), len(data))


@pytest.fixture(scope="session")
def zeros_2gb() -> tuple[bytes, int]:
    """2 GB of zeros as ~2 MB of deflate, and their CRC (built once: it takes a few seconds)."""
    return _deflated_zeros(2 * GB)


def _bomb(zeros: tuple[bytes, int], parts: list[str], expanding: str) -> bytes:
    data, crc = zeros
    entries = [deflated(name, f"<{name}/>".encode()) for name in parts]
    return zip_archive([*entries, (expanding, data, 8, crc, 2 * GB)])


@pytest.fixture(scope="session")
def docx_bomb(zeros_2gb: tuple[bytes, int]) -> bytes:
    """A DOCX whose document.xml expands to 2 GB."""
    return _bomb(zeros_2gb, ["[Content_Types].xml"], "word/document.xml")


@pytest.fixture(scope="session")
def xlsx_bomb(zeros_2gb: tuple[bytes, int]) -> bytes:
    """An XLSX whose first sheet expands to 2 GB."""
    return _bomb(zeros_2gb, ["[Content_Types].xml", "xl/workbook.xml"], "xl/worksheets/sheet1.xml")
