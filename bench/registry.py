"""Server time of the partner registry's pages and API at scale (50,000 organisations,
100,000 people by default), on a database of its own.

    .venv/bin/python bench/registry.py [--organisations 50000 --people 100000]
                                       [--database-url postgres://postgres@127.0.0.1:5432/ponti_bench]

It builds the benchmark database once (migrate, then `ponti seed-scale`) and reuses it
while the sizes are the same; it never opens another database: a SQLite path or a
PostgreSQL database name must contain "bench". Requests go through django.test.Client,
in process, with production settings (DEBUG off, hashed static files): what is measured
is the server's time, from the request entering Django to the response leaving it.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import json
import math
import os
import platform
import pstats
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
SOURCE = "ponti seed-scale"
GOAL_P95_MS = 100.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=50_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1, help="seed-scale's seed (default 1).")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", ""),
        help="PostgreSQL URL of a database used only by the benchmark (its name must contain "
        "'bench'; it is created if missing). Default: SQLite at var/bench.sqlite3.",
    )
    parser.add_argument("--sqlite-path", default=str(ROOT / "var" / "bench.sqlite3"))
    parser.add_argument("--requests", type=int, default=100, help="Measured requests per endpoint.")
    parser.add_argument(
        "--warmup", type=int, default=10, help="Unmeasured requests per endpoint first."
    )
    parser.add_argument("--only", default="", help="Only endpoints whose name contains this text.")
    parser.add_argument(
        "--rebuild", action="store_true", help="Drop and rebuild the database and static files."
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="Also print a cProfile summary and the slowest SQL of each endpoint.",
    )
    parser.add_argument("--no-save", action="store_true", help="Print only; do not write results.")
    return parser.parse_args()


# --- the database, before Django starts -----------------------------------------------------


def _dedicated(name: str) -> None:
    if "bench" not in name:
        sys.exit(f"Refusing to use {name!r}: the benchmark database's name must contain 'bench'.")


def configure_environment(args: argparse.Namespace) -> str:
    """Production-like settings, pointed at the benchmark database. Answers the backend name."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "ponti.settings"
    os.environ["PONTI_DEBUG"] = "0"
    os.environ.setdefault("PONTI_SECRET_KEY", "bench-only-secret-key-" + "b" * 40)
    os.environ["PONTI_ALLOWED_HOSTS"] = "testserver"
    os.environ["PONTI_SSL_REDIRECT"] = "0"
    os.environ["PONTI_LOG_LEVEL"] = "WARNING"
    # Hashed, compressed static files, as in production, collected once apart from var/static.
    static_root = ROOT / "var" / "bench-static"
    if args.rebuild:
        shutil.rmtree(static_root, ignore_errors=True)
    os.environ["PONTI_STATIC_ROOT"] = str(static_root)
    os.environ["PONTI_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    if args.database_url:
        url = urlsplit(args.database_url)
        if not url.scheme.startswith("postgres"):
            sys.exit("--database-url must be a PostgreSQL URL (SQLite is the default).")
        _dedicated(url.path.lstrip("/"))
        ensure_postgres_database(args.database_url, drop=args.rebuild)
        os.environ["DATABASE_URL"] = args.database_url
        return "postgresql"
    os.environ.pop("DATABASE_URL", None)
    path = Path(args.sqlite_path).resolve()
    _dedicated(path.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    if args.rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["PONTI_SQLITE_PATH"] = str(path)
    return "sqlite"


def ensure_postgres_database(database_url: str, *, drop: bool = False) -> None:
    """Create the benchmark database if missing (or drop and create it): nothing else."""
    import psycopg

    url = urlsplit(database_url)
    name = url.path.lstrip("/")
    _dedicated(name)
    maintenance = url._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            conn.execute(psycopg.sql.SQL("DROP DATABASE {}").format(psycopg.sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))


# --- building the data ---------------------------------------------------------------------


def prepare(args: argparse.Namespace, backend: str) -> dict[str, Any]:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from ponti.partners.models import Organisation, Person

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    info: dict[str, Any] = {"migrate_s": round(time.perf_counter() - started, 1)}
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        started = time.perf_counter()
        call_command("collectstatic", verbosity=0, interactive=False)
        info["collectstatic_s"] = round(time.perf_counter() - started, 1)

    have = (
        Organisation.objects.filter(source=SOURCE).count(),
        Person.objects.filter(gdpr_source=SOURCE).count(),
    )
    if have == (args.organisations, args.people):
        info["seeded"] = "reused"
        return info
    if have != (0, 0) or Organisation.objects.exists():
        sys.exit(
            f"The benchmark database holds {have[0]} synthetic organisations and {have[1]} people "
            f"(or other rows), not {args.organisations} and {args.people}: run with --rebuild."
        )
    print(f"Seeding {args.organisations} organisations and {args.people} people…", flush=True)
    started = time.perf_counter()
    call_command(
        "seed-scale",
        organisations=args.organisations,
        people=args.people,
        seed=args.seed,
        force=True,
        stdout=sys.stdout,
    )
    info["seed_s"] = round(time.perf_counter() - started, 1)
    if backend == "postgresql":
        # What autovacuum soon does after a bulk load: statistics for the planner, and the
        # visibility map that lets a COUNT read an index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    info["seeded"] = "now"
    return info


def bench_user() -> tuple[Any, str]:
    """The `ufficio` user (clearance: everything), logged in, and a fresh API token."""
    from ponti.accounts.models import ApiToken, User
    from ponti.accounts.services import place_in_ente
    from ponti.core.models import Ente

    user = User.objects.filter(username="ufficio").first()
    if user is None:
        user = User.objects.create_user(username="ufficio", email="ufficio@example.org")
        user.set_unusable_password()
        user.save()
        place_in_ente(user, Ente.objects.get(slug="cm-firenze"), "ufficio")
    ApiToken.objects.filter(user=user, name="bench", revoked_at__isnull=True).update(
        revoked_at=datetime.datetime.now(datetime.UTC)
    )
    _token, raw = ApiToken.issue(user, "bench")
    return user, raw


# --- endpoints -----------------------------------------------------------------------------


@dataclass
class Endpoint:
    name: str
    urls: list[str]  # cycled through
    api: bool = False


def endpoints(rng: random.Random) -> list[Endpoint]:
    from ponti.core.text import fold
    from ponti.partners.models import Organisation, Person, Position

    ids = list(Organisation.objects.values_list("pk", flat=True))
    sample = rng.sample(ids, min(100, len(ids)))
    # A person with positions and an accented name, found by name on the list page.
    people = (
        Person.objects.filter(pk__in=Position.objects.values("person_id"))
        .order_by("pk")
        .values_list("first_name", "last_name")[:2000]
    )
    accented = [f"{f} {last}" for f, last in people if fold(f"{f} {last}") != f"{f} {last}".lower()]
    person = rng.choice(accented or [f"{f} {last}" for f, last in people] or ["Maria Rossi"])
    return [
        Endpoint("list", ["/partner/"]),
        Endpoint("list, page 200", ["/partner/?page=200"]),
        Endpoint("search «università»", ["/partner/?q=universit%C3%A0"]),
        Endpoint("search «universita» (no accent)", ["/partner/?q=universita"]),
        Endpoint("search «Kraków»", ["/partner/?q=Krak%C3%B3w"]),
        Endpoint("search «krakow» (no accent)", ["/partner/?q=krakow"]),
        Endpoint("search «consolato generale»", ["/partner/?q=consolato+generale"]),
        Endpoint(f"search person «{person}»", [f"/partner/?q={_quote(person)}"]),
        Endpoint("search, no match «zqxw»", ["/partner/?q=zqxw"]),
        # Worst cases: text matching a third of the registry, and a single letter.
        Endpoint("search «ita» (broad: 1 in 3 match)", ["/partner/?q=ita"]),
        Endpoint("search «a» (one letter)", ["/partner/?q=a"]),
        Endpoint("filter country=FR kind=university", ["/partner/?country=FR&kind=university"]),
        Endpoint("detail (100 random ids)", [f"/partner/{pk}/" for pk in sample]),
        Endpoint("people list", ["/partner/persone/"]),
        Endpoint("people search «müller»", ["/partner/persone/?q=m%C3%BCller"]),
        Endpoint("API list", ["/api/v1/organisations"], api=True),
        Endpoint("API search «kraków»", ["/api/v1/organisations?q=krak%C3%B3w"], api=True),
        Endpoint("API search person", [f"/api/v1/organisations?q={_quote(person)}"], api=True),
    ]


def _quote(text: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(text)


# --- measuring -----------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    url: str
    status: int | str
    n: int = 0
    p50_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None
    queries: int | None = None
    db_ms: float | None = None
    slowest_sql_ms: float | None = None
    slowest_sql: str = ""
    note: str = ""
    # CPU time of this process: immune to other work on the machine; on SQLite it includes
    # the database's work (in process), on PostgreSQL it leaves out the server's share.
    cpu_p50_ms: float | None = None
    cpu_p95_ms: float | None = None
    samples_ms: list[float] = field(default_factory=list, repr=False)
    cpu_samples_ms: list[float] = field(default_factory=list, repr=False)


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def measure(
    endpoint: Endpoint, get: Callable[[str], Any], *, warmup: int, requests: int, profile: bool
) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = endpoint.urls[0]
    try:
        response = get(first)
    except Exception as exc:  # noqa: BLE001 - reported, not fatal: other endpoints still run
        return Result(endpoint.name, first, "error", note=f"{type(exc).__name__}: {exc}"[:300])
    if response.status_code != 200:
        note = "not built yet (404)" if response.status_code == 404 else "not 200: skipped"
        return Result(endpoint.name, first, response.status_code, note=note)
    for i in range(warmup):
        get(endpoint.urls[i % len(endpoint.urls)])
    with CaptureQueriesContext(connection) as captured:
        get(first)
    times = [float(q["time"]) * 1000 for q in captured.captured_queries]
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]), default=None)
    samples, cpu = [], []
    for i in range(requests):
        url = endpoint.urls[i % len(endpoint.urls)]
        started, cpu_started = time.perf_counter(), time.process_time()
        response = get(url)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        if response.status_code != 200:
            return Result(endpoint.name, url, response.status_code, note="not 200 during the run")
    ordered, cpu_ordered = sorted(samples), sorted(cpu)
    result = Result(
        endpoint.name,
        first,
        200,
        n=len(samples),
        p50_ms=round(percentile(ordered, 50), 1),
        p95_ms=round(percentile(ordered, 95), 1),
        max_ms=round(ordered[-1], 1),
        queries=len(times),
        db_ms=round(sum(times), 1),
        slowest_sql_ms=round(max(times, default=0.0), 1),
        slowest_sql=(slowest["sql"][:2000] if slowest else ""),
        cpu_p50_ms=round(percentile(cpu_ordered, 50), 1),
        cpu_p95_ms=round(percentile(cpu_ordered, 95), 1),
        samples_ms=[round(s, 2) for s in samples],
        cpu_samples_ms=[round(s, 2) for s in cpu],
    )
    if profile:
        print(f"\n=== {endpoint.name}: {first}")
        print(f"slowest SQL ({result.slowest_sql_ms} ms): {result.slowest_sql[:600]}")
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(10):
            get(endpoint.urls[i % len(endpoint.urls)])
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)
    return result


def table(results: list[Result]) -> str:
    header = (
        f"{'endpoint':<44} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'queries':>7} {'db ms':>7} {'cpu p50':>8} {'cpu p95':>8}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        if r.p50_ms is None:
            lines.append(f"{r.name[:44]:<44} {r.status!s:>6}  {r.note}")
            continue
        flag = "" if (r.p95_ms or 0) < GOAL_P95_MS else "  > goal"
        lines.append(
            f"{r.name[:44]:<44} {r.status!s:>6} {r.p50_ms:>8.1f} {r.p95_ms:>8.1f} {r.max_ms:>8.1f} "
            f"{r.queries:>7} {r.db_ms:>7.1f} {r.cpu_p50_ms:>8.1f} {r.cpu_p95_ms:>8.1f}{flag}"
        )
    return "\n".join(lines)


def git_revision() -> str:
    git = shutil.which("git")
    if git is None:
        return "unknown"
    try:
        rev = subprocess.run(  # noqa: S603 - git, fixed arguments
            [git, "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(  # noqa: S603 - git, fixed arguments
            [git, "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return rev + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    args = parse_args()
    backend = configure_environment(args)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    info = prepare(args, backend)
    user, token = bench_user()
    browser = Client()
    browser.force_login(user, backend="ponti.core.backends.PasswordBackend")
    api = Client(headers={"Authorization": f"Bearer {token}"})
    rng = random.Random(args.seed)
    results = []
    for endpoint in endpoints(rng):
        if args.only and args.only.lower() not in endpoint.name.lower():
            continue
        client = api if endpoint.api else browser
        results.append(
            measure(
                endpoint,
                client.get,
                warmup=args.warmup,
                requests=args.requests,
                profile=args.profile,
            )
        )

    from ponti.partners.models import Organisation, OrganisationName, Person, Position

    sizes = {
        "organisations": Organisation.objects.count(),
        "other_names": OrganisationName.objects.count(),
        "people": Person.objects.count(),
        "positions": Position.objects.count(),
    }
    version = connection.cursor().connection
    print()
    print(
        f"Ponti registry benchmark: {backend}, {sizes['organisations']} organisations, "
        f"{sizes['people']} people, {sizes['positions']} positions; "
        f"{args.requests} requests per endpoint after {args.warmup} warm-up; server time in ms"
    )
    print(table(results))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"goal: p95 < {GOAL_P95_MS:.0f} ms for every endpoint (load average now: {load})")
    if args.no_save or args.only:
        return
    import django as dj

    RESULTS.mkdir(exist_ok=True)
    report = {
        "backend": backend,
        "database_version": _db_version(connection, version),
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "git": git_revision(),
        "python": platform.python_version(),
        "django": dj.get_version(),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}"
        ),
        # Other work on the machine inflates p95: keep the load next to the numbers.
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "sizes": sizes,
        "requests": args.requests,
        "warmup": args.warmup,
        "goal_p95_ms": GOAL_P95_MS,
        "setup": info,
        "results": [asdict(r) for r in results],
    }
    path = RESULTS / f"registry-{backend}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"saved {path.relative_to(ROOT)}")


def _db_version(connection: Any, raw: Any) -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return f"PostgreSQL {getattr(raw, 'info', None) and raw.info.server_version}"


if __name__ == "__main__":
    main()
