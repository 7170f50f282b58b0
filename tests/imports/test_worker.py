"""The real background worker (`ponti db_worker`) on a database of its own, killed mid-import.

The page and the API only queue work: this test runs Ponti as `make run` does, in separate
processes on a SQLite file, starts the worker, kills it with SIGKILL while it writes a batch of
agreements, and checks that nothing of the batch was kept; then the stalled batch is confirmed
again and a new worker writes it whole.
"""

# ruff: noqa: S603 - the test starts Ponti itself, with fixed arguments
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROWS = 1200  # more than one chunk of 1,000: the kill lands after a chunk was written
PONTI = [sys.executable, "-m", "ponti.manage"]


def env_for(tmp: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_SETTINGS"))
    }
    env.update(
        PONTI_DEBUG="1",
        PONTI_VAR_DIR=str(tmp),
        PONTI_MEDIA_ROOT=str(tmp / "media"),
        PONTI_IMPORT_STALL_SECONDS="1",
        DJANGO_SETTINGS_MODULE="ponti.settings",
        PONTI_TASKS_BACKEND="django_tasks_db.backend.DatabaseBackend",
    )
    return env


def shell(env: dict[str, str], code: str) -> str:
    done = subprocess.run(
        [*PONTI, "shell", "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def state(env: dict[str, str]) -> dict[str, Any]:
    """Read straight from the SQLite file and the progress file: no Django process per look."""
    var = Path(env["PONTI_VAR_DIR"])
    with sqlite3.connect(var / "ponti.sqlite3", timeout=30) as db:
        batch_id, status, counts = db.execute(
            "SELECT id, status, counts FROM core_importbatch"
        ).fetchone()
        agreements = db.execute("SELECT count(*) FROM agreements_agreement").fetchone()[0]
    meter = var / "media" / "importazioni" / "avanzamento" / f"{batch_id}.json"
    try:
        progress = json.loads(meter.read_text())
    except (OSError, ValueError):
        progress = None
    return {
        "status": status,
        "agreements": agreements,
        "progress": progress,
        "counts": json.loads(counts),
    }


def wait_for(env: dict[str, str], test: Any, seconds: float) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        current = state(env)
        if test(current) or time.monotonic() > deadline:
            return current
        time.sleep(0.3)


def worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*PONTI, "db_worker", "--interval", "0.2", "--no-startup-delay"],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_a_worker_killed_while_writing_leaves_nothing_and_the_batch_runs_again(
    tmp_path: Path,
) -> None:
    env = env_for(tmp_path)
    migrated = subprocess.run(
        [*PONTI, "migrate", "--noinput"], env=env, capture_output=True, text=True, timeout=240
    )
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    rows = "".join(f"Città di prova {n};DE;19{n % 100:02d}\n" for n in range(ROWS))
    (tmp_path / "accordi.csv").write_text("partner;paese;anno\n" + rows, encoding="utf-8")
    shell(
        env,
        "from django.db import transaction\n"
        "from ponti.accounts.models import User\n"
        "from ponti.accounts.services import place_in_ente\n"
        "from ponti.core.models import Ente\n"
        "from ponti.core.importing import services\n"
        "ente = Ente.objects.get(slug='cm-firenze')\n"
        "user = User.objects.create_user(username='ufficio', password='x' * 16)\n"
        "place_in_ente(user, ente, 'ufficio', None)\n"
        f"data = open({str(tmp_path / 'accordi.csv')!r}, 'rb').read()\n"
        "services.start(user=user, ente=ente, kind='agreements', filename='accordi.csv', data=data)\n",
    )
    log = tmp_path / "worker.log"
    first = worker(env, log)
    try:
        checked = wait_for(env, lambda s: s["status"] == "checked", 90)
        assert checked["status"] == "checked", (checked, log.read_text()[-2000:])
        shell(
            env,
            "from ponti.core.importing import services\n"
            "from ponti.core.importing.models import ImportBatch\n"
            "b = ImportBatch.objects.get()\n"
            "services.confirm(b, user=b.user)\n",
        )
        writing = wait_for(
            env,
            lambda s: s["status"] == "writing" and (s["progress"] or {}).get("done", 0) >= 1000,
            90,
        )
        assert writing["status"] == "writing", (writing, log.read_text()[-2000:])
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
    killed = state(env)
    # The transaction died with the worker: not one agreement of the batch was kept.
    assert killed["status"] == "writing" and killed["agreements"] == 0, killed
    time.sleep(1.5)  # PONTI_IMPORT_STALL_SECONDS=1: the batch is now seen as stalled
    shell(
        env,
        "from ponti.core.importing import services\n"
        "from ponti.core.importing.models import ImportBatch\n"
        "b = ImportBatch.objects.get()\n"
        "assert b.stalled, b.status\n"
        "services.confirm(b, user=b.user)\n",
    )
    second = worker(env, log)
    try:
        done = wait_for(env, lambda s: s["status"] in {"done", "failed"}, 180)
    finally:
        os.killpg(second.pid, signal.SIGKILL)
        second.wait(10)
    assert done["status"] == "done", (done, log.read_text()[-2000:])
    assert done["agreements"] == ROWS
    assert done["counts"]["nuovo"] == ROWS
