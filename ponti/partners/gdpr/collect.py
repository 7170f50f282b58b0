"""Everything held about one person, as one reader may see it (GDPR art. 15 and 20).

The walk is generic: every relation to Person in every app (`Person._meta.related_objects`:
positions, signatures, participations, working groups, retention decisions, and whatever a
later app adds), the records those rows belong to (the agreement of a signature, the meeting
of a participation), a few named kinds of record around a meeting (its gifts, follow-up
actions and visit request), free-text mentions, and the audit events about the person or
mentioning them. What the reader may not see (another ente's records, a level above their
clearance) is left out, and the export says so.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ponti.core import audit
from ponti.core.models import AuditEvent

from ..models import Person
from . import mentions
from .access import readable
from .retention import rule_for

SCHEMA = "ponti.gdpr.person-export"
SCHEMA_VERSION = 1
# Records around a meeting that belong in a participant's export, named by label so that
# partners imports no other app: app label.model → reverse accessors on it.
CONTEXT = {"meetings.meeting": ("gifts", "actions", "visit_request")}
HIDDEN_FIELDS = {"search_text", "id"}


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Sì") if value else _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def record_out(user: Any, obj: models.Model, subject: Person) -> dict[str, Any]:
    """One record with every field: its value for machines and its text for people. A link
    to a record the reader may not see, or to another person, shows no name."""
    fields: list[dict[str, Any]] = []
    for field in obj._meta.concrete_fields:
        if field.name in HIDDEN_FIELDS:
            continue
        label = str(field.verbose_name)
        if field.is_relation:
            target = getattr(obj, field.name)
            if target is None:
                value, text = None, "—"
            elif isinstance(target, Person) and target.pk != subject.pk:
                value, text = None, _("un'altra persona")
            elif readable(user, target):
                value, text = target.pk, str(target)
            else:
                value, text = None, _("un record riservato")
        else:
            raw = getattr(obj, field.attname)
            value = _jsonable(raw)
            display = getattr(obj, f"get_{field.name}_display", None)
            text = str(display()) if field.choices and callable(display) else _text(raw)
        fields.append({"field": field.name, "label": label, "value": value, "text": text})
    for field in obj._meta.many_to_many:
        linked = [
            o
            for o in getattr(obj, field.name).all()
            if (o.pk == subject.pk if isinstance(o, Person) else readable(user, o))
        ]
        fields.append(
            {
                "field": field.name,
                "label": str(field.verbose_name),
                "value": [o.pk for o in linked],
                "text": "; ".join(str(o) for o in linked) or "—",
            }
        )
    return {
        "type": obj._meta.label_lower,
        "type_label": str(obj._meta.verbose_name),
        "id": obj.pk,
        "text": str(obj),
        "fields": fields,
    }


def _group(records: dict[str, list[models.Model]], obj: models.Model) -> None:
    items = records.setdefault(obj._meta.label_lower, [])
    if all(o.pk != obj.pk for o in items):
        items.append(obj)


def related_rows(person: Person) -> list[tuple[Any, list[models.Model]]]:
    """(relation, rows) for every relation to Person in every app, in every ente."""
    out = []
    for rel in Person._meta.related_objects:
        model = rel.related_model
        rows = list(model._base_manager.filter(**{rel.field.name: person}).order_by("pk"))
        out.append((rel, rows))
    return out


def _sections(
    user: Any, person: Person, groups: dict[str, list[models.Model]]
) -> list[dict[str, Any]]:
    sections = []
    for label, objs in groups.items():
        if not objs:
            continue
        model = objs[0]._meta
        sections.append(
            {
                "type": label,
                "type_label": str(model.verbose_name_plural),
                "items": [record_out(user, o, person) for o in objs],
            }
        )
    return sections


def history(user: Any, person: Person, rows: list[models.Model], terms: list[str]) -> Any:
    """Audit events about the person, about their linked rows, or mentioning them."""
    from django.contrib.contenttypes.models import ContentType

    match = models.Q(pk__in=AuditEvent.objects.for_object(person).values("pk"))
    for row in rows:
        ct = ContentType.objects.get_for_model(row, for_concrete_model=False)
        match |= models.Q(content_type=ct, object_id=str(row.pk))
    for term in terms:
        for variant in {term, json.dumps(term)[1:-1]}:
            match |= models.Q(object_repr__icontains=variant) | models.Q(changes__icontains=variant)
    return (
        AuditEvent.objects.filter(match)
        .visible_to(user)
        .select_related("content_type", "actor")
        .order_by("at", "pk")
    )


def collect(person: Person, user: Any) -> dict[str, Any]:
    """The export as one JSON-ready structure; the PDF renders the same structure."""
    direct: dict[str, list[models.Model]] = {}
    linked: dict[str, list[models.Model]] = {}
    all_rows: list[models.Model] = []
    for _rel, rows in related_rows(person):
        for row in rows:
            if not readable(user, row):
                continue
            all_rows.append(row)
            _group(direct, row)
            parents = getattr(row, "audit_parents", None)
            for parent in parents() if callable(parents) else []:
                if parent is None or isinstance(parent, Person) or not readable(user, parent):
                    continue
                if row._meta.label_lower == "partners.position":
                    continue  # the organisation of a position is shown in the position
                _group(linked, parent)
                for accessor in CONTEXT.get(parent._meta.label_lower, ()):
                    value = getattr(parent, accessor, None)
                    manager = getattr(value, "all", None)
                    around = list(manager()) if callable(manager) else [value]
                    for obj in around:
                        if obj is not None and readable(user, obj):
                            _group(linked, obj)
    terms = mentions.identifiers(person)
    found = [
        m
        for m in mentions.find(terms)
        if readable(user, m.obj) and (m.obj.pk, m.label) not in _keys(direct, linked)
    ]
    events = list(history(user, person, all_rows, terms))
    rule = rule_for(person.kind)
    enti = [] if user.is_superuser else [str(e) for e in user.enti.order_by("name")]
    with audit.acting_as(user):
        history_out = [
            {
                **audit.event_out(event, user),
                "action_label": str(event.get_action_display()),
                "object_type_label": event.model_name,
                "rows": [[str(a), str(b), str(c)] for a, b, c in audit.describe(event)],
            }
            for event in events
        ]
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generated_at": timezone.now().isoformat(),
        "generated_by": user.get_username(),
        "scope": {
            "enti": enti,
            "note": scope_note(enti),
        },
        "person": record_out(user, person, person),
        "retention": {
            "kind": person.kind,
            "kind_label": str(person.get_kind_display()),
            "legal_basis": rule.legal_basis,
            "legal_basis_label": str(rule.get_legal_basis_display()),
            "retention_months": rule.retention_months,
        },
        "records": _sections(user, person, direct),
        "linked_records": _sections(user, person, linked),
        "mentions": [
            {
                "type": m.label,
                "type_label": str(m.obj._meta.verbose_name),
                "id": m.obj.pk,
                "text": str(m.obj),
                "field": m.field,
                "label": str(getattr(m.obj._meta.get_field(m.field), "verbose_name", m.field)),
                "excerpt": mentions.excerpt(getattr(m.obj, m.field) or "", terms),
            }
            for m in found
        ],
        "history": history_out,
    }


def _keys(*groups: dict[str, list[models.Model]]) -> set[tuple[Any, str]]:
    return {(o.pk, label) for g in groups for label, objs in g.items() for o in objs}


def scope_note(enti: list[str]) -> str:
    if not enti:
        return _(
            "Esportazione completa dell'istanza: include i dati di tutti gli enti che usano Ponti."
        )
    return _(
        "Questa esportazione comprende i dati condivisi del registro e quelli trattati da: "
        "%(enti)s, nei limiti di ciò che l'utente che l'ha prodotta può vedere. Ciascun ente "
        "che usa Ponti è titolare dei propri dati e risponde per essi: i record di altri enti "
        "non sono inclusi."
    ) % {"enti": ", ".join(enti)}
