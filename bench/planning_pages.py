"""Speed of the planning pages and API on a large plan.

    .venv/bin/python bench/planning_pages.py [--lines 2000] [--meetings 3000] [--runs 30]

Builds a throwaway SQLite database (var/bench-planning-pages.sqlite3, rebuilt every run): the
seed's objectives (the planning demo) plus 60 operational objectives with 6 computed indicators
each, N budget lines with three years of amounts (a twentieth of them under 1901/0159), one
movement per line, M meetings and M/10 agreements for the metrics to count. Then times, through
Django's test client as the Responsabile (10 warm-up requests, then N runs): the objectives
tree, the page of 1901/0159 (indicators computed by metrics, totals, charts, history), the
budget lines list (first page and a search), a line's page, the totals and the indicators as
JSON, and the dry run of an import of 500 rows. Prints p50 and p95 and the queries per request.

Goal: p95 under 300 ms for each page and endpoint, under 2 s for the 500-row dry run.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlite_env import ROOT, configure

GOAL_MS = 300.0


def build(n_lines: int, n_meetings: int) -> tuple[Any, Any, Any]:
    from django.core.management import call_command

    from ponti.accounts.models import User
    from ponti.accounts.services import place_in_ente
    from ponti.agreements.models import Agreement
    from ponti.core.models import Ente
    from ponti.meetings.models import Meeting
    from ponti.planning.demo import load_planning
    from ponti.planning.models import (
        BudgetAmount,
        BudgetCode,
        BudgetLine,
        Indicator,
        IndicatorValue,
        Movement,
        Objective,
    )

    call_command("migrate", verbosity=0)
    if not (ROOT / "var" / "bench-static" / "staticfiles.json").exists():
        call_command("collectstatic", verbosity=0, interactive=False)
    ente = Ente.objects.get(slug="cm-firenze")
    user = User.objects.create_user(username="responsabile", password="bench-password-0")
    place_in_ente(user, ente, "responsabile")
    load_planning()
    seed = Objective.objects.get(code="1901/0159")
    strategic = seed.parent
    programma = BudgetCode.objects.get(level="programma", code="1901")
    others = Objective.objects.bulk_create(
        Objective(
            ente=ente, level="operativo", parent=strategic, code=f"1901/{1000 + i}",
            title=f"Obiettivo operativo {i}", programma=programma, start_year=2022, end_year=2024,
            confidentiality="interno",
        )
        for i in range(60)
    )  # fmt: skip
    metrics = ["active_twinnings", "agreements_signed", "meetings_held", "delegations_received",
               "network_roles", "eu_funds_assessed"]  # fmt: skip
    indicators = Indicator.objects.bulk_create(
        Indicator(objective=o, name=f"Indicatore {m}", metric=m) for o in others for m in metrics
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=i, year=y, target=Decimal(10)) for i in indicators for y in (2022, 2023, 2024)
    )  # fmt: skip
    titolo = BudgetCode.objects.get(level="titolo", side="spesa", code="1")
    macro = BudgetCode.objects.get(level="macroaggregato", code="103")
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(
            ente=ente, side="spesa", number=f"{5000 + i}", description=f"Capitolo di prova {i}",
            titolo=titolo, category=macro, programma=programma,
            objective=seed if i % 20 == 0 else others[i % len(others)], confidentiality="interno",
        )
        for i in range(n_lines)
    )  # fmt: skip
    BudgetAmount.objects.bulk_create(
        BudgetAmount(line=line, year=y, initial=Decimal("1000.00"), committed=Decimal("800.50"))
        for line in lines
        for y in (2022, 2023, 2024)
    )
    Movement.objects.bulk_create(
        Movement(line=line, year=2023, amount=Decimal("100.00"), description="Movimento")
        for line in lines
    )
    start = datetime.datetime(2022, 1, 1, 10, tzinfo=datetime.UTC)
    Meeting.objects.bulk_create(
        Meeting(ente=ente, title=f"Incontro {i}", status="svolto",
                kind="delegazione" if i % 4 == 0 else "incontro",
                starts_at=start + datetime.timedelta(hours=9 * i))
        for i in range(n_meetings)
    )  # fmt: skip
    Agreement.objects.bulk_create(
        Agreement(ente=ente, kind="gemellaggio", title=f"Accordo {i}", status="attivo",
                  signed_on=datetime.date(1990 + i % 35, 1, 1))
        for i in range(n_meetings // 10)
    )  # fmt: skip
    return user, seed, lines[0]


def measure(label: str, func: Callable[[], Any], runs: int, goal_ms: float = GOAL_MS) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(10):
        func()
    with CaptureQueriesContext(connection) as queries:
        func()
    n_queries = len(queries)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        func()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    ok = "ok" if p95 < goal_ms else "SLOW"
    print(f"{label:<34} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {n_queries:4d} queries  {ok}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--meetings", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--sqlite-path", default=str(ROOT / "var" / "bench-planning-pages.sqlite3"))
    args = parser.parse_args()
    configure(Path(args.sqlite_path).resolve())

    import django

    django.setup()
    from django.test import Client

    t0 = time.perf_counter()
    user, seed, line = build(args.lines, args.meetings)
    print(
        f"{args.lines} budget lines × 3 years, {args.meetings} meetings, 366 computed indicators "
        f"(built in {time.perf_counter() - t0:.1f} s); {args.runs} runs each, goal p95 < {GOAL_MS:.0f} ms"
    )
    client = Client()
    client.force_login(user)

    def get(url: str) -> Callable[[], Any]:
        def call() -> Any:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return call

    measure("objectives tree (62 objectives)", get("/programmazione/"), args.runs)
    measure("objective 1901/0159 page", get(f"/programmazione/obiettivi/{seed.pk}/"), args.runs)
    measure("budget lines, first page", get("/programmazione/capitoli/?year=2023"), args.runs)
    measure(
        "budget lines, search", get("/programmazione/capitoli/?year=2023&q=prova+19"), args.runs
    )
    measure("a budget line's page", get(f"/programmazione/capitoli/{line.pk}/"), args.runs)
    measure("API totals of 1901/0159", get(f"/api/v1/objectives/{seed.pk}/totals"), args.runs)
    measure(
        "API indicators of 1901/0159", get(f"/api/v1/objectives/{seed.pk}/indicators"), args.runs
    )

    from ponti.planning.imports import import_amounts

    rows = "\n".join(f"S;{5000 + i};2023;1.234,56" for i in range(500))
    data = f"tipo;capitolo;anno;impegnato_accertato\n{rows}\n".encode()
    measure(
        "import dry run, 500 rows",
        lambda: import_amounts(data, "importi.csv", ente=seed.ente, user=user, dry_run=True),
        max(3, args.runs // 10),
        goal_ms=2000,
    )


if __name__ == "__main__":
    main()
