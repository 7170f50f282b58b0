"""Helpers shared by the meetings pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from ponti.core.permissions import enti_for
from ponti.core.typing import AuthedRequest


def error_text(exc: ValidationError) -> str:
    return " ".join(
        m for ms in getattr(exc, "message_dict", {"": exc.messages}).values() for m in ms
    )


def ente_for(request: AuthedRequest, action: str, model: Any) -> Any:
    """The ente a new record goes to: the first of the user's enti where their role may do
    `action` on `model` (a user of several enti names it in the API)."""
    enti = enti_for(request.user, action, model)
    if not enti:
        raise PermissionDenied
    return enti[0]
