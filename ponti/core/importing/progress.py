"""An import's progress, readable while the worker holds its transaction open.

The rows are written in one transaction (all or nothing), so progress cannot go through the
database: on SQLite the writer holds the lock, on PostgreSQL nobody else sees the uncommitted
rows. It goes to a small JSON file next to the uploaded files (PONTI_MEDIA_ROOT, shared by
every app server in a cluster), replaced atomically at most twice a second.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings


def _path(batch_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "importazioni" / "avanzamento" / f"{batch_id}.json"


class Progress:
    def __init__(self, batch_id: int, total: int | None, phase: str) -> None:
        self.batch_id = batch_id
        self.total = total
        self.phase = phase
        self.done = 0
        self._last = 0.0
        self.write(force=True)

    def step(self, done: int) -> None:
        self.done = done
        self.write()

    def write(self, *, force: bool = False) -> None:
        now = time.time()
        if not force and now - self._last < 0.5:
            return
        self._last = now
        path = _path(self.batch_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(
            json.dumps({"done": self.done, "total": self.total, "phase": self.phase, "at": now})
        )
        tmp.replace(path)


def read(batch_id: int) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads(_path(batch_id).read_text())
    except (OSError, ValueError):
        return None
    return data


def clear(batch_id: int) -> None:
    _path(batch_id).unlink(missing_ok=True)
