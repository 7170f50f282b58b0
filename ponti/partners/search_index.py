"""Substring indexes for the registry's `search_text` columns.

Search is `search_text LIKE '%words%'` on folded text (ponti.core.text.fold). A leading
wildcard defeats an ordinary B-tree index, so without help every search reads every
organisation and every person: at 50,000 organisations and 100,000 people that is tens
of milliseconds per query, and a list page runs two (the paginator's count and the page).

- PostgreSQL: a pg_trgm GIN index on each `search_text`; `LIKE '%x%'` uses it as is.
- SQLite: an FTS5 table with the trigram tokenizer beside each table, kept equal to it by
  triggers (so bulk_create and QuerySet.update are covered too). `LIKE '%x%'` on the FTS5
  table uses its index for patterns of three or more characters and is exact (FTS5
  re-checks each candidate row).

Django's SQLite schema editor rebuilds a table for many ALTERs (copy, drop, rename), and
dropping the table drops its triggers: `ensure()` runs after every `migrate` (see
PartnersConfig.ready), puts back what is missing and refills the FTS5 table if needed.
"""

# SQL here is built from the constant table names above, never from input; values are bound.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from ponti.core.text import fold

# The table with a search_text column → its FTS5 twin (SQLite) / its trigram index (PostgreSQL).
TABLES = {
    "partners_organisation": "partners_organisation_search",
    "partners_person": "partners_person_search",
}
TRGM_INDEXES = {
    "partners_organisation": "partners_org_search_trgm",
    "partners_person": "partners_person_search_trgm",
}
# The migration that installs them: the repair after `migrate` applies only once it is applied.
MIGRATION = ("partners", "0002_search_indexes")
# Trigram indexes answer patterns of at least three characters; shorter text is searched
# without them (it matches a large share of the registry anyway).
MIN_LENGTH = 3
# LIKE's own wildcards and escape: text with these is searched without the FTS5 index.
LIKE_SPECIAL = ("%", "_", "\\")


def query_text(text: str | None) -> str | None:
    """The folded text to look for; None when no stored text can contain it.

    A NUL is never stored (PostgreSQL cannot hold it) and its driver refuses one in a
    parameter: such a search matches nothing instead of failing. Pages and the API refuse
    it earlier with a clear error; this keeps every other caller safe.
    """
    folded = fold(text)
    return None if "\x00" in folded else folded


def _sqlite_triggers(table: str, fts: str) -> dict[str, str]:
    return {
        f"{fts}_ai": (
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_ai" AFTER INSERT ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"(rowid, search_text) VALUES (new.id, new.search_text); END'
        ),
        f"{fts}_ad": (
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_ad" AFTER DELETE ON "{table}" BEGIN '
            f'DELETE FROM "{fts}" WHERE rowid = old.id; END'
        ),
        f"{fts}_au": (
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_au" AFTER UPDATE OF id, search_text ON "{table}" '
            f'BEGIN DELETE FROM "{fts}" WHERE rowid = old.id; '
            f'INSERT INTO "{fts}"(rowid, search_text) VALUES (new.id, new.search_text); END'
        ),
    }


def _sqlite_has_fts5(cursor: Any) -> bool:
    cursor.execute("PRAGMA compile_options")
    return any(row[0] == "ENABLE_FTS5" for row in cursor.fetchall())


def _sqlite_existing(cursor: Any) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
    return {row[0] for row in cursor.fetchall()}


def ensure(connection: Any) -> list[str]:
    """Create what is missing (idempotent); answer what was created or refilled."""
    done: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = set(connection.introspection.table_names(cursor))
            if not tables & set(TRGM_INDEXES):
                return done
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for table, index in TRGM_INDEXES.items():
                cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [index])
                if table in tables and cursor.fetchone() is None:
                    cursor.execute(
                        f'CREATE INDEX "{index}" ON "{table}" USING gin (search_text gin_trgm_ops)'
                    )
                    done.append(index)
        elif connection.vendor == "sqlite" and _sqlite_has_fts5(cursor):
            existing = _sqlite_existing(cursor)
            for table, fts in TABLES.items():
                if table not in existing:
                    continue
                triggers = _sqlite_triggers(table, fts)
                if fts in existing and all(name in existing for name in triggers):
                    continue
                cursor.execute(
                    f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING '
                    "fts5(search_text, tokenize='trigram', detail='none')"
                )
                # Rows written while a trigger was missing would be absent or stale: refill.
                cursor.execute(f'DELETE FROM "{fts}"')
                cursor.execute(
                    f'INSERT INTO "{fts}"(rowid, search_text) SELECT id, search_text FROM "{table}"'
                )
                for sql in triggers.values():
                    cursor.execute(sql)
                done.append(fts)
    if done:
        forget(connection)
    return done


def drop(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for index in TRGM_INDEXES.values():
                cursor.execute(f'DROP INDEX IF EXISTS "{index}"')
        elif connection.vendor == "sqlite":
            for table, fts in TABLES.items():
                for name in _sqlite_triggers(table, fts):
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
                cursor.execute(f'DROP TABLE IF EXISTS "{fts}"')
    forget(connection)


def forget(connection: Any) -> None:
    connection.__dict__.pop("_ponti_fts_ready", None)


def sqlite_fts_ready(connection: Any) -> bool:
    """Whether the FTS5 tables exist on this SQLite database (remembered once true)."""
    if connection.vendor != "sqlite":
        return False
    name = str(connection.settings_dict["NAME"])
    if connection.__dict__.get("_ponti_fts_ready") == name:
        return True
    with connection.cursor() as cursor:
        existing = _sqlite_existing(cursor)
    ready = all(fts in existing for fts in TABLES.values())
    if ready:
        connection.__dict__["_ponti_fts_ready"] = name
    return ready


def fts_subquery(table: str, folded: str) -> tuple[str, list[str]] | None:
    """SQL and parameters for the ids of `table` whose search_text contains `folded`, through
    the FTS5 index; None when the index cannot answer (text too short, LIKE wildcards)."""
    if len(folded) < MIN_LENGTH or any(ch in folded for ch in LIKE_SPECIAL):
        return None
    return f'SELECT rowid FROM "{TABLES[table]}" WHERE search_text LIKE %s', [f"%{folded}%"]


def fts_organisations_subquery(
    folded: str, person_levels: list[str]
) -> tuple[str, list[str]] | None:
    """Ids of organisations whose search_text contains `folded`, or where someone whose
    search_text does holds or held a position: one UNION, each side through an FTS5 index.

    Only people of `person_levels` (the reader's confidentiality levels) count: the words of
    a person the reader may not see never find the organisation where that person works.
    """
    orgs = fts_subquery("partners_organisation", folded)
    people = fts_subquery("partners_person", folded)
    if orgs is None or people is None:
        return None
    if not person_levels:
        return orgs
    marks = ", ".join(["%s"] * len(person_levels))
    sql = (
        f"{orgs[0]} UNION SELECT pos.organisation_id FROM partners_position pos "
        "JOIN partners_person p ON p.id = pos.person_id "
        f"WHERE p.confidentiality IN ({marks}) AND pos.person_id IN ({people[0]})"
    )
    return sql, [*orgs[1], *person_levels, *people[1]]
