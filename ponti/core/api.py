"""API plumbing shared by every app's router: authentication and error shapes."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from .audit import set_actor


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ponti_…` with a personal token (only its hash is stored)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from django.apps import apps

        ApiToken = apps.get_model("accounts", "ApiToken")  # core imports no app
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
            set_actor(user)
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


class ConflictOut(Schema):
    detail: str
    current_version: int
    changes: list[ChangeOut]


def field_errors(exc: Any) -> dict[str, list[str]]:
    """A Django ValidationError as {field: [messages]}."""
    if hasattr(exc, "message_dict"):
        return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {"__all__": [str(m) for m in getattr(exc, "messages", [str(exc)])]}
