"""The audit trail: every create, update and delete of every Ponti model is recorded.

Signals catch every path that saves a model (views, API, admin, shell, services), so
no feature can forget to audit. The acting user comes from a context variable that the
middleware sets for web requests, the API sets for token calls, and service functions
and commands set with `acting_as(user)`.
Bulk operations (`bulk_create`, `QuerySet.update`) bypass signals: code that uses them
records one `AuditAction.BULK` event itself with `record_bulk`.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

_actor: ContextVar[Any] = ContextVar("ponti_audit_actor", default=None)

# Values never written to the trail: only the fact that they changed.
SECRET_FIELDS = {"password", "token_hash", "feed_token_hash"}
# Bookkeeping fields whose changes are noise.
IGNORED_FIELDS = {"created_at", "updated_at", "last_login", "search_text", "version"}
NOT_AUDITED = {"core.auditevent", "core.auditlink", "core.alertdelivery"}


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


class AuditActorMiddleware:
    """Makes the request's user the actor of every change made while serving it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _actor.set(lambda: getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


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


def _links_for(instance: models.Model) -> list[models.Model]:
    parents = getattr(instance, "audit_parents", None)
    related = list(parents()) if callable(parents) else []
    return [instance, *[p for p in related if p is not None and p.pk is not None]]


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
    level = getattr(instance, "audit_confidentiality", None)
    event = AuditEvent.objects.create(
        confidentiality=level()
        if callable(level)
        else getattr(instance, "confidentiality", "pubblico"),
        ente_id=getattr(instance, "ente_id", None),
        action=action,
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        object_version=getattr(instance, "version", None),
        changes=_masked(model, changes),
        note=note[:300],
        **_actor_fields(),
    )
    seen: set[tuple[int, str]] = set()
    links = []
    for obj in [*_links_for(instance), *(extra_links or [])]:
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        key = (ct.pk, str(obj.pk))
        if key not in seen:
            seen.add(key)
            links.append(AuditLink(event=event, content_type=ct, object_id=str(obj.pk)))
    AuditLink.objects.bulk_create(links)
    return event


def record_bulk(model: type[models.Model], count: int, note: str) -> None:
    from .models import AuditAction, AuditEvent

    AuditEvent.objects.create(
        action=AuditAction.BULK,
        content_type=ContentType.objects.get_for_model(model),
        object_id="*",
        object_repr=f"{count} × {model._meta.verbose_name}",
        changes={"count": count},
        note=note[:300],
        **_actor_fields(),
    )


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


def describe(event: Any) -> list[tuple[str, Any, Any]]:
    """The event's changes as (field label, old, new) with human values."""
    model = event.content_type.model_class()
    rows: list[tuple[str, Any, Any]] = []
    for key, value in readable_changes(event).items():
        field = _field_of(model, key) if model is not None else None
        label = str(getattr(field, "verbose_name", key)) if field is not None else key
        if isinstance(value, dict):
            added = ", ".join(value.get("added") or [])
            removed = ", ".join(value.get("removed") or [])
            rows.append((label, removed or "—", added or "—"))
            continue
        old, new = (value + [None, None])[:2] if isinstance(value, list) else (None, value)
        rows.append((label, _display(field, old), _display(field, new)))
    return rows


def _display(field: Any, value: Any) -> str:
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
        obj = field.related_model._base_manager.filter(pk=value).first()
        if obj is None:
            return f"#{value}"
        # A history is read by someone: a link to a record they may not read shows no name.
        reader = current_actor()
        if reader is not None and not _may_read(reader, obj):
            return _("un record riservato")
        return f"{obj}"
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
    }


def _may_read(user: Any, obj: Any) -> bool:
    from .confidentiality import can_see

    # can_see knows the user's clearance in the record's ente (none in another ente's).
    return can_see(user, obj)


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
