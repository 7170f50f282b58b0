"""The networks router and the helpers its operations share (copied from the partner
registry's API where small, rather than importing its private functions)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from ponti.core.api import ConflictOut, ErrorOut, FieldErrorOut, field_errors
from ponti.core.confidentiality import CONFIDENTIALITY_LEVELS, clearance
from ponti.core.services import ConflictError

router = Router(tags=["reti"])

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


def user_of(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


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


@contextmanager
def api_errors(rename: dict[str, str] | None = None) -> Iterator[None]:
    """Model errors named as the API names its fields (`network` is `network_id`); a unique
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
