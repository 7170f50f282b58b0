"""API plumbing shared by every app's router: authentication, error shapes, the status codes an
operation declares, and the small helpers the routers share (paging, versions, clearance, enti)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from .audit import set_actor, set_channel
from .confidentiality import CONFIDENTIALITY_LEVELS, clearance
from .models import AuditAction
from .services import ConflictError


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ponti_…` with a personal token (only its hash is stored)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from django.apps import apps

        ApiToken = apps.get_model("accounts", "ApiToken")  # core imports no app
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
            set_actor(user)
            set_channel("api")
        return user


class SessionAuth(APIKeyCookie):
    """The browser's session, with Django's CSRF check on unsafe methods.

    The CSRF check runs only when the session authenticates someone: a request with
    neither a valid token nor a session is a 401, not a CSRF 403.
    """

    param_name = "sessionid"

    def __init__(self) -> None:
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(
                403, _("Verifica CSRF non riuscita: invia il token nell'intestazione X-CSRFToken.")
            )
        set_channel("api")  # the middleware set "web": this request is the API's
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class FieldChangeOut(Schema):
    field: str
    old: str
    new: str


class ChangeOut(Schema):
    at: datetime.datetime
    by: str
    fields: list[FieldChangeOut]


class HistoryEventOut(Schema):
    """One entry of a record's history (`core.audit.event_out`)."""

    id: int
    at: datetime.datetime
    actor: str | None = Field(description="Lo username di chi ha agito; nullo per il sistema.")
    action: AuditAction
    action_label: str
    object_type: str = Field(description="Es. organisation, position, organisationname.")
    object_id: str = Field(description="«*» per un'operazione massiva su più record.")
    object_repr: str
    object_version: int | None
    changes: dict[str, Any] = Field(
        description="Campo → [vecchio, nuovo]; per le relazioni molti-a-molti {added, removed}; "
        "per le operazioni massive anche count e ids (i record interessati)."
    )
    note: str
    channel: str = Field(
        description="Da dove: web, api, command, import, system; vuoto se non registrato."
    )


class ConflictOut(Schema):
    detail: str
    current_version: int
    changes: list[ChangeOut]


def field_errors(exc: Any) -> dict[str, list[str]]:
    """A Django ValidationError as {field: [messages]}."""
    if hasattr(exc, "message_dict"):
        return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {"__all__": [str(m) for m in getattr(exc, "messages", [str(exc)])]}


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
    """One page of `qs` (`params.offset`, `params.limit`) with the total, each item through `out`."""
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
    """One of the user's enti: the one named, or the only one (else an error on `ente_id`)."""
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
