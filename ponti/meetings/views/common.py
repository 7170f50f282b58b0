"""Helpers shared by the meetings pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from ponti.core.typing import AuthedRequest


def errors_to_form(form: Any, exc: ValidationError) -> None:
    for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(field if field in form.fields else None, errors)


def error_text(exc: ValidationError) -> str:
    return " ".join(
        m for ms in getattr(exc, "message_dict", {"": exc.messages}).values() for m in ms
    )


def ente_for(request: AuthedRequest) -> Any:
    ente = request.user.default_ente()
    if ente is None:
        raise PermissionDenied
    return ente
