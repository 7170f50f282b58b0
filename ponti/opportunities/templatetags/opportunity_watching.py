"""The user's saved searches, for the opportunities list (no change to its view)."""

from __future__ import annotations

from typing import Any

from django import template

from ..saved_searches import searches_of

register = template.Library()


@register.simple_tag
def saved_searches_of(user: Any) -> list[Any]:
    return list(searches_of(user))
