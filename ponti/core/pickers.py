"""Pickers: every choice a form offers lists only records its user may read.

`limit_choices(form, user)` is called by every view on every form it builds, before the form
is rendered or validated. For each field that picks records (a `ModelChoiceField`, a
`ModelMultipleChoiceField`, or a field of IDs with a `queryset`, such as the partners field):

- the choices become the records of its queryset the user may read (`readable`: the user's
  enti, each within the user's clearance there, for a relation record; the user's clearance
  for the shared registry): a record the user may not read is neither offered nor accepted,
  and posting its ID is refused as if it did not exist;
- a record already linked that the user may not read is *kept*: it is shown as «riservato»
  (never its name) and stays linked when the form is saved (never dropped, never revealed).

Fields that pick confidential records refuse to validate a value until the form is limited
(`require_limited`): a view that forgets the call fails loudly, never silently open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

from .confidentiality import can_see
from .ids import parse_id

F = TypeVar("F", bound=forms.BaseForm)

RISERVATO = _("riservato")


def readable(user: Any, qs: Any) -> Any:
    """The records of `qs` the user may read (no role check: that is the view's)."""
    if hasattr(qs, "for_user"):
        return qs.for_user(user)
    if hasattr(qs, "visible_to"):
        return qs.visible_to(user)
    return qs


def is_confidential(qs: Any) -> bool:
    return hasattr(qs, "for_user") or hasattr(qs, "visible_to")


def label_for(user: Any, obj: Any, text: Any = None) -> Any:
    """What a page shows of a linked record: its text (default `str(obj)`) when the user
    may read it, «riservato» otherwise."""
    if obj is None:
        return ""
    if not can_see(user, obj):
        return RISERVATO
    return str(obj) if text is None else text


def split_visible(user: Any, records: Iterable[Any]) -> tuple[list[Any], list[Any]]:
    """(the records the user may read, the others)."""
    shown: list[Any] = []
    hidden: list[Any] = []
    for record in records:
        (shown if can_see(user, record) else hidden).append(record)
    return shown, hidden


def keep_hidden(user: Any, current: Iterable[Any], chosen: Iterable[Any]) -> list[Any]:
    """The links to save: what the user chose, plus the current links the user may not read
    (the user could neither see nor remove them)."""
    out = list(chosen)
    ids = {r.pk for r in out}
    out += [r for r in current if not can_see(user, r) and r.pk not in ids]
    return out


def require_limited(field: forms.Field, qs: Any) -> None:
    """A picker of confidential records validates nothing until `limit_choices` ran."""
    if is_confidential(qs) and not getattr(field, "limited_for", None):
        raise ImproperlyConfigured(
            f"{type(field).__name__} picks confidential records: call "
            "ponti.core.pickers.limit_choices(form, user) before validating the form."
        )


def limit_choices(form: F, user: Any) -> F:
    """Narrow every record picker of `form` to what `user` may read; keep hidden links."""
    for name, field in form.fields.items():
        qs = getattr(field, "queryset", None)
        if not isinstance(qs, models.QuerySet):
            continue
        current = _current(form, name)
        hidden = [r for r in current if isinstance(r, models.Model) and not can_see(user, r)]
        limited = readable(user, qs)
        if hidden and not isinstance(field, forms.ModelMultipleChoiceField | MultiRecordField):
            # A single link to a hidden record: it stays a choice, labelled «riservato».
            # (Even when the form had already narrowed its queryset to what the user reads.)
            kept = qs.model._default_manager.filter(pk=hidden[0].pk)
            limited = qs.model._default_manager.filter(
                models.Q(pk__in=limited.values("pk")) | models.Q(pk__in=kept.values("pk"))
            ).order_by(*qs.query.order_by)
        field.queryset = limited  # type: ignore[attr-defined]
        field.limited_for = user  # type: ignore[attr-defined]
        if not hidden:
            continue
        hidden_ids = {r.pk for r in hidden}
        if isinstance(field, forms.ModelMultipleChoiceField | MultiRecordField):
            # Shown: only what the user may read; saved: that plus the hidden links.
            form.initial[name] = [
                r for r in form.initial.get(name) or [] if getattr(r, "pk", r) not in hidden_ids
            ]
            setattr(field, "clean", _keeping(field.clean, hidden))  # noqa: B010 - on this instance
            field.help_text = _with_note(field.help_text, len(hidden))
        elif isinstance(field, forms.ModelChoiceField):
            setattr(  # noqa: B010 - on this instance only
                field, "label_from_instance", _labelling(field.label_from_instance, hidden_ids)
            )
            field.hidden_ids = hidden_ids  # type: ignore[attr-defined]
    form.reader = user  # type: ignore[attr-defined]
    return form


def _current(form: forms.BaseForm, name: str) -> list[Any]:
    """The records the field links now: from the saved instance only (never from an initial
    value, which may come from the query string)."""
    instance = getattr(form, "instance", None)
    if instance is None or not instance.pk:
        return []
    try:
        value = getattr(instance, name)
    except Exception:  # noqa: BLE001 - not a relation of the instance, or a missing record
        return []
    if hasattr(value, "all"):
        return list(value.all())
    return [value] if isinstance(value, models.Model) else []


def _keeping(clean: Callable[[Any], Any], hidden: list[Any]) -> Callable[[Any], Any]:
    def clean_keeping(value: Any) -> Any:
        chosen = clean(value)
        ids = {r.pk for r in chosen or []}
        return [*(chosen or []), *(r for r in hidden if r.pk not in ids)]

    return clean_keeping


def _labelling(label: Callable[[Any], str], hidden_ids: set[Any]) -> Callable[[Any], Any]:
    def label_or_riservato(obj: Any) -> Any:
        return RISERVATO if obj.pk in hidden_ids else label(obj)

    return label_or_riservato


def _with_note(help_text: Any, count: int) -> str:
    from django.utils.translation import ngettext

    note = ngettext(
        "È collegato anche %(n)s record riservato: resta collegato.",
        "Sono collegati anche %(n)s record riservati: restano collegati.",
        count,
    ) % {"n": count}
    return f"{help_text} {note}".strip()


class MultiRecordField(forms.CharField):
    """Several records typed as IDs (with suggestions), separated by commas; `queryset` is
    what may be chosen (`limit_choices` narrows it to the user's)."""

    model: type[models.Model]
    not_a_record = _("«%(v)s» non è nel registro: sceglilo dai suggerimenti.")
    missing = _("Inesistente: %(ids)s.")

    def __init__(self, **kwargs: Any) -> None:
        if not hasattr(self, "model"):
            raise TypeError("MultiRecordField is a base: a subclass names its model.")
        self.queryset: Any = self.model._default_manager.all()
        super().__init__(**kwargs)

    def text_of(self, obj: Any) -> str:
        return str(obj)

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        records = [
            r if isinstance(r, models.Model) else self.queryset.filter(pk=r).first()
            for r in value or []
        ]
        return ", ".join(f"{r.pk} {self.text_of(r)}" for r in records if r)

    def records(self, value: Any) -> list[Any]:
        text = super().clean(value) or ""
        ids = []
        for chunk in text.split(","):
            token = chunk.strip().split(" ", 1)[0].lstrip("#")
            if not token:
                continue
            pk = parse_id(token)  # only a number an id column can hold
            if pk is None:
                raise forms.ValidationError(self.not_a_record, params={"v": chunk.strip()})
            ids.append(pk)
        if ids:
            require_limited(self, self.queryset)
        found = list(self.queryset.filter(pk__in=ids))
        absent = set(ids) - {r.pk for r in found}
        if absent:
            raise forms.ValidationError(
                self.missing, params={"ids": ", ".join(map(str, sorted(absent)))}
            )
        return found

    def clean(self, value: Any) -> list[Any]:
        return self.records(value)
