"""Form pieces shared by every app."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.db import models
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from . import countries
from .models import Tag
from .money import MAX_AMOUNT, AmountError, format_number, parse_amount
from .pickers import RISERVATO, require_limited

F = TypeVar("F", bound=forms.Field)


class QuickSelect(forms.Select):
    """A select of many flat options (the 251 countries) written in Python, with the HTML of
    Django's templates: those cost about 0.1 ms per option, 20 ms or more for the countries
    on every list page that filters by country (measured with bench/registry.py)."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> Any:
        choices = list(self.choices)
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)  # groups: Django's way
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((str(v), " selected" if str(v) in chosen else "", label) for v, label in choices),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


class CountryField(forms.TypedChoiceField):
    widget = QuickSelect

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Paese"))
        super().__init__(choices=lambda: [("", "—"), *countries.choices()], **kwargs)


class SearchField(forms.CharField):
    """The text of a search box. Control characters (NUL and the like) are refused, as in
    every CharField (`text.install_form_check`): no record holds them, and PostgreSQL cannot
    even be asked about a NUL."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Cerca"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)


def search_refused(form: forms.Form, name: str = "q") -> bool:
    """Whether the form's search text was refused: the page then lists nothing (not
    everything, as if there were no search) and answers 400, with the error on the field."""
    return form.is_bound and not form.is_valid() and name in form.errors


class TagsField(forms.CharField):
    """Tags typed as comma-separated words; unknown ones are created on save."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Etichette"))
        kwargs.setdefault("help_text", _("Separate da virgole, es. «corpo consolare, UNESCO»."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        if value is None:
            return ""
        names = []
        for item in value:
            names.append(
                item.name
                if isinstance(item, Tag)
                else str(Tag.objects.filter(pk=item).first() or item)
            )
        return ", ".join(names)

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        names = sorted({" ".join(t.split()) for t in text.split(",") if t.strip()})
        for name in names:
            if len(name) > 60:
                raise forms.ValidationError(_("Ogni etichetta è lunga al massimo 60 caratteri."))
        return names


def tags_from_names(names: list[str]) -> list[Tag]:
    return [Tag.objects.get_or_create(name=name)[0] for name in names]


class RecordChoiceField(forms.ModelChoiceField):
    """A foreign key typed as an ID, with suggestions: a select would be too long."""

    widget = forms.TextInput

    def __init__(self, queryset: models.QuerySet, **kwargs: Any) -> None:
        super().__init__(queryset=queryset, **kwargs)
        self.error_messages.setdefault(
            "invalid_choice", _("Nessun record con questo ID: sceglilo dai suggerimenti.")
        )

    def prepare_value(self, value: Any) -> Any:
        if hasattr(value, "pk"):
            value = value.pk
        value = super().prepare_value(value)
        # A linked record the user may not read (see `pickers.limit_choices`): its ID stays,
        # so that saving keeps the link, and «riservato» stands for its name.
        if value is not None and str(value) in {str(pk) for pk in getattr(self, "hidden_ids", ())}:
            return f"{value} {RISERVATO}"
        return value

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().split(" ", 1)[0].lstrip("#")
        if value not in self.empty_values:
            require_limited(self, self.queryset)
        return super().to_python(value)


def field_of(form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """`form.fields[name]`, checked to be a `kind` and typed as one (to set its queryset…)."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is not a {kind.__name__}")
    return field


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, required=False, **kwargs)


class VersionedModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """An edit form of a versioned record: it carries the version the user read, so that a
    save made on old values is refused (`core.edit.save_edit`)."""

    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)


def errors_to_form(form: forms.BaseForm, exc: Any) -> None:
    """A model's or a service's ValidationError on the form: on the field it names, else
    above the form, so the user sees it where they typed and loses nothing."""
    for name, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(name if name in form.fields else None, errors)


class AmountField(forms.CharField):
    """An amount typed the Italian way ("1.234,56", "1234,56" or "1234.56"), read by
    `ponti.core.money.parse_amount` as the imports and the API read amounts: words, more than
    2 decimals, exponents and digits other than 0-9 are refused, never rounded; negatives only
    with `allow_negative`; at most `maximum` (what the model's column holds). Optional unless
    `required=True`."""

    def __init__(
        self, *, allow_negative: bool = False, maximum: Decimal = MAX_AMOUNT, **kwargs: Any
    ) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        self.allow_negative = allow_negative
        self.maximum = maximum
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_number(value)
        return value

    def clean(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().clean(value)
        try:
            amount = parse_amount(text, negative=self.allow_negative, maximum=self.maximum)
        except AmountError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None
        if amount is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return amount


class EnteFilterField(forms.TypedChoiceField):
    """A list's filter by ente, for whoever works for more than one (an ente and the enti under
    it): its choices are the user's enti, set by `offer_ente_filter`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Ente"))
        super().__init__(required=False, coerce=int, empty_value=None, **kwargs)


def offer_ente_filter(form: forms.Form, user: Any, name: str = "ente") -> bool:
    """Give the form's ente filter the user's enti, or remove it for a user of one ente.
    Answers whether it is offered (the list then shows an ente column too)."""
    from .models import Ente

    if getattr(user, "is_superuser", False):
        enti = list(Ente.objects.order_by("name"))
    else:
        enti = list(user.enti.order_by("name")) if getattr(user, "is_authenticated", False) else []
    if len(enti) < 2:
        form.fields.pop(name, None)
        return False
    form.fields[name].choices = [("", _("Tutti")), *((e.pk, e.name) for e in enti)]  # type: ignore[attr-defined]
    return True


class EnteFilterForm(forms.Form):
    """The ente filter alone, for a list with no other filters (see `filter_by_ente`)."""

    ente = EnteFilterField()


def filter_by_ente(
    request: Any, qs: Any, field: str = "ente_id"
) -> tuple[Any, EnteFilterForm | None]:
    """`qs` narrowed to the ente chosen in `?ente=`, with the form to show (None for a user of
    one ente: nothing to choose). An ente that is not the user's is no choice and is ignored."""
    form = EnteFilterForm(request.GET or None)
    if not offer_ente_filter(form, request.user):
        return qs, None
    if form.is_valid() and form.cleaned_data.get("ente"):
        qs = qs.filter(**{field: form.cleaned_data["ente"]})
    return qs, form


def current_query(request: Any, *drop: str) -> str:
    """The list's parameters as a query string (for its export links), without `drop`."""
    query = request.GET.copy()
    for name in ("page", "export", *drop):
        query.pop(name, None)
    return str(query.urlencode())
