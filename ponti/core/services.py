"""Helpers shared by every app's service functions."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext as _

from .audit import acting_as, describe
from .models import AuditEvent


class ConflictError(Exception):
    """Someone else saved the record after the user loaded it."""

    def __init__(self, obj: models.Model, since_version: int) -> None:
        self.obj = obj
        self.since_version = since_version
        # The record's own events only: a child's (a gift under an organisation, a fee under
        # a membership) has versions of its own, and may be of another ente or clearance.
        events = AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=str(obj.pk),
            object_version__gt=since_version,
        ).order_by("at", "id")
        self.changes: list[dict[str, Any]] = [
            {
                "at": e.at,
                "by": e.actor_repr or _("sistema"),
                "fields": [{"field": f, "old": o, "new": n} for f, o, n in describe(e)],
            }
            for e in events
        ]
        super().__init__(f"{obj} changed since version {since_version}")


def claim_version(obj: Any, expected_version: int | None = None) -> None:
    """Inside a transaction, before saving an existing record: take its next version, or raise
    ConflictError if someone saved it since `expected_version` (by default, the version `obj`
    was read with). The compare-and-set is one UPDATE, so two concurrent saves cannot both win.
    """
    since = obj.version if expected_version is None else expected_version
    bumped = type(obj)._base_manager.filter(pk=obj.pk, version=since).update(version=since + 1)
    if bumped != 1:
        raise ConflictError(obj, since)
    obj.version = since + 1


def save_versioned(
    obj: Any, *, expected_version: int, user: Any, m2m: dict[str, Any] | None = None
) -> Any:
    """Save `obj` only if nobody saved it since `expected_version`; bump the version."""
    with acting_as(user), transaction.atomic():
        claim_version(obj, expected_version)
        obj.save()
        for name, values in (m2m or {}).items():
            getattr(obj, name).set(values)
    return obj


def save_new_or_claimed(obj: Any, *, user: Any, expected_version: int | None = None) -> Any:
    """Validate and save a record of a kind that is created and edited by one service: a new
    one as it is, an existing one only as the next version (see `claim_version`)."""
    with acting_as(user), transaction.atomic():
        obj.full_clean()
        if obj.pk:
            claim_version(obj, expected_version)
        obj.save()
    return obj
