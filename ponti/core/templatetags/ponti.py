from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ponti.core import audit, countries
from ponti.core.confidentiality import Confidentiality

register = template.Library()


@register.filter
def audit_rows(event: Any) -> list[tuple[str, Any, Any]]:
    return audit.describe(event)


@register.filter
def country_name(code: str) -> str:
    return countries.country_name(code)


@register.simple_tag
def confidentiality_badge(value: str) -> SafeString:
    label = Confidentiality(value).label if value in Confidentiality.values else value
    return format_html('<span class="badge ponti-badge-{}">{}</span>', value, label)


@register.inclusion_tag("core/partials/field.html")
def field(bound_field: Any) -> dict[str, Any]:
    return {"field": bound_field}


_CHOICE_INPUTS = {"checkbox", "radio"}


@register.filter
def ponti_widget(bound_field: Any) -> SafeString:
    """Render a widget with Bootstrap Italia classes and ARIA ties to its help and errors.

    When the form has a `check_url`, the input also asks the server to validate it as the
    user leaves it (htmx), and the answer lands in the field's feedback region.
    """
    widget = bound_field.field.widget
    input_type = getattr(widget, "input_type", None)
    attrs: dict[str, Any] = {}
    if input_type not in _CHOICE_INPUTS:
        css = "form-select" if widget.__class__.__name__ in {"Select", "SelectMultiple"} else "form-control"
        attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}-help")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}-errors")
        attrs["aria-invalid"] = "true"
    if described and input_type not in _CHOICE_INPUTS:
        attrs["aria-describedby"] = " ".join(described)
    check_url = getattr(bound_field.form, "check_url", None)
    if check_url and input_type not in _CHOICE_INPUTS and bound_field.name != "version":
        attrs.update({
            "hx-post": check_url,
            "hx-trigger": "change, keyup changed delay:600ms" if bound_field.name == "name" else "change",
            "hx-target": f"#{bound_field.auto_id}-feedback",
            "hx-include": "closest form",
            "hx-swap": "innerHTML",
        })
    suggest_url = getattr(bound_field.form, "suggest_urls", {}).get(bound_field.name)
    if suggest_url:
        attrs.update({
            "list": f"{bound_field.auto_id}-options",
            "autocomplete": "off",
            "hx-get": suggest_url,
            "hx-trigger": "keyup changed delay:300ms",
            "hx-target": f"#{bound_field.auto_id}-options",
            "hx-include": "this",
        })
    return bound_field.as_widget(attrs=attrs)
