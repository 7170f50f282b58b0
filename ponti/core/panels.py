"""Panels other apps add to a record's page, without the page's app importing them.

The partner page shows the partner's agreements, memberships, and later its meetings:
each app registers a panel in its `panels.py`; `partners` asks core for the panels.
A panel gets the request and the record and returns (template, context) or None to hide.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from ponti.core.discovery import import_app_modules

Panel = Callable[[HttpRequest, Any], tuple[str, dict[str, Any]] | None]
_PANELS: dict[str, list[tuple[int, str, Panel]]] = {}
_loaded = False


def register(page: str, order: int, name: str) -> Callable[[Panel], Panel]:
    def decorator(func: Panel) -> Panel:
        entries = _PANELS.setdefault(page, [])
        if all(n != name for _, n, _ in entries):
            entries.append((order, name, func))
            entries.sort(key=lambda e: e[0])
        return func

    return decorator


def _load() -> None:
    global _loaded
    if _loaded:
        return
    import_app_modules("panels")
    _loaded = True


def render_panels(page: str, request: HttpRequest, obj: Any) -> SafeString:
    _load()
    html = []
    for _order, _name, panel in _PANELS.get(page, []):
        result = panel(request, obj)
        if result is not None:
            template, context = result
            html.append(render_to_string(template, context, request=request))
    return mark_safe("".join(html))  # noqa: S308 - rendered by our own templates, autoescaped
