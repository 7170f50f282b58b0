"""Speed of partner matching (`ponti.partners.matching`) at scale: the gazetteer's load,
the index over every organisation, 1,000 import-style look-ups, and the duplicate warning.

    .venv/bin/python bench/matching.py [--organisations 50000 --people 1000] [--rebuild]

It uses a SQLite database of its own (`var/bench-matching.sqlite3`, seeded once with
`ponti seed-scale` and reused while the sizes are the same) and writes
`bench/results/matching-sqlite.json`. Goal: 1,000 look-ups against 50,000 organisations
well under 5 s (the import of 1,000 twin-town rows must take ≤ 10 s in all).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.registry import (  # noqa: E402 - after the path
    RESULTS,
    bench_user,
    configure_environment,
    git_revision,
    prepare,
)

GOAL_LOOKUPS_S = 5.0
# Names as twin-town lists write them: Italian exonyms, local names, transliterations.
SPELLINGS = [
    ("Parigi", "FR"),
    ("Colonia", "DE"),
    ("Köln", "DE"),
    ("Londra", "GB"),
    ("Cracovia", "PL"),
    ("Edimburgo", "GB"),
    ("Kiev", "UA"),
    ("Nanchino", "CN"),
    ("Monaco di Baviera", "DE"),
    ("Mosca", "RU"),
    ("Pechino", "CN"),
    ("Lisbona", "PT"),
    ("Siviglia", "ES"),
    ("Salisburgo", "AT"),
    ("Gerusalemme", "IL"),
    ("Il Cairo", "EG"),
]


def probe_gazetteer() -> None:
    """In a fresh process: time and memory of the gazetteer's first use."""
    import django

    django.setup()
    from ponti.partners import gazetteer

    before = _rss_kb()
    started = time.perf_counter()
    gazetteer.get()
    seconds = time.perf_counter() - started
    # Resident memory now, not the peak: on Linux ru_maxrss carries the parent's over exec.
    growth = (_rss_kb() - before) / 1024
    print(json.dumps({"seconds": round(seconds, 3), "rss_growth_mb": round(growth)}))


def _rss_kb() -> int:
    import gc

    gc.collect()
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def gazetteer_figures() -> dict[str, Any]:
    from django.conf import settings

    cache_dir = Path(settings.VAR_DIR) / "cache"
    for old in cache_dir.glob("gazetteer-*.pickle"):
        old.unlink()
    figures = {}
    for label in ("build_from_json", "load_cached_pickle"):
        out = subprocess.run(  # noqa: S603 - this script, fixed arguments
            [sys.executable, __file__, "--probe-gazetteer"],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ,
        ).stdout
        figures[label] = json.loads(out.strip().splitlines()[-1])
    pickles = list(cache_dir.glob("gazetteer-*.pickle"))
    figures["pickle_mb"] = round(pickles[0].stat().st_size / 1e6, 1) if pickles else None
    return figures


def lookups(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """A third existing names (exact), a third other-language city names, a third unknown."""
    from ponti.partners.models import Organisation

    existing = list(Organisation.objects.order_by("?").values_list("name", "country")[: count // 3])
    spelled = [rng.choice(SPELLINGS) for _ in range(count // 3)]
    unknown = [
        (f"Comune di {rng.choice(['San', 'Santa', 'Villa', 'Monte'])} {rng.randrange(10**6)}", "IT")
        for _ in range(count - len(existing) - len(spelled))
    ]
    rows = existing + spelled + unknown
    rng.shuffle(rows)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=50_000)
    parser.add_argument("--people", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lookups", type=int, default=1_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--probe-gazetteer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sqlite-path", default=str(ROOT / "var" / "bench-matching.sqlite3"))
    args = parser.parse_args()
    args.database_url = ""
    if args.probe_gazetteer:
        probe_gazetteer()
        return
    configure_environment(args)
    import django

    django.setup()
    from ponti.partners import matching
    from ponti.partners.models import Organisation, OrganisationName

    setup = prepare(args, "sqlite")
    user, _token = bench_user()
    report: dict[str, Any] = {"gazetteer": gazetteer_figures()}

    started = time.perf_counter()
    index = matching.OrganisationIndex.visible_to(user)
    report["index_build_s"] = round(time.perf_counter() - started, 3)
    report["index_size"] = len(index)

    rows = lookups(random.Random(args.seed), args.lookups)
    started = time.perf_counter()
    certain = probable = 0
    for name, country in rows:
        found = index.match(name, country=country)
        certain += bool(found and found[0].certain)
        probable += bool(found and found[0].probable)
    seconds = time.perf_counter() - started
    report["lookups"] = {
        "count": len(rows),
        "seconds": round(seconds, 3),
        "per_lookup_ms": round(seconds / len(rows) * 1000, 2),
        "best_certain": certain,
        "best_probable": probable,
        "goal_s": GOAL_LOOKUPS_S,
    }

    # The duplicate warning and the API's 409: one narrowed index per question.
    times = []
    for name, country in rows[:100]:
        started = time.perf_counter()
        matching.candidates(name, reader=user, country=country)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    report["warning_ms"] = {
        "p50": round(statistics.median(times), 1),
        "p95": round(times[94], 1),
        "max": round(times[-1], 1),
    }
    report.update(
        {
            "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "git": git_revision(),
            "python": platform.python_version(),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
            "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
            "sizes": {
                "organisations": Organisation.objects.count(),
                "other_names": OrganisationName.objects.count(),
            },
            "setup": setup,
        }
    )
    print(json.dumps(report, indent=2, ensure_ascii=False))
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "matching-sqlite.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
