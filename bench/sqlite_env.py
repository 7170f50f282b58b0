"""The environment of the single-process benchmarks: production settings on a throwaway SQLite file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def configure(path: Path) -> None:
    """Point Ponti at a fresh SQLite database at `path` (its name must contain "bench"), DEBUG off,
    without the HTTPS redirect, with hashed static files under var/bench-static."""
    if "bench" not in path.name:
        sys.exit(f"Refusing to use {path}: the benchmark database's name must contain 'bench'.")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ponti.settings"
    os.environ["PONTI_DEBUG"] = "0"
    os.environ.setdefault("PONTI_SECRET_KEY", "bench-only-secret-key-" + "b" * 40)
    os.environ["PONTI_ALLOWED_HOSTS"] = "testserver"
    os.environ["PONTI_LOG_LEVEL"] = "WARNING"
    os.environ["PONTI_SSL_REDIRECT"] = "0"
    os.environ["PONTI_STATIC_ROOT"] = str(ROOT / "var" / "bench-static")
    os.environ["PONTI_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ.pop("DATABASE_URL", None)
    os.environ["PONTI_SQLITE_PATH"] = str(path)
    sys.path.insert(0, str(ROOT))
