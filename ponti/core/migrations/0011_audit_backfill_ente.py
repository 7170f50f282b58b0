"""Past audit events get the ente and confidentiality their records lead to.

Before this, events on records that are not themselves owned by an ente (participants,
signatories, commitments, documents, amounts…) were stored without an ente, so every ente's
administrators read them. An event links to its record and the record's owners (`AuditLink`);
the first of those with an ente gives the event its ente, and the strictest confidentiality
among them (and the event's own) becomes the event's. Records deleted since tell nothing: their
events keep what they had.

Historical models only (the migration must run on any later schema), and the rows' own columns
only: the same rule as `core.audit.audit_scope`, read from the links.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import migrations

LEVELS = {"pubblico": 0, "interno": 1, "riservato": 2}
BATCH = 500


def _columns(model: Any) -> list[str]:
    columns = []
    for name, attname in (("ente", "ente_id"), ("confidentiality", "confidentiality")):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if name == "ente" and getattr(field.related_model, "_meta", None) is None:
            continue
        if name == "ente" and field.related_model._meta.label_lower != "core.ente":
            continue
        columns.append(attname)
    return columns


def backfill(apps: Any, schema_editor: Any) -> None:
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditLink = apps.get_model("core", "AuditLink")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    models_by_ct: dict[int, Any] = {}
    for ct in ContentType.objects.using(db).all():
        try:
            models_by_ct[ct.pk] = apps.get_model(ct.app_label, ct.model)
        except LookupError:
            models_by_ct[ct.pk] = None
    last = 0
    while True:
        events = list(AuditEvent.objects.using(db).filter(pk__gt=last).order_by("pk")[:BATCH])
        if not events:
            return
        last = events[-1].pk
        links: dict[int, list[tuple[int, str]]] = {}
        wanted: dict[int, set[str]] = {}
        for event_id, ct_id, object_id in (
            AuditLink.objects.using(db)
            .filter(event_id__in=[e.pk for e in events])
            .order_by("event_id", "pk")
            .values_list("event_id", "content_type_id", "object_id")
        ):
            links.setdefault(event_id, []).append((ct_id, object_id))
            wanted.setdefault(ct_id, set()).add(object_id)
        known: dict[tuple[int, str], dict[str, Any]] = {}
        for ct_id, object_ids in wanted.items():
            model = models_by_ct.get(ct_id)
            columns = _columns(model) if model is not None else []
            if not columns:
                continue
            ids = [i for i in object_ids if i.isdigit()]
            for row in model._base_manager.using(db).filter(pk__in=ids).values("pk", *columns):
                known[(ct_id, str(row["pk"]))] = row
        changed = []
        for event in events:
            ente_id, level = event.ente_id, event.confidentiality
            for key in links.get(event.pk, []):
                row = known.get(key)
                if row is None:
                    continue
                if ente_id is None and row.get("ente_id") is not None:
                    ente_id = row["ente_id"]
                linked = row.get("confidentiality")
                if linked is not None and LEVELS.get(linked, 2) > LEVELS.get(level, 2):
                    level = linked
            if (ente_id, level) != (event.ente_id, event.confidentiality):
                event.ente_id, event.confidentiality = ente_id, level
                changed.append(event)
        AuditEvent.objects.using(db).bulk_update(changed, ["ente", "confidentiality"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_auditevent_channel"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
