"""Time of the agreements' export (CSV, XLSX, ODS) of 10,000 agreements, through the list page.

    .venv/bin/python bench/exports.py [--agreements 10000 --runs 5]

Builds a throwaway SQLite database (var/bench-exports.sqlite3, rebuilt every run) with N
agreements of one ente, each with two partners (of 2,000 organisations) and two sectors, then
downloads `/accordi/?export=FMT` as a user of the ente with django.test.Client, in process, with
production settings (DEBUG off): the time from the request entering Django to the last byte
of the streamed file. On a machine shared with other work, the CPU time is the steadier
figure (the wall time includes waiting for a core). One warm-up, then N runs: p50 and max (wall and CPU), the SQL queries
and the file's size. Goal: the 10,000 agreements in ≤ 0.5 s (issue 12; the export it replaced
took 3.6–4.4 s, 2.4 million translation look-ups). Results: bench/results/exports-sqlite.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

from sqlite_env import ROOT, configure

GOAL_S = 0.5
RESULTS = Path(__file__).resolve().parent / "results" / "exports-sqlite.json"


def build(n: int) -> Any:
    """N agreements of Florence's ente with partners and sectors; answers the reading user."""
    from ponti.accounts.models import User
    from ponti.accounts.services import place_in_ente
    from ponti.agreements.models import Agreement
    from ponti.core.models import Ente, Sector
    from ponti.partners.models import Organisation

    ente = Ente.objects.get(slug="cm-firenze")
    countries = ["FR", "DE", "JP", "ES", "PL", "US", "BR", "MA", "CN", "GB"]
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Città {i:04d}",
            kind="city",
            country=countries[i % len(countries)],
            city=f"Città {i}",
            confidentiality="pubblico",
        )
        for i in range(2000)
    )
    orgs = list(Organisation.objects.values_list("pk", flat=True))
    sectors = list(Sector.objects.values_list("pk", flat=True))
    kinds = ["gemellaggio", "amicizia", "mou", "cooperazione", "intenti"]
    statuses = ["proposta", "attivo", "firmato", "scaduto"]
    day = datetime.date(2000, 1, 1)
    Agreement.objects.bulk_create(
        (
            Agreement(
                ente=ente,
                kind=kinds[i % len(kinds)],
                title=f"Accordo {i:05d}",
                status=statuses[i % len(statuses)],
                signed_on=day + datetime.timedelta(days=i % 9000),
                start_date=day + datetime.timedelta(days=i % 9000),
                end_date=day + datetime.timedelta(days=i % 9000 + 3650),
                approval_body="consiglio",
                approval_number=f"{i}/2020",
                confidence="high",
                confidentiality="interno",
            )
            for i in range(n)
        ),
        batch_size=2000,
    )
    ids = list(Agreement.objects.values_list("pk", flat=True))
    Partners = Agreement.partners.through
    Sectors = Agreement.sectors.through
    Partners.objects.bulk_create(
        (
            Partners(agreement_id=a, organisation_id=orgs[(i + k) % len(orgs)])
            for i, a in enumerate(ids)
            for k in (0, 1000)
        ),
        batch_size=5000,
    )
    Sectors.objects.bulk_create(
        (
            Sectors(agreement_id=a, sector_id=sectors[(i + k) % len(sectors)])
            for i, a in enumerate(ids)
            for k in (0, 3)
        ),
        batch_size=5000,
    )
    user = User.objects.create_user(username="bench-exports", password="x" * 20)
    place_in_ente(user, ente, "ufficio", None)
    return User.objects.get(pk=user.pk)


def measure(client: Any, fmt: str, runs: int) -> dict[str, Any]:
    from django.db import connection

    def once() -> int:
        response = client.get("/accordi/", {"export": fmt})
        assert response.status_code == 200, response.status_code
        if not response.streaming:  # the export this replaced built the whole file first
            return len(response.content)
        return sum(len(piece) for piece in response.streaming_content)

    once()  # warm-up
    queries: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        # Not CaptureQueriesContext: each request resets Django's query log.
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        size = once()
    times, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        once()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    result = {
        "p50_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
        "cpu_p50_s": round(statistics.median(cpu), 3),
        "queries": len(queries),
        "bytes": size,
        "goal_s": GOAL_S,
        "ok": statistics.median(times) <= GOAL_S,
    }
    print(
        f"{fmt:<5} {result['p50_s'] * 1000:7.0f} {result['max_s'] * 1000:7.0f} "
        f"{result['cpu_p50_s'] * 1000:8.0f} {result['queries']:8d} {size / 1024:8.0f}  "
        f"{'ok' if result['ok'] else 'SLOW'}"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--agreements", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sqlite-path", default=str(ROOT / "var" / "bench-exports.sqlite3"))
    parser.add_argument("--no-save", action="store_true", help="Print only; do not write results.")
    args = parser.parse_args()
    configure(Path(args.sqlite_path).resolve())

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    user = build(args.agreements)
    print(f"built {args.agreements} agreements in {time.perf_counter() - t0:.1f} s")
    client = Client()
    client.force_login(user)
    print(f"agreements export of {args.agreements} rows ({args.runs} runs after a warm-up)")
    print(f"{'fmt':<5} {'p50 ms':>7} {'max ms':>7} {'CPU p50':>8} {'queries':>8} {'KiB':>8}")
    results = {fmt: measure(client, fmt, args.runs) for fmt in ("csv", "xlsx", "ods")}
    if not args.no_save:
        RESULTS.write_text(
            json.dumps(
                {
                    "benchmark": "bench/exports.py",
                    "database": "sqlite",
                    "agreements": args.agreements,
                    "runs": args.runs,
                    "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                    "python": platform.python_version(),
                    "machine": platform.machine(),
                    "load_average_1min": round(os.getloadavg()[0], 2),
                    "before_s": "3.6-4.4 (issue 12: CSV, the export this replaced)",
                    "results": results,
                },
                indent=2,
            )
            + "\n"
        )
        print(f"saved {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
