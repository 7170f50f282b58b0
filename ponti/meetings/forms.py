"""Forms of meetings, visit requests, follow-up actions and gifts."""

from __future__ import annotations

import zoneinfo
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ponti.agreements.forms import PartnersField
from ponti.core.dates import ImpreciseDateFormField, ImpreciseDatesMixin
from ponti.core.forms import (
    AmountField,
    CountryField,
    EnteFilterField,
    RecordChoiceField,
    SearchField,
    VersionedModelForm,
    VersionField,
    field_of,
)
from ponti.core.models import Sector
from ponti.partners.models import Organisation, Person

from .models import (
    ActionStatus,
    FollowUpAction,
    Gift,
    Meeting,
    MeetingKind,
    MeetingStatus,
    ParticipantSide,
    VisitRequest,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def ente_users(ente_id: int | None) -> Any:
    return (
        get_user_model()
        .objects.filter(is_active=True, enti=ente_id)
        .order_by("last_name", "username")
    )


class CounterpartsField(PartnersField):
    """Partners typed as IDs with suggestions; a meeting may have none yet."""

    def clean(self, value: Any) -> list[Organisation]:
        return self.records(value)


class MeetingForm(ImpreciseDatesMixin, forms.ModelForm):
    imprecise_dates = {"date": "date_precision"}
    date = ImpreciseDateFormField(
        label=_("Data nota solo in parte"),
        help_text=_(
            "Se giorno e ora non sono noti: «2019», «luglio 2019» (lascia vuoti inizio e fine)."
        ),
    )
    counterparts = CounterpartsField(label=_("Organizzazioni controparte"), required=False)
    sectors = forms.ModelMultipleChoiceField(
        Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Ambiti"),
    )
    country = CountryField(required=False)
    timezone = forms.CharField(
        label=_("Fuso orario"),
        initial="Europe/Rome",
        max_length=64,
        help_text=_(
            "Nome IANA, es. Europe/Rome, America/New_York, Asia/Tokyo. "
            "Inizio e fine sono in questo fuso."
        ),
    )
    version = VersionField()

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "status",
            "starts_at",
            "ends_at",
            "all_day",
            "timezone",
            "period",
            "place",
            "city",
            "country",
            "counterparts",
            "agreements",
            "sectors",
            "topics",
            "agenda",
            "talking_points",
            "outcome",
            "minutes",
            "confidentiality",
        ]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "talking_points": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, agreements: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.starts_at is None:
            self.init_imprecise_dates()  # a meeting known to the day shows its start instead
        self.suggest_urls = {"counterparts": reverse("partners:suggest", args=["organisations"])}
        for name in ("starts_at", "ends_at"):
            field_of(self, name, forms.DateTimeField).input_formats = [
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M",
                "%Y-%m-%d",
            ]
        agreements_field = field_of(self, "agreements", forms.ModelMultipleChoiceField)
        assert agreements_field.queryset is not None  # a model field's form field has one
        agreements_field.queryset = (
            agreements if agreements is not None else agreements_field.queryset.none()
        )
        self.fields["agreements"].widget = forms.CheckboxSelectMultiple(
            choices=agreements_field.choices  # type: ignore[arg-type]  # a ModelChoiceIterator; stubs type the getter like the setter
        )
        self.fields["agreements"].required = False
        if self.instance.pk:
            del self.fields["status"]  # the status moves through its own steps
            self.initial.setdefault("version", self.instance.version)
            self.initial["counterparts"] = list(self.instance.counterparts.all())
            tz = zoneinfo.ZoneInfo(self.instance.timezone)
            for name in ("starts_at", "ends_at"):
                value = getattr(self.instance, name)
                if value is not None:
                    self.initial[name] = timezone.localtime(value, tz).replace(tzinfo=None)

    def clean_timezone(self) -> str:
        name = self.cleaned_data["timezone"].strip()
        if name not in zoneinfo.available_timezones():
            raise forms.ValidationError(
                _("«%(v)s» non è un fuso orario IANA (es. Europe/Rome, Asia/Tokyo)."),
                params={"v": name},
            )
        return name

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        tz_name = data.get("timezone")
        if tz_name:
            tz = zoneinfo.ZoneInfo(tz_name)
            # The browser sends wall-clock times: in the meeting's time zone, not the server's.
            for name in ("starts_at", "ends_at"):
                value = data.get(name)
                if value is not None:
                    data[name] = timezone.make_naive(value).replace(tzinfo=tz)
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end < start:
            self.add_error("ends_at", _("La fine non può precedere l'inizio."))
        known = data.get("date")
        if start and known and known.is_known:
            self.add_error(
                "date", _("Indica l'inizio oppure la data nota solo in parte, non entrambi.")
            )
        self.expand_imprecise_dates(data)
        return data


class MeetingFilterForm(forms.Form):
    q = SearchField()
    kind = forms.ChoiceField(
        label=_("Tipo"), required=False, choices=[("", _("Tutti"))] + list(MeetingKind.choices)
    )
    status = forms.ChoiceField(
        label=_("Stato"), required=False, choices=[("", _("Tutti"))] + list(MeetingStatus.choices)
    )
    year = forms.IntegerField(label=_("Anno"), required=False, min_value=1900, max_value=2100)
    ente = EnteFilterField()


class StatusForm(forms.Form):
    target = forms.ChoiceField(label=_("Nuovo stato"), choices=MeetingStatus.choices)


class ParticipantForm(forms.Form):
    side = forms.ChoiceField(label=_("Parte"), choices=ParticipantSide.choices)
    person = RecordChoiceField(
        Person.objects.all(),
        label=_("Persona del registro"),
        required=False,
        help_text=_("Scrivi il nome e scegli dai suggerimenti."),
    )
    participant_user = forms.ModelChoiceField(
        get_user_model().objects.none(), label=_("Utente dell'ente"), required=False
    )
    guest_name = forms.CharField(
        label=_("Oppure: ospite (nome libero)"), required=False, max_length=200
    )
    role = forms.CharField(
        label=_("Ruolo quel giorno"),
        required=False,
        max_length=200,
        help_text=_("Es. Sindaco, Consigliere diplomatico; vuoto: l'incarico dal registro."),
    )

    def __init__(self, *args: Any, ente_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "participant_user", forms.ModelChoiceField).queryset = ente_users(ente_id)
        self.suggest_urls = {"person": reverse("partners:suggest", args=["people"])}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not (
            data.get("person")
            or data.get("participant_user")
            or (data.get("guest_name") or "").strip()
        ):
            raise forms.ValidationError(
                _("Indica una persona del registro, un utente o il nome dell'ospite.")
            )
        return data


class VisitRequestForm(forms.ModelForm):
    requester = RecordChoiceField(
        Organisation.objects.all(),
        label=_("Chi chiede (organizzazione)"),
        required=False,
        help_text=_("Scrivi il nome e scegli dai suggerimenti."),
    )
    version = VersionField()

    class Meta:
        model = VisitRequest
        fields = [
            "received_on",
            "channel",
            "requester",
            "requester_contact",
            "purpose",
            "proposed_start",
            "proposed_end",
            "proposed_dates_note",
            "delegation",
            "languages",
            "interpreters_needed",
            "special_needs",
            "gifts_planned",
            "confidentiality",
        ]
        widgets = {
            "received_on": DATE,
            "proposed_start": DATE,
            "proposed_end": DATE,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "delegation": forms.Textarea(attrs={"rows": 4}),
            "special_needs": forms.Textarea(attrs={"rows": 2}),
            "gifts_planned": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.suggest_urls = {"requester": reverse("partners:suggest", args=["organisations"])}
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("requester") and not data.get("requester_contact"):
            self.add_error(
                "requester", _("Indica chi chiede: un'organizzazione del registro o un referente.")
            )
        start, end = data.get("proposed_start"), data.get("proposed_end")
        if start and end and end < start:
            self.add_error("proposed_end", _("La fine non può precedere l'inizio."))
        return data


class ScreeningForm(forms.Form):
    notes = forms.CharField(
        label=_("Note della valutazione"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, criteria: Any = (), answers: dict[str, bool] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        answers = answers or {}
        for c in criteria:
            self.fields[f"c{c.pk}"] = forms.BooleanField(
                label=c.text, required=False, initial=answers.get(str(c.pk), False)
            )
        self.fields["notes"] = self.fields.pop("notes")

    def answers(self) -> dict[str, bool]:
        return {k[1:]: v for k, v in self.cleaned_data.items() if k.startswith("c")}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decisione"),
        widget=forms.RadioSelect,
        choices=[("accetta", _("Accetta")), ("rifiuta", _("Rifiuta"))],
    )
    confirm = forms.BooleanField(
        label=_("Date confermate: l'incontro nasce «confermato» (altrimenti «in valutazione»)"),
        required=False,
        initial=True,
    )
    reason = forms.CharField(
        label=_("Motivazione"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obbligatoria per un rifiuto."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("decision") == "rifiuta" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Indica il motivo del rifiuto."))
        return data


class OwnerField(forms.ModelChoiceField):
    """The owner is chosen among the ente's users, but any user is accepted here: the service
    refuses another ente's user with a clear message instead of «scelta non valida»."""


class ActionForm(VersionedModelForm):
    owner = OwnerField(
        get_user_model().objects.filter(is_active=True), label=_("Responsabile"), required=False
    )
    organisation = RecordChoiceField(
        Organisation.objects.all(),
        label=_("Partner collegato"),
        required=False,
        help_text=_("Scrivi il nome e scegli dai suggerimenti."),
    )

    class Meta:
        model = FollowUpAction
        fields = ["description", "owner", "due_date", "status", "organisation"]
        widgets = {"due_date": DATE}

    def __init__(self, *args: Any, ente_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = ente_users(ente_id)
        self.fields["owner"].widget.choices = [("", "—")] + [
            (u.pk, u.get_full_name() or u.username) for u in users
        ]
        field_of(self, "status", forms.ChoiceField).choices = ActionStatus.choices
        self.suggest_urls = {"organisation": reverse("partners:suggest", args=["organisations"])}

    def clean_owner(self) -> Any:
        owner = self.cleaned_data.get("owner")
        if owner is None:
            raise forms.ValidationError(_("Ogni azione ha un responsabile: indicalo."))
        return owner


class GiftForm(forms.ModelForm):
    counterpart = RecordChoiceField(
        Organisation.objects.all(),
        label=_("Controparte"),
        required=False,
        help_text=_("Scrivi il nome e scegli dai suggerimenti."),
    )
    estimated_value = AmountField(
        label=_("Valore stimato (€)"), maximum=Decimal("99999999.99"), help_text=_("Es. 1.200,50")
    )

    class Meta:
        model = Gift
        fields = [
            "direction",
            "description",
            "counterpart",
            "estimated_value",
            "kept_at",
            "given_on",
        ]
        widgets = {"given_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.suggest_urls = {"counterpart": reverse("partners:suggest", args=["organisations"])}
