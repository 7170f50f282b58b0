"""One place where views and the API ask "may this user see / change this record?"."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from .confidentiality import can_see

M = TypeVar("M", bound=models.Model)
QS = TypeVar("QS", bound="models.QuerySet[Any, Any]")


def perm(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def can(user: Any, action: str, model: type[models.Model]) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(perm(model, action)))


def require(user: Any, action: str, model: type[models.Model]) -> None:
    if not can(user, action, model):
        raise PermissionDenied


def visible_queryset(user: Any, model: type[M]) -> models.QuerySet[M]:
    """Every record of `model` the user may read: role, ente and confidentiality."""
    return visible_in(user, model._default_manager.all())


def visible_in(user: Any, qs: QS) -> QS:
    """The records of `qs` the user may read, as `visible_queryset`; keeps the QuerySet
    class, so its own methods (`.search()`…) stay known to the type checker."""
    require(user, "view", qs.model)
    if hasattr(qs, "for_user"):
        return qs.for_user(user)
    if hasattr(qs, "visible_to"):
        return qs.visible_to(user)
    return qs


def get_for_user(user: Any, model: type[M], pk: Any, *, action: str = "view") -> tuple[M, bool]:
    """The record, if the user may see it, and whether the user may change it.

    A record the user may not see is a 404, not a 403: its existence is not disclosed.
    """
    qs = visible_queryset(user, model)
    try:
        obj = qs.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
        raise Http404 from None
    if not can_see(user, obj):
        raise Http404
    can_edit = can(user, "change", model)
    if action != "view" and not can(user, action, model):
        raise PermissionDenied
    return obj, can_edit
