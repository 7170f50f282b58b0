"""The change log as its readers query it: who may read it, the filters (one Form for the page
and the API), and the CSV export. The trail itself is recorded by `core.audit`."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import describe, is_audited
from .confidentiality import Confidentiality
from .models import AuditAction, AuditChannel, AuditEvent, Ente

READ_PERMISSION = "core.view_auditlog"
# Italian dates first: what an Italian office types; ISO too, for links and the API.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
# The log's dates: a filter outside these years is a typo (and would overflow the time zone).
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)
# The filter values for "no user" (the system) and "no ente" (the shared registry): neither
# can be a username or an ente's id.
SYSTEM_ACTOR = "(sistema)"
NO_ENTE = "nessuno"


def may_read_log(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(READ_PERMISSION))


def require_log_reader(user: Any) -> None:
    if not may_read_log(user):
        raise PermissionDenied


def kind_key(model: Any) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def kind_choices() -> list[tuple[str, str]]:
    """Every audited kind of record, by its name in the reader's language."""
    kinds = [
        (kind_key(m), capfirst(str(m._meta.verbose_name)))
        for m in apps.get_models()
        if is_audited(m)
    ]
    return sorted(kinds, key=lambda kind: kind[1].casefold())


def reader_enti(user: Any) -> QuerySet[Ente]:
    return Ente.objects.all() if user.is_superuser else user.enti.all()


def colleagues(reader: Any, enti: list[Ente]) -> list[str]:
    """The usernames the reader may pick: the users of the reader's enti (of all, for a
    superuser). Read from the users, not from the log: a DISTINCT over a long log is slow."""
    users = get_user_model().objects.all()
    if not reader.is_superuser:
        users = users.filter(enti__in=enti)
    return list(users.order_by("username").values_list("username", flat=True).distinct())


class ItalianDateField(forms.DateField):
    default_error_messages = {
        "invalid": gettext_lazy("Scrivi la data come gg/mm/aaaa, es. 31/05/2024."),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            input_formats=DATE_INPUT_FORMATS,
            required=False,
            widget=forms.DateInput(
                format="%d/%m/%Y", attrs={"placeholder": "gg/mm/aaaa", "inputmode": "numeric"}
            ),
            help_text=gettext_lazy("gg/mm/aaaa"),
            **kwargs,
        )

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            raise forms.ValidationError(
                _("Indica una data tra il %(first)s e il %(last)s.")
                % {
                    "first": FIRST_DAY.strftime("%d/%m/%Y"),
                    "last": LAST_DAY.strftime("%d/%m/%Y"),
                },
                code="out_of_range",
            )


class AuditFilterForm(forms.Form):
    """The log's query string. The choices are the reader's: the kinds of record, the users of
    the reader's enti, and the reader's enti (offered on the page to a reader of several)."""

    q = forms.CharField(
        label=gettext_lazy("Oggetto"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Parte del nome del record, es. «Kyoto»."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Tipo di record"), required=False)
    actor = forms.ChoiceField(label=gettext_lazy("Utente"), required=False)
    action = forms.ChoiceField(
        label=gettext_lazy("Azione"),
        required=False,
        choices=[("", gettext_lazy("Tutte")), *AuditAction.choices],
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Canale"),
        required=False,
        choices=[("", gettext_lazy("Tutti")), *AuditChannel.choices],
    )
    date_from = ItalianDateField(label=gettext_lazy("Dal giorno"))
    date_to = ItalianDateField(label=gettext_lazy("Al giorno (incluso)"))
    ente = forms.ChoiceField(label=gettext_lazy("Ente"), required=False)

    def __init__(self, *args: Any, reader: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reader = reader
        all_ = ("", _("Tutti"))
        self.fields["kind"].choices = [all_, *kind_choices()]  # type: ignore[attr-defined]
        enti = list(reader_enti(reader))
        self.fields["actor"].choices = [  # type: ignore[attr-defined]
            all_,
            (SYSTEM_ACTOR, _("Sistema (nessun utente)")),
            *((name, name) for name in colleagues(reader, enti)),
        ]
        # The page offers the choice only to a reader of several enti; the API takes it always.
        self.several_enti = len(enti) > 1
        self.fields["ente"].choices = [  # type: ignore[attr-defined]
            all_,
            *((str(e.pk), str(e)) for e in enti),
            (NO_ENTE, _("Nessun ente (registro condiviso)")),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("La data finale viene prima di quella iniziale."))
        return data


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered_events(reader: Any, data: dict[str, Any]) -> QuerySet[AuditEvent]:
    """The events `reader` may see (their enti, their clearance) that match the cleaned filters."""
    qs = AuditEvent.objects.visible_to(reader)
    if data.get("q"):
        qs = qs.filter(object_repr__icontains=data["q"])
    if data.get("kind"):
        model = apps.get_model(data["kind"])
        qs = qs.filter(content_type=ContentType.objects.get_for_model(model, False))
    actor = data.get("actor")
    if actor:
        qs = qs.filter(actor_repr="" if actor == SYSTEM_ACTOR else actor)
    if data.get("action"):
        qs = qs.filter(action=data["action"])
    if data.get("channel"):
        qs = qs.filter(channel=data["channel"])
    if data.get("date_from"):
        qs = qs.filter(at__gte=_start_of(data["date_from"]))
    if data.get("date_to"):
        qs = qs.filter(at__lt=_start_of(data["date_to"] + datetime.timedelta(days=1)))
    ente = data.get("ente")
    if ente:
        qs = qs.filter(ente__isnull=True) if ente == NO_ENTE else qs.filter(ente_id=int(ente))
    return qs.select_related("actor", "content_type", "ente").order_by("-at", "-id")


# --- CSV ----------------------------------------------------------------------------------------

# A cell a spreadsheet would run as a formula starts with one of these: it is quoted.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


class _Line:
    """csv.writer writes into this and gets the line back, to stream it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(events: QuerySet[AuditEvent], reader: Any) -> Iterator[str]:
    """The events as CSV lines (semicolons, as Italian spreadsheets expect), written as the
    response is sent: a long log is never held in memory. Linked records the reader may not
    see are unnamed, as on the page."""
    language = translation.get_language()
    writer = csv.writer(_Line(), delimiter=";")
    names: dict[tuple[str, str], str] = {}
    with translation.override(language):
        yield "\ufeff"  # Excel opens UTF-8 with accents correctly
        yield writer.writerow(
            [
                _("Quando"),
                _("Utente"),
                _("Azione"),
                _("Canale"),
                _("Tipo di record"),
                _("Oggetto"),
                _("Identificativo"),
                _("Ente"),
                _("Riservatezza"),
                _("Modifiche"),
                _("Nota"),
            ]
        )
        for event in events.iterator(chunk_size=500):
            changes = "; ".join(
                f"{label}: {old} → {new}" for label, old, new in describe(event, reader, names)
            )
            yield writer.writerow(
                [
                    _cell(v)
                    for v in (
                        formats.date_format(timezone.localtime(event.at), "d/m/Y H:i"),
                        event.actor_repr or _("sistema"),
                        event.get_action_display(),
                        event.get_channel_display() or "—",
                        event.model_name,
                        event.object_repr,
                        event.object_id,
                        event.ente or "—",
                        Confidentiality(event.confidentiality).label
                        if event.confidentiality in Confidentiality.values
                        else event.confidentiality,
                        changes,
                        event.note,
                    )
                ]
            )
