"""Where a person's name, e-mail or phone number appears in free text, in any app.

A person is linked to records by relations (see `collect`), but is also written by hand into
minutes, a visit request's delegation, a guest's name, a document's title. Every text column
of every Ponti model is searched for the person's identifiers; erasure replaces them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from ponti.core.models import AuditAction, AuditEvent

from ..models import Person

# Searched elsewhere (the person's own record, the trail) or not registry data at all (the
# user accounts of the staff are managed by their owners, not by a data subject's request).
NOT_SEARCHED = {"partners.person", "core.auditevent", "core.auditlink", "core.alertdelivery"}
NOT_SEARCHED_APPS = {"accounts"}
# The names of other records: "Fondazione Mario Rossi" is an organisation, not the person.
# Listed as mentions, never rewritten by an erasure.
NEVER_REWRITTEN = {"partners.organisation", "partners.organisationname"}
SKIPPED_FIELDS = {"search_text"}
MIN_TERM = 5  # shorter text would match far too much ("Li Na" is still matched whole)


@dataclass(frozen=True)
class Mention:
    obj: models.Model
    field: str

    @property
    def label(self) -> str:
        return self.obj._meta.label_lower

    @property
    def rewritable(self) -> bool:
        return self.label not in NEVER_REWRITTEN


def identifiers(person: Person) -> list[str]:
    """The person's full name, e-mail and phone numbers: today's and every earlier value
    kept in their history, so that an old name or number is found too."""
    snapshot: dict[str, Any] = {}
    states: list[dict[str, Any]] = []
    events = AuditEvent._base_manager.filter(
        content_type__app_label="partners",
        content_type__model="person",
        object_id=str(person.pk),
        action__in=[AuditAction.CREATE, AuditAction.UPDATE],
    ).order_by("at", "pk")
    for changes in events.values_list("changes", flat=True):
        for key, value in (changes or {}).items():
            if isinstance(value, list) and len(value) == 2:
                snapshot[key] = value[1]
        states.append(dict(snapshot))
    states.append(
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "phone": person.phone,
            "mobile": person.mobile,
        }
    )
    found: list[str] = []
    for state in states:
        name = f"{state.get('first_name') or ''} {state.get('last_name') or ''}".strip()
        for value in (name, state.get("email"), state.get("phone"), state.get("mobile")):
            if isinstance(value, str) and len(value.strip()) >= MIN_TERM:
                value = value.strip()
                if value.lower() not in {f.lower() for f in found} and value != "***":
                    found.append(value)
    return found


def _text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and f.name not in SKIPPED_FIELDS
        and not f.primary_key
    ]


def _models() -> Iterator[type[models.Model]]:
    for model in apps.get_models():
        label = model._meta.label_lower
        if (
            model.__module__.startswith("ponti.")
            and label not in NOT_SEARCHED
            and model._meta.app_label not in NOT_SEARCHED_APPS
        ):
            yield model


def find(terms: list[str]) -> list[Mention]:
    """Every (record, text field) that contains one of `terms`, in every ente: the caller
    filters what a reader may see."""
    terms = [t for t in terms if t]
    if not terms:
        return []
    lowered = [t.lower() for t in terms]
    found: list[Mention] = []
    for model in _models():
        fields = _text_fields(model)
        if not fields:
            continue
        query = models.Q()
        for field in fields:
            for term in terms:
                query |= models.Q(**{f"{field.name}__icontains": term})
        for obj in model._base_manager.filter(query).order_by("pk"):
            for field in fields:
                value = (getattr(obj, field.attname) or "").lower()
                if any(term in value for term in lowered):
                    found.append(Mention(obj, field.name))
    return found


def excerpt(text: str, terms: list[str], width: int = 80) -> str:
    """The text around the first mention, so a reader sees the context, not a whole minute."""
    lowered = text.lower()
    hits = [lowered.find(t.lower()) for t in terms if t and t.lower() in lowered]
    if not hits:
        return text[: width * 2]
    at = min(hits)
    start, end = max(0, at - width), min(len(text), at + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
