"""The audit trail: every create, update and delete of every Ponti model is recorded.

Signals catch every path that saves a model (views, API, admin, shell, services), so
no feature can forget to audit. The acting user comes from a context variable that the
middleware sets for web requests, the API sets for token calls, and service functions
and commands set with `acting_as(user)`; the channel (web, API, command, import, system)
likewise, set where the actor is set.
Bulk operations (`bulk_create`, `bulk_update`, `QuerySet.update`) bypass signals: the
querysets of Ponti's models derive from `core.models.AuditedQuerySet`, which records them
with `record_bulk` (`QuerySet.delete` sends the signals for each row, so it needs nothing).

Every event carries an ente and a confidentiality, so that each reader sees only what they
may (`audit_scope`): the ente is the first found on the record or its audit parents, the
confidentiality the strictest among them.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .confidentiality import CONFIDENTIALITY_LEVELS

_actor: ContextVar[Any] = ContextVar("ponti_audit_actor", default=None)
# Where a change comes from (`AuditChannel`): "system" unless a request, the API, a command
# or an import says otherwise.
_channel: ContextVar[str] = ContextVar("ponti_audit_channel", default="system")

# Values never written to the trail: only the fact that they changed.
SECRET_FIELDS = {"password", "token_hash", "feed_token_hash"}
# Bookkeeping fields whose changes are noise (a bulk update of only these records nothing).
IGNORED_FIELDS = {
    "created_at",
    "updated_at",
    "last_login",
    "last_used_at",
    "search_text",
    "version",
}
NOT_AUDITED = {
    "core.auditevent",
    "core.auditlink",
    "core.alertdelivery",
    # An import's report and its list of written records: the batch and the records themselves are audited.
    "core.importrow",
    "core.importedrecord",
    # A browser session's key is a secret, and failed-login counters are noise.
    "accounts.usersession",
    "accounts.loginthrottle",
}
# Audited records that belong to no ente: the shared registry, reference data, the users.
# Their events carry no ente, so every ente's readers of the log see them. Every other audited
# model must lead to an ente through its own `ente` or its audit parents (tests/security checks
# both, for every model).
NO_ENTE = {
    "core.ente",  # the enti themselves: public authorities, read by every ente
    "core.sector",
    "core.tag",
    "partners.organisation",
    "partners.organisationname",
    "partners.person",
    "partners.position",
    "partners.organisationmerge",
    "partners.retentionrule",  # one rule per kind of person, for the whole instance
    "partners.retentiondecision",  # about a person of the shared registry
    "networks.networkmember",
    "meetings.calendarfeed",  # a user's own feed
    "planning.budgetcode",
    "agreements.knownbond",  # a fact about two organisations of the shared registry
    "opportunities.programme",  # reference data: the funding programmes
}


def current_actor() -> Any:
    actor = _actor.get()
    if callable(actor) and not hasattr(actor, "pk"):
        actor = actor()
    return actor


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def set_actor(user: Any) -> None:
    _actor.set(user)


def current_channel() -> str:
    return _channel.get()


@contextmanager
def in_channel(channel: str) -> Iterator[None]:
    """Changes made inside come from `channel` (an `AuditChannel` value)."""
    token = _channel.set(channel)
    try:
        yield
    finally:
        _channel.reset(token)


def set_channel(channel: str) -> None:
    """For the rest of the request (the middleware resets it), as `set_actor`."""
    _channel.set(channel)


class AuditActorMiddleware:
    """Makes the request's user the actor of every change made while serving it, through
    the web channel (the API's authentication turns it into the API channel)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _actor.set(lambda: getattr(request, "user", None))
        channel = _channel.set("web")
        try:
            return self.get_response(request)
        finally:
            _channel.reset(channel)
            _actor.reset(token)


def command_channel(command: Any) -> str:
    """Ponti's own commands (`ponti scadenze`, `ponti demo`, seed…) are the command channel;
    Django's and other libraries' (migrate, loaddata, runserver, the task worker) the system."""
    return "command" if type(command).__module__.startswith("ponti.") else "system"


def install_command_channel() -> None:
    """Every management command runs in its channel, however it is started (the `ponti`
    script, `call_command`, cron): the one method all of them pass through is execute()."""
    from django.core.management.base import BaseCommand

    original = BaseCommand.execute
    if getattr(original, "_ponti_channel", False):
        return

    def execute(self: BaseCommand, *args: Any, **options: Any) -> Any:
        with in_channel(command_channel(self)):
            return original(self, *args, **options)

    execute._ponti_channel = True  # type: ignore[attr-defined]
    BaseCommand.execute = execute  # type: ignore[method-assign]


def is_audited(model: type[models.Model]) -> bool:
    label = model._meta.label_lower
    return model.__module__.startswith("ponti.") and label not in NOT_AUDITED


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool | dict) or value is None:
        return value
    return str(value)


def _concrete_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f for f in model._meta.concrete_fields if f.name not in IGNORED_FIELDS and not f.primary_key
    ]


def _snapshot(instance: models.Model) -> dict[str, Any]:
    return {
        f.attname: _jsonable(getattr(instance, f.attname)) for f in _concrete_fields(type(instance))
    }


def _masked(model: type[models.Model], changes: dict[str, Any]) -> dict[str, Any]:
    for key in list(changes):
        if key in SECRET_FIELDS:
            changes[key] = ["***", "***"]
    return changes


def _actor_fields() -> dict[str, Any]:
    actor = current_actor()
    if actor is not None and getattr(actor, "is_authenticated", False):
        return {"actor": actor, "actor_repr": actor.get_username()}
    # Empty means "the system": the label is translated when shown, in the reader's language.
    return {"actor": None, "actor_repr": ""}


def _parents_of(node: Any) -> list[models.Model]:
    parents = getattr(node, "audit_parents", None)
    if not callable(parents):
        return []
    try:
        return [p for p in parents() if p is not None and p.pk is not None]
    except ObjectDoesNotExist:  # a parent already gone, in a cascade
        return []


def _links_for(instance: models.Model) -> list[models.Model]:
    return [instance, *_parents_of(instance)]


def _own_ente_id(node: Any) -> int | None:
    hook = getattr(node, "audit_ente", None)
    try:
        ente = hook() if callable(hook) else getattr(node, "ente_id", None)
    except ObjectDoesNotExist:
        return None
    return getattr(ente, "pk", ente)


def _own_level(node: Any) -> str | None:
    hook = getattr(node, "audit_confidentiality", None)
    try:
        return hook() if callable(hook) else getattr(node, "confidentiality", None)
    except ObjectDoesNotExist:
        return None


def _stricter(a: str, b: str | None) -> str:
    if b is None:
        return a
    # An unknown level counts as the strictest: never show more than intended.
    return b if CONFIDENTIALITY_LEVELS.get(b, 2) > CONFIDENTIALITY_LEVELS.get(a, 2) else a


def audit_scope(instance: models.Model) -> tuple[int | None, str]:
    """The ente and the confidentiality an event on `instance` carries.

    One rule for every model: the ente is the first found on the record or, breadth first,
    on its audit parents (a record's `audit_ente()`, else its `ente_id`); the confidentiality
    is the strictest of the record and all its parents (`audit_confidentiality()`, else
    `confidentiality`). So a signatory takes its agreement's ente, and a fee is as confidential
    as the stricter of its membership and the network.
    """
    ente_id: int | None = None
    level = "pubblico"
    queue: list[Any] = [instance]
    seen: set[tuple[str, Any]] = set()
    while queue and len(seen) < 50:
        node = queue.pop(0)
        key = (node._meta.label_lower, node.pk if node.pk is not None else id(node))
        if key in seen:
            continue
        seen.add(key)
        if ente_id is None:
            ente_id = _own_ente_id(node)
        level = _stricter(level, _own_level(node))
        queue.extend(_parents_of(node))
    return ente_id, level


def _link_rows(event: Any, objs: Iterable[models.Model]) -> list[Any]:
    from .models import AuditLink

    seen: set[tuple[int, str]] = set()
    links = []
    for obj in objs:
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        key = (ct.pk, str(obj.pk))
        if key not in seen:
            seen.add(key)
            links.append(AuditLink(event=event, content_type=ct, object_id=str(obj.pk)))
    return links


def record(
    instance: models.Model,
    action: str,
    changes: dict[str, Any],
    *,
    note: str = "",
    extra_links: list[models.Model] | None = None,
) -> Any:
    from .models import AuditEvent, AuditLink

    model = type(instance)
    ente_id, level = audit_scope(instance)
    event = AuditEvent.objects.create(
        confidentiality=level,
        ente_id=ente_id,
        channel=current_channel(),
        action=action,
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        object_version=getattr(instance, "version", None),
        changes=_masked(model, changes),
        note=note[:300],
        **_actor_fields(),
    )
    AuditLink.objects.bulk_create(_link_rows(event, [*_links_for(instance), *(extra_links or [])]))
    return event


# --- bulk writes ---------------------------------------------------------------------

# Inside `bulk_update` (which calls `update`) and inside `record_bulk` itself: one event, not two.
_bulk_quiet: ContextVar[bool] = ContextVar("ponti_audit_bulk_quiet", default=False)
_bulk_batch: ContextVar[BulkBatch | None] = ContextVar("ponti_audit_bulk_batch", default=None)
# Parents are read for each row: load them in chunks, not one query per row.
_SCOPE_CHUNK = 1000


@dataclass
class _BulkGroup:
    """The rows of one bulk event: one model, one ente, one confidentiality, the same change."""

    model: type[models.Model]
    ente_id: int | None
    level: str
    changes: dict[str, Any]
    ids: list[Any] = field(default_factory=list)
    repr_: str = ""
    links: dict[tuple[int, str], None] = field(default_factory=dict)  # an ordered set


@dataclass
class BulkBatch:
    """Bulk writes collected by `bulk_batch`, recorded as one event per kind and scope."""

    note: str
    groups: dict[tuple[Any, ...], _BulkGroup] = field(default_factory=dict)


@contextmanager
def bulk_batch(note: str) -> Iterator[BulkBatch]:
    """Bulk writes inside are recorded with `note` when the block ends, merged into one event
    per model, ente, confidentiality and change (a loader writing in chunks leaves one event,
    not one per chunk). Leave it inside the transaction of the writes."""
    batch = BulkBatch(note=note)
    token = _bulk_batch.set(batch)
    try:
        yield batch
    finally:
        _bulk_batch.reset(token)
    _write_groups(batch.groups.values(), batch.note)  # the block may have completed the note


@contextmanager
def bulk_quiet() -> Iterator[None]:
    token = _bulk_quiet.set(True)
    try:
        yield
    finally:
        _bulk_quiet.reset(token)


def records_bulk(model: type[models.Model], fields: Iterable[str] = ()) -> bool:
    """Whether a bulk write of `fields` (all fields when empty) on `model` is recorded."""
    if _bulk_quiet.get() or not is_audited(model):
        return False
    names = list(fields)
    return not names or any(_attname(model, n) not in IGNORED_FIELDS for n in names)


def _attname(model: type[models.Model], name: str) -> str:
    try:
        return model._meta.get_field(name).attname  # type: ignore[union-attr]
    except FieldDoesNotExist:  # Django refuses it anyway
        return name


def _uniform(values: list[Any]) -> Any:
    """The one value every row has, or None when they differ."""
    first = values[0] if values else None
    return first if all(v == first for v in values) else None


def record_bulk(
    model: type[models.Model],
    objs: Iterable[models.Model],
    note: str = "",
    *,
    fields: Iterable[str] = (),
    before: dict[Any, dict[str, Any]] | None = None,
) -> list[Any]:
    """Record a bulk write of `objs` (as they are now) on `model`: one `AuditAction.BULK`
    event per ente and confidentiality of the rows (`audit_scope`), each with the ids touched
    (in `changes["ids"]` and as links, so each record's history shows it) and, for `fields`,
    the old value (from `before`, pk → {attname: value}) and the new one when all rows share it.
    Inside `bulk_batch` the events are written when the batch ends."""
    attnames = [_attname(model, f) for f in fields]
    objs = [o for o in objs if o.pk is not None]
    # Each row's new values as the trail stores them, read once (the filter and the changes).
    after = {o.pk: [_jsonable(getattr(o, n, None)) for n in attnames] for o in objs}
    if before is not None and attnames:
        # As a save that changes nothing, a row the write left as it was records nothing.
        objs = [
            o
            for o in objs
            if any(
                before.get(o.pk, {}).get(n) != value
                for n, value in zip(attnames, after[o.pk], strict=True)
            )
        ]
    if not objs:
        return []
    groups: dict[tuple[Any, ...], _BulkGroup] = {}
    for start in range(0, len(objs), _SCOPE_CHUNK):
        chunk = objs[start : start + _SCOPE_CHUNK]
        _load_parents(model, chunk)
        scoped: dict[tuple[int | None, str], list[models.Model]] = {}
        for obj in chunk:
            scoped.setdefault(audit_scope(obj), []).append(obj)
        for (ente_id, level), rows in scoped.items():
            changes = _bulk_changes(attnames, rows, before, after)
            key = (model._meta.label_lower, ente_id, level, json.dumps(changes, sort_keys=True))
            group = groups.setdefault(key, _BulkGroup(model, ente_id, level, changes))
            for obj in rows:
                group.ids.append(obj.pk)
                for linked in _links_for(obj):
                    ct = ContentType.objects.get_for_model(linked, for_concrete_model=False)
                    group.links[(ct.pk, str(linked.pk))] = None
            group.repr_ = str(rows[0])[:300]
    batch = _bulk_batch.get()
    if batch is not None:
        for key, group in groups.items():
            merged = batch.groups.get(key)
            if merged is None:
                batch.groups[key] = group
            else:
                merged.ids.extend(group.ids)
                merged.links.update(group.links)
        return []
    return _write_groups(groups.values(), note)


def _bulk_changes(
    attnames: list[str],
    rows: list[models.Model],
    before: dict[Any, dict[str, Any]] | None,
    after: dict[Any, list[Any]],
) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    pks = [o.pk for o in rows]
    olds = [(before or {}).get(pk, {}) for pk in pks]
    news = [after[pk] for pk in pks]
    for position, name in enumerate(attnames):
        old = _uniform([values.get(name) for values in olds])
        new = _uniform([values[position] for values in news])
        if old != new or len(rows) > 1:
            changes[name] = [old, new]
    return changes


def _load_parents(model: type[models.Model], objs: list[models.Model]) -> None:
    """Each row's foreign keys in one query per key, so that `audit_scope` reads no row twice."""
    names = [
        f.name
        for f in model._meta.concrete_fields
        if f.many_to_one and f.related_model is not None and is_audited(f.related_model)  # type: ignore[arg-type]
    ]
    if names:
        models.prefetch_related_objects(objs, *names)


def _write_groups(groups: Iterable[_BulkGroup], note: str) -> list[Any]:
    from .models import AuditAction, AuditEvent

    events = []
    with bulk_quiet():
        for group in groups:
            count = len(group.ids)
            single = count == 1
            event = AuditEvent.objects.create(
                action=AuditAction.BULK,
                confidentiality=group.level,
                ente_id=group.ente_id,
                channel=current_channel(),
                content_type=ContentType.objects.get_for_model(
                    group.model, for_concrete_model=False
                ),
                object_id=str(group.ids[0]) if single else "*",
                object_repr=group.repr_
                if single
                else f"{count} × {group.model._meta.verbose_name}",
                changes=_masked(
                    group.model,
                    {**group.changes, "count": count, "ids": [_jsonable(i) for i in group.ids]},
                ),
                note=note[:300],
                **_actor_fields(),
            )
            _insert_links(event.pk, group.links)
            events.append(event)
    return events


def _insert_links(event_id: int, links: Iterable[tuple[int, str]]) -> None:
    """A bulk event may link hundreds of thousands of records: one executemany, without the
    ORM building each row's SQL (ten times faster on SQLite, the same rows)."""
    from django.db import connections, router

    from .models import AuditLink

    connection = connections[router.db_for_write(AuditLink)]
    quote = connection.ops.quote_name
    table = quote(AuditLink._meta.db_table)
    columns = ", ".join(
        quote(str(AuditLink._meta.get_field(name).column))  # type: ignore[union-attr]
        for name in ("event", "content_type", "object_id")
    )
    sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s)"  # noqa: S608 - names from the model, quoted
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(event_id, ct, object_id) for ct, object_id in links])


# --- signal handlers -----------------------------------------------------------------


def _pre_save(sender: type[models.Model], instance: models.Model, raw: bool, **kw: Any) -> None:
    if raw or not is_audited(sender) or instance._state.adding or instance.pk is None:
        instance._audit_old = None  # type: ignore[attr-defined]
        return
    fields = [f.attname for f in _concrete_fields(sender)]
    old = sender._base_manager.filter(pk=instance.pk).values(*fields).first()
    instance._audit_old = {k: _jsonable(v) for k, v in old.items()} if old else None  # type: ignore[attr-defined]


def _post_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool, **kw: Any
) -> None:
    from .models import AuditAction

    if raw or not is_audited(sender):
        return
    new = _snapshot(instance)
    if created:
        changes = {k: [None, v] for k, v in new.items() if v not in (None, "", [], {})}
        record(instance, AuditAction.CREATE, changes)
        return
    old = getattr(instance, "_audit_old", None) or {}
    changes = {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}
    if changes:
        record(instance, AuditAction.UPDATE, changes)


def _post_delete(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    from .models import AuditAction

    if not is_audited(sender):
        return
    changes = {k: [v, None] for k, v in _snapshot(instance).items() if v not in (None, "")}
    record(instance, AuditAction.DELETE, changes)


def _m2m_changed(
    sender: Any,
    instance: models.Model,
    action: str,
    reverse: bool,
    model: Any,
    pk_set: Any,
    **kw: Any,
) -> None:
    from .models import AuditAction

    if reverse or action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if not is_audited(type(instance)):
        return
    field_name = next(
        (f.name for f in type(instance)._meta.many_to_many if f.remote_field.through is sender),
        None,
    )
    if field_name is None:
        return
    if action == "pre_clear":
        pk_set = set(getattr(instance, field_name).values_list("pk", flat=True))
        action = "post_remove"
    if not pk_set:
        return
    linked = sorted(model._base_manager.filter(pk__in=pk_set), key=str)
    key = "added" if action == "post_add" else "removed"
    # The names as they were, and the ids, so that a reader who may not see a linked record
    # is shown neither its name (see `readable_changes`).
    change = {key: [str(o) for o in linked], f"{key}_ids": [o.pk for o in linked]}
    record(instance, AuditAction.UPDATE, {field_name: change})


def connect_signals() -> None:
    pre_save.connect(_pre_save, dispatch_uid="ponti_audit_pre_save")
    post_save.connect(_post_save, dispatch_uid="ponti_audit_post_save")
    post_delete.connect(_post_delete, dispatch_uid="ponti_audit_post_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="ponti_audit_m2m")


# --- presenting a change -------------------------------------------------------------


def readable_changes(event: Any, reader: Any = None) -> dict[str, Any]:
    """The event's changes as `reader` (default: the current user) may read them: in a link
    to several records, the name of a record the reader may not see is replaced."""
    changes = (
        dict(event.changes or {}) if isinstance(event.changes, dict) else {"value": event.changes}
    )
    reader = reader if reader is not None else current_actor()
    model = event.content_type.model_class()
    if reader is None or model is None:
        return changes
    for key, value in changes.items():
        field = _field_of(model, key)
        related = getattr(field, "related_model", None)
        if not isinstance(value, dict) or related is None:
            continue
        value = dict(value)
        for side in ("added", "removed"):
            names, ids = value.get(side) or [], value.get(f"{side}_ids") or []
            if len(names) != len(ids):
                continue  # recorded before the ids were kept
            linked = related._base_manager.in_bulk(ids)
            value[side] = [
                name
                if (obj := linked.get(pk)) is None or _may_read(reader, obj)
                else str(_("un record riservato"))
                for name, pk in zip(names, ids, strict=True)
            ]
        changes[key] = value
    return changes


def _field_of(model: Any, key: str) -> Any:
    return next(
        (
            f
            for f in model._meta.get_fields()
            if getattr(f, "attname", None) == key or f.name == key
        ),
        None,
    )


def describe(
    event: Any, reader: Any = None, names: dict[tuple[str, str], str] | None = None
) -> list[tuple[str, Any, Any]]:
    """The event's changes as (field label, old, new) with human values, as `reader` (default:
    the current user) may read them. `names` keeps the linked records already named, across
    the events of one reading (an export names the same records over and over)."""
    model = event.content_type.model_class()
    rows: list[tuple[str, Any, Any]] = []
    bulk = event.action == "bulk"
    changes = readable_changes(event, reader)
    for key, value in changes.items():
        if bulk and key == "ids":
            continue  # the records touched: each one's history links to the event
        if bulk and key == "count":
            rows.append((str(_("record interessati")), "—", str(value)))
            continue
        field = _field_of(model, key) if model is not None else None
        label = str(getattr(field, "verbose_name", key)) if field is not None else key
        if isinstance(value, dict):
            added = ", ".join(value.get("added") or [])
            removed = ", ".join(value.get("removed") or [])
            rows.append((label, removed or "—", added or "—"))
            continue
        old, new = (value + [None, None])[:2] if isinstance(value, list) else (None, value)
        precision = getattr(field, "precision_field", None)
        if precision and precision in changes:
            # A date known in part, changed with its precision: «1958», not «1 gennaio 1958».
            p = changes[precision]
            old_p, new_p = (p + [None, None])[:2] if isinstance(p, list) else (None, p)
            rows.append((label, _imprecise(old, old_p), _imprecise(new, new_p)))
            continue
        rows.append(
            (label, _display(field, old, reader, names), _display(field, new, reader, names))
        )
    return rows


def _imprecise(value: Any, precision: Any) -> str:
    from django.utils.dateparse import parse_date

    from .dates import ImpreciseDate

    day = parse_date(value) if isinstance(value, str) else None
    return str(ImpreciseDate.of(day, precision)) if day else "—"


def _display(
    field: Any, value: Any, reader: Any = None, names: dict[tuple[str, str], str] | None = None
) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Sì") if value else _("No")
    choices = getattr(field, "flatchoices", None)
    if choices:
        for key, label in choices:
            if str(key) == str(value):
                return str(label)
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        from django.utils import formats, timezone
        from django.utils.dateparse import parse_datetime

        parsed = parse_datetime(value)
        if parsed is not None:
            return formats.date_format(timezone.localtime(parsed), "DATETIME_FORMAT")
    if isinstance(field, models.DateField) and isinstance(value, str):
        from django.utils import formats
        from django.utils.dateparse import parse_date

        parsed_date = parse_date(value)
        if parsed_date is not None:
            return formats.date_format(parsed_date, "DATE_FORMAT")
    if field is not None and getattr(field, "is_relation", False) and field.related_model:
        key = (field.related_model._meta.label_lower, str(value))
        if names is not None and key in names:
            return names[key]
        obj = field.related_model._base_manager.filter(pk=value).first()
        # A history is read by someone: a link to a record they may not read shows no name.
        reader = reader if reader is not None else current_actor()
        if obj is None:
            text = f"#{value}"
        elif reader is not None and not _may_read(reader, obj):
            text = _("un record riservato")
        else:
            text = f"{obj}"
        if names is not None:
            names[key] = text
        return text
    return str(value)


def event_out(event: Any, reader: Any) -> dict[str, Any]:
    """One history entry as the API returns it, as `reader` may read it."""
    return {
        "id": event.pk,
        "at": event.at,
        "actor": event.actor_repr or None,
        "action": event.action,
        "action_label": event.get_action_display(),
        "object_type": event.content_type.model,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "object_version": event.object_version,
        "changes": readable_changes(event, reader),
        "note": event.note,
        "channel": event.channel,
    }


def _may_read(user: Any, obj: Any) -> bool:
    """Whether `user` may read `obj` by the rule its events follow (`audit_scope`): a signatory
    is read as its agreement, with the agreement's ente and confidentiality."""
    from .confidentiality import CONFIDENTIALITY_LEVELS, clearance
    from .roles import clearance_in

    ente_id, level = audit_scope(obj)
    needed = CONFIDENTIALITY_LEVELS.get(level, 2)
    if ente_id is None:
        return needed <= clearance(user)
    # The user's clearance in that ente: -1 in an ente they do not belong to.
    return needed <= clearance_in(user, ente_id)


# --- erasure (GDPR art. 17) ----------------------------------------------------------


def scrub_personal_data(
    content_type: ContentType,
    object_id: Any,
    replacements: dict[str, str],
    *,
    label: str,
    note: str,
    confidentiality: str = "interno",
) -> int:
    """The ONE way the append-only trail is rewritten: to erase a person (GDPR art. 17).

    A right to erasure outranks the trail's immutability for personal data, not for the fact
    that changes happened. So, through the base manager and a raw update (the trail's own
    manager refuses updates):

    - events about the record itself (`content_type`, `object_id`) keep their fields' names
      and lose every value (each becomes "***"), and their `object_repr` becomes `label`;
    - every other event linked to the record, or whose `object_repr`, `actor_repr`, `note`
      or `changes` contain one of the `replacements`' keys, has each key replaced (any case)
      by its value.

    Then ONE event records that an erasure happened, by whom, and how many events were
    rewritten, without any of the erased data. Answers the number of events rewritten.
    Searching `changes` reads the whole table: an erasure is rare, and must miss nothing.
    """
    import json
    import re

    from .models import AuditAction, AuditEvent, AuditLink

    key = str(object_id)
    terms = [(term, new) for term, new in replacements.items() if term and term.strip()]
    patterns = [(re.compile(re.escape(term), re.IGNORECASE), new) for term, new in terms]
    match = models.Q(content_type=content_type, object_id=key) | models.Q(
        pk__in=AuditLink.objects.filter(content_type=content_type, object_id=key).values("event_id")
    )
    for term, _new in terms:
        # SQLite stores JSON with non-ASCII characters escaped (\u00e8): look for both forms.
        for variant in {term, json.dumps(term)[1:-1]}:
            match |= (
                models.Q(object_repr__icontains=variant)
                | models.Q(actor_repr__icontains=variant)
                | models.Q(note__icontains=variant)
                | models.Q(changes__icontains=variant)
            )

    def replaced(value: Any) -> Any:
        if isinstance(value, str):
            for pattern, new in patterns:
                # A function, not a template: a backslash in the value stays as it is.
                value = pattern.sub(lambda _m, text=new: text, value)  # type: ignore[misc]
            return value
        if isinstance(value, list):
            return [replaced(v) for v in value]
        if isinstance(value, dict):
            return {k: replaced(v) for k, v in value.items()}
        return value

    def blanked(value: Any) -> Any:
        if isinstance(value, list):
            return [blanked(v) for v in value]
        if isinstance(value, dict):
            return {k: blanked(v) for k, v in value.items()}
        return None if value is None else "***"

    # The ids first, then the rows in batches: SQLite gives no isolation between a cursor
    # still reading a table and updates to that table on the same connection.
    ids = sorted(set(AuditEvent._base_manager.filter(match).values_list("pk", flat=True)))
    rows: list[Any] = []
    for start in range(0, len(ids), 500):
        rows.extend(
            AuditEvent._base_manager.filter(pk__in=ids[start : start + 500]).values_list(
                "pk", "content_type_id", "object_id", "object_repr", "actor_repr", "note", "changes"
            )
        )
    rewritten = 0
    for pk, ct_id, oid, obj_repr, actor_repr, event_note, changes in rows:
        own = ct_id == content_type.pk and oid == key
        new = {
            "object_repr": label[:300] if own else replaced(obj_repr)[:300],
            "actor_repr": replaced(actor_repr)[:150],
            "note": replaced(event_note)[:300],
            "changes": blanked(changes) if own else replaced(changes),
        }
        old = {
            "object_repr": obj_repr,
            "actor_repr": actor_repr,
            "note": event_note,
            "changes": changes,
        }
        if new != old:
            AuditEvent._base_manager.filter(pk=pk).update(**new)
            rewritten += 1
    event = AuditEvent.objects.create(
        action=AuditAction.ERASE,
        content_type=content_type,
        object_id=key,
        object_repr=label[:300],
        changes={"events_rewritten": rewritten},
        note=note[:300],
        confidentiality=confidentiality,
        **_actor_fields(),
    )
    AuditLink.objects.create(event=event, content_type=content_type, object_id=key)
    return rewritten
