"""One instance of any Ponti model, for tests that must cover every model, including the ones
added after the test was written.

`build(Model, ente=…)` fills each required field with a plausible value, creates the required
foreign keys the same way (recursively), puts every relation record in `ente` and makes every
confidential record riservato. A few models have invariants a generic value cannot meet
(a role needs a start, an action needs a subject): `OVERRIDES` gives them what they need.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import models

_counter = itertools.count(1)


def _needs(model: type[models.Model], name: str, ente: Any) -> dict[str, Any]:
    return {name: build(model, ente=ente)}


def _membership_start(ente: Any) -> dict[str, Any]:
    return {"since_year": 2003}


# Values a model's constraints require beyond its required fields.
OVERRIDES: dict[str, Callable[[Any], dict[str, Any]]] = {
    "networks.membership": _membership_start,
    "networks.membershiprole": lambda ente: {"start_year": 2020},
    "meetings.followupaction": lambda ente: _needs(_model("meetings.meeting"), "meeting", ente),
    "planning.budgetcode": lambda ente: {"code": str(next(_counter) % 10**9)},
}


def _model(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


def _value(field: models.Field, ente: Any) -> Any:
    n = next(_counter)
    if field.name == "confidentiality":
        return "riservato"
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.EmailField):
        return f"persona{n}@example.org"
    if isinstance(field, models.URLField):
        return f"https://example.org/{n}"
    if isinstance(field, models.DecimalField):
        return Decimal("10.00")
    if isinstance(field, models.IntegerField):
        return 2024 if "year" in field.name else 1
    if isinstance(field, models.DateTimeField):
        return datetime.datetime(2025, 5, 1, 10, tzinfo=datetime.UTC)
    if isinstance(field, models.DateField):
        return datetime.date(2025, 5, 1)
    if isinstance(field, models.FileField):
        return f"test/{n}.pdf"
    if isinstance(field, models.CharField | models.TextField):
        text = f"{field.name} {n}"
        return text[-field.max_length :] if field.max_length else text
    raise TypeError(f"No test value for {field.model._meta.label}.{field.name}")


def build(model: type[models.Model], *, ente: Any, **given: Any) -> models.Model:
    """A saved instance of `model`, its relation records in `ente`, confidential ones riservato."""
    from ponti.core.models import Ente

    label = model._meta.label_lower
    values: dict[str, Any] = {**OVERRIDES.get(label, lambda e: {})(ente), **given}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in values or field.attname in values:
            continue
        if field.name == "confidentiality":
            values[field.name] = "riservato"
            continue
        if field.is_relation:
            if field.null:
                continue
            related = field.related_model
            assert isinstance(related, type)
            values[field.name] = ente if related is Ente else build(related, ente=ente)
            continue
        if field.has_default() or getattr(field, "auto_now", False) or field.null:
            continue
        values[field.name] = _value(field, ente)
    if label == "partners.retentionrule":
        # Every kind has its rule from the migration: this one is built anew.
        model._default_manager.filter(kind=values.get("kind", "other")).delete()
        values.setdefault("kind", "other")
    if label == "accounts.user":
        values.setdefault("password", "!")
        user = model(**values)
        user._audit_ente = ente.pk  # type: ignore[attr-defined]  # as accounts.services does
        user.save()
        return user
    return model._default_manager.create(**values)
