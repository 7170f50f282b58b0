"""The router, the status-code maps and the helpers the operations share."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from ninja import Router

from ponti.core.api import ConflictOut, ErrorOut, FieldErrorOut, field_errors
from ponti.core.api import check_clearance as _check_clearance  # noqa: F401 - used by the modules
from ponti.core.api import stale as _stale  # noqa: F401
from ponti.core.api import user_of as _user  # noqa: F401

from ..models import Position
from ..schemas import (
    PageQuery,
)

router = Router(tags=["partner"])

# Every status an operation can answer, so that the OpenAPI document is truthful.
AUTH = {401: ErrorOut, 403: ErrorOut}
READ = {**AUTH, 404: ErrorOut, 422: FieldErrorOut}
LIST = {**AUTH, 422: FieldErrorOut}
BODY = {400: ErrorOut, 413: ErrorOut, 422: FieldErrorOut}
CREATE = {**AUTH, **BODY}
UPDATE = {**READ, **BODY, 409: ConflictOut}
DELETE = {**READ, 409: ErrorOut}


# --- helpers ---------------------------------------------------------------------------------


@contextmanager
def _fields_renamed(rename: dict[str, str], prefix: str = "") -> Iterator[None]:
    """Model errors named as the API names its fields (`parent` is `parent_id`)."""
    try:
        yield
    except ValidationError as exc:
        raise ValidationError(_renamed(field_errors(exc), rename, prefix)) from exc


def _renamed(
    errors: dict[str, list[str]], rename: dict[str, str], prefix: str = ""
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, messages in errors.items():
        name = rename.get(key, key)
        if prefix:
            name = prefix if name == NON_FIELD_ERRORS else f"{prefix}.{name}"
        out.setdefault(name, []).extend(messages)
    return out


def _check(
    candidate: models.Model,
    errors: dict[str, list[str]],
    rename: dict[str, str],
    *,
    exclude: tuple[str, ...] = (),
) -> None:
    """Run the model's own validation on an unsaved candidate and raise every error at once.

    The service validates again when it saves; this pass lets the client see the model's
    errors together with the API's own (unknown parent, unknown sector, a language twice…).
    Fields that already have an error are not validated again.
    """
    api_to_model = {api: model for model, api in rename.items()}
    skip = {*exclude, *(api_to_model.get(key, key) for key in errors)}
    try:
        candidate.full_clean(exclude=sorted(skip))
    except ValidationError as exc:
        for key, messages in _renamed(field_errors(exc), rename).items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _page(qs: Any, params: PageQuery) -> tuple[int, list[Any]]:
    return qs.count(), list(qs[params.offset : params.offset + params.limit])


def _position_out(position: Position) -> dict[str, Any]:
    return {
        "id": position.pk,
        "person_id": position.person_id,
        "person_name": position.person.full_name,
        "organisation_id": position.organisation_id,
        "organisation_name": position.organisation.name,
        "role": position.role,
        "start_date": position.start_date,
        "start_precision": position.start.precision,
        "end_date": position.end_date,
        "end_precision": position.end.precision,
        "is_current": position.is_current,
        "created_at": position.created_at,
        "updated_at": position.updated_at,
        "version": position.version,
    }
