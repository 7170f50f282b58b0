"""Time of the DUP sheet (PDF, DOCX, ODT) and of the stato di attuazione (PDF) of the demo objective 1901/0159.

    .venv/bin/python bench/planning_documents.py [--runs 10]

Builds a throwaway SQLite database (var/bench-planning-documents.sqlite3, rebuilt every run) with
the planning demo (the seed's objectives, indicators and example budget lines), then times each
document through the same code as the download page (`ponti.planning.documents`): one warm-up,
then N runs, printing p50 and max (wall and CPU) and the number of SQL queries.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlite_env import ROOT, configure

GOAL_S = 2.0


def measure(label: str, func: Callable[[], Any], runs: int) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    func()  # warm-up: templates, fonts
    with CaptureQueriesContext(connection) as queries:
        func()
    n_queries = len(queries)
    times, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        func()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    result = {
        "p50": statistics.median(times),
        "max": max(times),
        "cpu_p50": statistics.median(cpu),
        "queries": n_queries,
    }
    ok = "ok" if result["p50"] < GOAL_S else "SLOW"
    print(
        f"{label:<22} {result['p50'] * 1000:7.0f} {result['max'] * 1000:7.0f} {result['cpu_p50'] * 1000:8.0f} {n_queries:8d}  {ok}"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--sqlite-path", default=str(ROOT / "var" / "bench-planning-documents.sqlite3")
    )
    args = parser.parse_args()
    configure(Path(args.sqlite_path).resolve())

    import django

    django.setup()
    from django.core.management import call_command

    from ponti.planning.demo import OPERATIONAL_CODE, load_planning
    from ponti.planning.documents import render_progress_report, render_sheet
    from ponti.planning.models import Objective

    call_command("migrate", verbosity=0)
    load_planning()
    objective = Objective.objects.get(code=OPERATIONAL_CODE)
    print(
        f"documents of objective {OPERATIONAL_CODE} ({args.runs} runs each after a warm-up, goal < {GOAL_S:.0f} s)"
    )
    print(f"{'document':<22} {'p50 ms':>7} {'max ms':>7} {'CPU p50':>8} {'queries':>8}")
    for fmt in ("pdf", "docx", "odt"):
        measure(f"sheet {fmt}", lambda f=fmt: render_sheet(objective, f), args.runs)  # type: ignore[misc]
    measure(
        "progress report pdf", lambda: render_progress_report(objective, 2023, "pdf"), args.runs
    )
    print(f"sheet PDF: {len(render_sheet(objective, 'pdf').content) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
