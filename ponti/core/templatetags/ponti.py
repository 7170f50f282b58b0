from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from ponti.core import audit, countries
from ponti.core.confidentiality import Confidentiality

register = template.Library()


# What a merge records besides fields (see partners.services.merge_organisations).
_MERGE_LABELS = {
    "merged": _("Duplicato unito"),
    "moved": _("Collegamenti spostati"),
    "filled": _("Campi completati dal duplicato"),
}


def _merge_value(model: Any, key: str, value: Any) -> str:
    if key == "moved" and isinstance(value, dict):
        parts = []
        for label, count in value.items():
            try:
                name = apps.get_model(label)._meta.verbose_name_plural
            except (LookupError, ValueError):
                name = label
            parts.append(f"{name}: {count}")
        return ", ".join(parts) or "—"
    if key == "filled" and isinstance(value, list) and model is not None:
        names = []
        for field in value:
            try:
                names.append(str(model._meta.get_field(field).verbose_name))
            except FieldDoesNotExist:
                names.append(str(field))
        return ", ".join(names) or "—"
    return "—"


@register.filter
def audit_rows(event: Any) -> list[tuple[str, Any, Any]]:
    rows = audit.describe(event)
    changes = event.changes or {}
    keys = list(changes)
    if len(keys) != len(rows):
        return rows
    is_merge = event.action == "merge"
    readable = []
    for key, (label, old, new) in zip(keys, rows, strict=True):
        if key == "country":
            # The trail keeps country codes; people read country names ("FR" → "Francia").
            old, new = (countries.country_name(v) if v != "—" else v for v in (old, new))
        elif is_merge and key in _MERGE_LABELS:
            label = str(_MERGE_LABELS[key])
            if key != "merged":
                old, new = "—", _merge_value(event.content_type.model_class(), key, changes[key])
        readable.append((label, old, new))
    return readable


@register.filter
def readable_by(obj: Any, user: Any) -> bool:
    """May `user` read the linked record `obj`? (Otherwise the page shows «riservato».)"""
    from ponti.core.confidentiality import can_see

    return obj is not None and can_see(user, obj)


@register.filter
def coordinate(value: Any) -> str:
    """A latitude or longitude as typed, without trailing zeros, in the page's number format."""
    if value is None or value == "":
        return ""
    exact = Decimal(str(value)).normalize()
    exponent = exact.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return number_format(exact, decimal_pos=places)


@register.filter
def euro(value: Any) -> str:
    """A Decimal as Italian euros: 1234.5 → «1.234,50 €» (the same in English pages, as the acts)."""
    from ponti.core.money import format_euro

    return format_euro(value)


@register.filter
def number_it(value: Any, places: int = 2) -> str:
    from ponti.core.money import format_number

    return format_number(value, int(places))


@register.filter
def quantity(value: Any) -> str:
    """A count or a measure: no decimals when it is whole (5, not 5,00), else two."""
    from decimal import Decimal

    from ponti.core.money import format_number

    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    return format_number(number, 0 if number == number.to_integral_value() else 2)


@register.filter
def country_name(code: str) -> str:
    return countries.country_name(code)


@register.simple_tag
def confidentiality_badge(value: str) -> SafeString:
    label = Confidentiality(value).label if value in Confidentiality.values else value
    return format_html('<span class="badge ponti-badge-{}">{}</span>', value, label)


@register.simple_tag
def to_verify(confidence: str) -> SafeString:
    """«da verificare» beside a record of low confidence: words, not a colour alone."""
    if confidence != "low":
        return SafeString("")
    return format_html(
        '<span class="badge ponti-badge-verify" title="{}">{}</span>',
        _("Affidabilità bassa: dati da verificare sulla fonte"),
        _("da verificare"),
    )


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
        css = (
            "form-select"
            if widget.__class__.__name__ in {"Select", "SelectMultiple"}
            else "form-control"
        )
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
        attrs.update(
            {
                "hx-post": check_url,
                "hx-trigger": "change, keyup changed delay:600ms"
                if bound_field.name == "name"
                else "change",
                "hx-target": f"#{bound_field.auto_id}-feedback",
                "hx-include": "closest form",
                "hx-swap": "innerHTML",
            }
        )
    suggest_url = getattr(bound_field.form, "suggest_urls", {}).get(bound_field.name)
    if suggest_url:
        attrs.update(
            {
                "list": f"{bound_field.auto_id}-options",
                "autocomplete": "off",
                "hx-get": suggest_url,
                "hx-trigger": "keyup changed delay:300ms",
                "hx-target": f"#{bound_field.auto_id}-options",
                "hx-include": "this",
            }
        )
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def panels(context: Any, page: str, obj: Any) -> SafeString:
    """Panels other apps contribute to this page (see ponti.core.panels)."""
    from ponti.core.panels import render_panels

    return render_panels(page, context["request"], obj)


@register.filter
def imprecise(value: Any, precision: str | None = None) -> str:
    """`{{ a.signed_on|imprecise:a.signed_precision }}` → «1958», «luglio 1958», «3 luglio 1958»;
    an ImpreciseDate needs no argument. Empty for an unknown date (templates add their «—»)."""
    from ponti.core.dates import ImpreciseDate

    when = value if isinstance(value, ImpreciseDate) else ImpreciseDate.of(value, precision)
    return str(when) if when.is_known else ""
