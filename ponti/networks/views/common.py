"""What the networks pages share."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from ..queries import networks_for, partner_of_user

__all__ = ["errors_to_form", "networks_for", "partner_of_user"]


def errors_to_form(form: Any, exc: ValidationError) -> None:
    for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(field if field in form.fields else None, errors)
