"""What a backup holds and how its rows are written: the tables, the values, the sequences.

Every concrete, managed model of every installed app is a table of the backup, including the
automatic tables of many-to-many links. Sessions are left out: they are logins of the
moment, bound to the secret key, and a restore ends them all.
"""

# SQL here is built from table and sequence names that come from the models and the
# database itself, never from input; values are bound.
# ruff: noqa: S608

from __future__ import annotations

import base64
import datetime
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils.duration import duration_string
from django.utils.translation import gettext as _

# Never backed up, always emptied by a restore.
NOT_BACKED_UP = {"sessions.session"}
# What `migrate` itself writes into a new instance: content types, permissions, groups left by
# older versions, and the data migrations' default ente, sectors, budget classification,
# retention rules and EU funding programmes. An instance with rows only here is empty: a restore replaces them.
WRITTEN_BY_MIGRATE = {
    "contenttypes.contenttype",
    "auth.permission",
    "auth.group",
    "auth.group_permissions",
    "core.ente",
    "core.sector",
    "planning.budgetcode",
    "partners.retentionrule",
    "opportunities.programme",
}


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def backed_up_models() -> list[type[models.Model]]:
    """The models whose rows a backup holds, in a stable order (app, then model)."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and label(model) not in NOT_BACKED_UP
    ]


def wiped_models() -> list[type[models.Model]]:
    """Everything a restore empties: what it loads, and the sessions."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def columns(model: type[models.Model]) -> list[models.Field]:
    """The fields stored in the model's own table (a computed column is the database's)."""
    return [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in columns(model) if isinstance(f, models.FileField)]


# --- values ---------------------------------------------------------------------------------


def encode(value: Any) -> Any:
    """A value read from the database, as JSON that every database reads back the same."""
    if value is None or isinstance(value, bool | int | float | str | dict | list):
        return value  # JSON fields hold JSON already
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()  # microseconds kept (Django's JSON serializer cuts them)
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return duration_string(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"Cannot back up a value of type {type(value).__name__}")


def insert_sql(model: type[models.Model], connection: BaseDatabaseWrapper) -> str:
    quote = connection.ops.quote_name
    names = [quote(str(f.column)) for f in columns(model)]  # concrete: each has a column
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(names)}) "
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )


def decoder(model: type[models.Model], connection: BaseDatabaseWrapper) -> Any:
    """A function from a row of the archive to the values `insert_sql` takes, as the
    database stores them.

    Each value goes through the field's own conversions (to_python parses what `encode`
    wrote: dates, decimals, base64; get_db_prep_save adapts it to the database), as a raw
    save does (Model.save_base(raw=True), what `loaddata` uses): auto_now fields and primary
    keys stay as given, and no signal is sent, so the audit trail records nothing.
    """
    fields = columns(model)
    names = {f.attname for f in fields}

    def decode(row: dict[str, Any]) -> list[Any]:
        if row.keys() != names:
            missing, extra = sorted(names - row.keys()), sorted(row.keys() - names)
            raise ValueError(f"columns differ: missing {missing}, unknown {extra}")
        return [f.get_db_prep_save(f.to_python(row[f.attname]), connection) for f in fields]

    return decode


def rows(model: type[models.Model], using: str, chunk_size: int = 2000) -> Iterable[dict[str, Any]]:
    """Every row of the model's table, encoded, by primary key; streamed in chunks."""
    names = [f.attname for f in columns(model)]
    queryset = model._base_manager.using(using).order_by("pk").values_list(*names)
    for values in queryset.iterator(chunk_size=chunk_size):
        yield {name: encode(value) for name, value in zip(names, values, strict=True)}


# --- migrations -------------------------------------------------------------------------------


def migration_state(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    """The migrations applied to the database, per installed app."""
    executor = MigrationExecutor(connection)
    installed = executor.loader.migrated_apps
    state: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if app in installed:
            state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def pending_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def migration_differences(archive: dict[str, list[str]], here: dict[str, list[str]]) -> list[str]:
    """Per app, what the archive has that this instance has not, and the other way round."""
    lines = []
    for app in sorted(archive.keys() | here.keys()):
        theirs, ours = set(archive.get(app, [])), set(here.get(app, []))
        if only_theirs := sorted(theirs - ours):
            lines.append(
                _("%(app)s: solo nell'archivio %(names)s")
                % {"app": app, "names": ", ".join(only_theirs)}
            )
        if only_ours := sorted(ours - theirs):
            lines.append(
                _("%(app)s: solo in questa installazione %(names)s")
                % {"app": app, "names": ", ".join(only_ours)}
            )
    return lines


# --- sequences ------------------------------------------------------------------------------


def _auto_models(models_: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    return [m for m in models_ if m._meta.auto_field is not None]


def read_sequences(
    connection: BaseDatabaseWrapper, models_: Iterable[type[models.Model]]
) -> dict[str, int]:
    """The last id each table handed out, deleted rows included: a restore continues from
    there, so that a new record never takes the id of a deleted one (its history would
    otherwise show the deleted record's events)."""
    tables = {m._meta.db_table: m for m in _auto_models(models_)}
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            found = {name: int(seq or 0) for name, seq in cursor.fetchall() if name in tables}
        elif connection.vendor == "postgresql":
            for table, model in tables.items():
                sequence = _pg_sequence(cursor, connection, model)
                if sequence:
                    cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
                    last, called = cursor.fetchone()
                    found[table] = int(last) if called else int(last) - 1
    return {table: last for table, last in found.items() if last > 0}


def _pg_sequence(cursor: Any, connection: BaseDatabaseWrapper, model: type[models.Model]) -> Any:
    auto_field = model._meta.auto_field
    assert auto_field is not None
    cursor.execute(
        "SELECT pg_get_serial_sequence(%s, %s)",
        [connection.ops.quote_name(model._meta.db_table), auto_field.column],
    )
    return cursor.fetchone()[0]


def set_sequences(
    connection: BaseDatabaseWrapper,
    models_: Iterable[type[models.Model]],
    recorded: dict[str, int],
    using: str,
) -> None:
    """After a load: each table hands out ids after its highest row and after the id the
    source had reached."""
    auto = _auto_models(models_)
    with connection.cursor() as cursor:
        for model in auto:
            table = model._meta.db_table
            highest = model._base_manager.using(using).aggregate(top=models.Max("pk"))["top"] or 0
            last = max(int(highest), int(recorded.get(table, 0)))
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                if last:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last]
                    )
            elif connection.vendor == "postgresql":
                sequence = _pg_sequence(cursor, connection, model)
                if sequence:
                    cursor.execute("SELECT setval(%s, %s, %s)", [sequence, max(last, 1), last > 0])
        if connection.vendor not in {"sqlite", "postgresql"}:
            for sql in connection.ops.sequence_reset_sql(no_style(), auto):
                cursor.execute(sql)


# --- emptying -------------------------------------------------------------------------------


def wipe(connection: BaseDatabaseWrapper, models_: Iterable[type[models.Model]]) -> None:
    """Empty the tables in one statement per table (TRUNCATE on PostgreSQL): no signals, and
    the audit trail's append-only guard, which protects it from the application, does not
    apply to a restore that replaces the whole database."""
    tables = [m._meta.db_table for m in models_]
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with foreign-key checks still pending in this transaction
        # (rows written earlier in it, as a test does): run those checks now.
        connection.check_constraints()
    sql = connection.ops.sql_flush(no_style(), tables, reset_sequences=False)
    connection.ops.execute_sql_flush(sql)
