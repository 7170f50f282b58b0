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


def can(user: Any, action: str, model: type[models.Model], obj: Any = None) -> bool:
    """May `user` do `action` on `model`: in the ente of `obj` (a record, or an Ente) when
    given, else in at least one of the user's enti."""
    return bool(
        getattr(user, "is_authenticated", False) and user.has_perm(perm(model, action), obj)
    )


def require(user: Any, action: str, model: type[models.Model], obj: Any = None) -> None:
    if not can(user, action, model, obj):
        raise PermissionDenied


def enti_for(user: Any, action: str, model: type[models.Model]) -> list[Any]:
    """The user's enti in which the user's role allows `action` on `model` (e.g. where a new
    agreement may be created), by name."""
    if not getattr(user, "is_authenticated", False):
        return []
    codename = perm(model, action)
    return [e for e in user.enti.order_by("name") if user.has_perm(codename, e)]


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
    can_edit = can(user, "change", model, obj)
    if action != "view" and not can(user, action, model, obj):
        raise PermissionDenied
    return obj, can_edit
