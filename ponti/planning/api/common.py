"""The planning router and the helpers its operations share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from ponti.core.api import ConflictOut, ErrorOut, FieldErrorOut, field_errors
from ponti.core.confidentiality import CONFIDENTIALITY_LEVELS, can_see, clearance
from ponti.core.permissions import get_for_user, require, visible_queryset
from ponti.core.services import ConflictError

from ..models import BudgetCode, BudgetLine, Indicator, Objective

router = Router(tags=["Programmazione"])

# Every status an operation can answer, so that the OpenAPI document is truthful.
AUTH = {401: ErrorOut, 403: ErrorOut}
LIST = {**AUTH, 422: FieldErrorOut}
READ = {**AUTH, 404: ErrorOut, 422: FieldErrorOut}
BODY = {400: ErrorOut, 413: ErrorOut, 422: FieldErrorOut}
CREATE = {**AUTH, **BODY}
CREATE_UNDER = {**READ, **BODY}
UPDATE = {**READ, **BODY}
UPDATE_VERSIONED = {**UPDATE, 409: ConflictOut}
DELETE = {**READ, 409: ErrorOut}

CENT = Decimal("0.01")


def user_of(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def money(value: Decimal | None) -> str | None:
    """A decimal string with two places, as every amount in a response."""
    return None if value is None else f"{Decimal(value).quantize(CENT):f}"


def page(qs: Any, params: Any, out: Any) -> dict[str, Any]:
    count = qs.count()
    items = list(qs[params.offset : params.offset + params.limit])
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "items": [out(i) for i in items],
    }


def stale(obj: Any, version: int) -> None:
    """Refuse a stale version before looking at the data: the edit was made on old values."""
    if obj.version != version:
        raise ConflictError(obj, version)


def check_clearance(user: Any, level: Any, errors: dict[str, list[str]]) -> None:
    if level is not None and CONFIDENTIALITY_LEVELS[str(level)] > clearance(user):
        errors.setdefault("confidentiality", []).append(
            _("Non puoi assegnare un livello di riservatezza che non potresti leggere.")
        )


def choose_ente(user: Any, ente_id: int | None, errors: dict[str, list[str]]) -> Any:
    """One of the user's enti: the one named, or the only one."""
    enti = list(user.enti.all())
    if ente_id:
        ente = next((e for e in enti if e.pk == ente_id), None)
    else:
        ente = enti[0] if len(enti) == 1 else None
    if ente is None:
        errors.setdefault("ente_id", []).append(
            _("Indica uno dei tuoi enti.") if enti else _("Non appartieni a nessun ente.")
        )
    return ente


def budget_code(
    field: str,
    code: str | None,
    levels: list[str],
    errors: dict[str, list[str]],
    side: str | None = None,
) -> BudgetCode | None:
    """The classification entry `code` at one of `levels` (and `side`), or a 422 on `field`."""
    if code is None:
        return None
    qs = BudgetCode.objects.filter(code=code, level__in=levels)
    if side:
        qs = qs.filter(side=side)
    found = qs.first()
    if found is None:
        errors.setdefault(field, []).append(
            _("Il codice %(code)s non è nella classificazione di bilancio.") % {"code": code}
        )
    return found


def objective_for(user: Any, pk: int, action: str = "view") -> Objective:
    """An objective of the user's enti within their clearance (404 otherwise), 403 without the role."""
    objective, _editable = get_for_user(user, Objective, pk, action=action)
    return objective


def visible_objectives(user: Any) -> Any:
    return visible_queryset(user, Objective)


def indicator_for(user: Any, pk: int, action: str = "view") -> Indicator:
    require(user, "view", Indicator)
    indicator = (
        Indicator.objects.filter(pk=pk, objective__in=visible_objectives(user))
        .select_related("objective")
        .first()
    )
    if indicator is None or not can_see(user, indicator.objective):
        raise Http404
    if action != "view":
        require(user, action, Indicator)
    return indicator


def line_for(user: Any, pk: int, action: str = "view") -> BudgetLine:
    line, _editable = get_for_user(user, BudgetLine, pk, action=action)
    return line


@contextmanager
def api_errors(rename: dict[str, str] | None = None) -> Iterator[None]:
    """Model errors named as the API names its fields (`parent` is `parent_id`); a unique
    constraint lost to a concurrent save is a 422, never a 500."""
    rename = rename or {}
    try:
        yield
    except ValidationError as exc:
        out: dict[str, list[str]] = {}
        for key, messages in field_errors(exc).items():
            out.setdefault(rename.get(key, key), []).extend(messages)
        raise ValidationError(out) from exc
    except IntegrityError as exc:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("I dati sono in conflitto con un altro record: ricarica e riprova.")
                ]
            }
        ) from exc
