"""Forms of opportunities: the record, its decision step, and the list's filters."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ponti.core import countries
from ponti.core.forms import AmountField, EnteFilterField, SearchField, VersionField, field_of
from ponti.core.models import Sector

from .deadlines import DeadlineError, parse_deadline, stages
from .models import (
    CallStatus,
    DeadlineModel,
    Opportunity,
    OpportunityKind,
    Programme,
)
from .states import Decision

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CountriesField(forms.CharField):
    """Countries typed as codes or names, separated by commas: «IT, Francia, DE»."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().clean(value) or ""
        codes: list[str] = []
        for part in re.split(r"[,;\n]+", text):
            part = part.strip()
            if not part:
                continue
            code = countries.parse_country(part)
            if code is None:
                raise forms.ValidationError(_("«%(v)s» non è un paese riconosciuto.") % {"v": part})
            if code not in codes:
                codes.append(code)
        return codes


class OpportunityForm(forms.ModelForm):
    deadlines = forms.CharField(
        label=_("Scadenze"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Una per riga, ora di Bruxelles: «15/09/2026 17:00» (senza ora: 17:00). "
            "In un bando a due fasi la prima riga è la prima fase."
        ),
    )
    budget = AmountField(label=_("Budget del bando (€)"), help_text=_("Es. 1.500.000,00"))
    grant_size = AmountField(
        label=_("Contributo atteso per progetto (€)"), help_text=_("Es. 30.000,00")
    )
    countries = CountriesField(
        label=_("Paesi ammissibili"),
        required=False,
        help_text=_("Codici o nomi separati da virgola, es. «IT, FR, Germania»."),
    )
    sectors = forms.ModelMultipleChoiceField(
        Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Settori"),
    )
    version = VersionField()

    class Meta:
        model = Opportunity
        fields = [
            "kind",
            "title",
            "title_en",
            "programme",
            "call_identifier",
            "topic_identifier",
            "url",
            "opens_on",
            "deadline_model",
            "budget",
            "grant_size",
            "sectors",
            "eligible_applicants",
            "countries",
            "owner",
            "notes",
            "confidentiality",
        ]
        widgets = {
            "opens_on": DATE,
            "eligible_applicants": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, enti: Any = None, **kwargs: Any) -> None:
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        programme = field_of(self, "programme", forms.ModelChoiceField)
        programme.queryset = Programme.objects.all()
        ente_ids = [self.instance.ente_id] if self.instance.pk else [e.pk for e in enti or []]
        # The owner is one of the ente's users (the service's import never sets it).
        field_of(self, "owner", forms.ModelChoiceField).queryset = (
            get_user_model()
            .objects.filter(is_active=True, enti__in=ente_ids)
            .distinct()
            .order_by("username")
        )
        if enti is not None and len(enti) > 1 and not self.instance.pk:
            self.fields["ente"] = forms.ModelChoiceField(
                enti, label=_("Ente"), help_text=_("L'ente che segue l'opportunità.")
            )
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)
            self.initial["deadlines"] = "\n".join(
                f"{d.local:%d/%m/%Y %H:%M}" for d in self.instance.deadlines.all()
            )

    def clean_deadlines(self) -> list[datetime.datetime]:
        lines = [x for x in (self.cleaned_data.get("deadlines") or "").splitlines() if x.strip()]
        try:
            return [parse_deadline(x) for x in lines]
        except DeadlineError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        model = data.get("deadline_model") or DeadlineModel.SINGLE
        data["deadline_values"] = stages(model, data.get("deadlines") or [])
        if model == DeadlineModel.TWO_STAGE and len(data["deadline_values"]) == 1:
            self.add_error("deadlines", _("Un bando a due fasi ha due scadenze."))
        opens = data.get("opens_on")
        for value in data["deadline_values"]:
            if opens and value.due_at.date() < opens:
                self.add_error(
                    "deadlines",
                    _("La scadenza del %(d)s precede l'apertura.") % {"d": value.local_text()},
                )
        return data

    def service_data(self) -> dict[str, Any]:
        """The fields the service saves (the deadlines go apart)."""
        skip = {"version", "ente", "deadlines", "deadline_values"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class DecisionForm(forms.Form):
    target = forms.ChoiceField(label=_("Nuova decisione"), choices=Decision.choices)
    reason = forms.CharField(
        label=_("Motivo o nota"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obbligatorio per scartare un'opportunità."),
    )


class OpportunityFilterForm(forms.Form):
    q = SearchField(help_text=_("Titolo in italiano o in inglese, identificativo del bando."))
    programme = forms.ModelChoiceField(
        Programme.objects.all(), required=False, label=_("Programma"), empty_label=_("Tutti")
    )
    kind = forms.ChoiceField(
        label=_("Tipo"), required=False, choices=[("", _("Tutti")), *OpportunityKind.choices]
    )
    call_status = forms.ChoiceField(
        label=_("Stato del bando"),
        required=False,
        choices=[("", _("Tutti")), *CallStatus.choices],
    )
    decision = forms.ChoiceField(
        label=_("Decisione"), required=False, choices=[("", _("Tutte")), *Decision.choices]
    )
    deadline_from = forms.DateField(label=_("Scadenza dal"), required=False, widget=DATE)
    deadline_to = forms.DateField(label=_("Scadenza fino al"), required=False, widget=DATE)
    sector = forms.ModelChoiceField(
        Sector.objects.all(), required=False, label=_("Settore"), empty_label=_("Tutti")
    )
    within_days = forms.IntegerField(
        label=_("Scadenza entro (giorni)"), required=False, min_value=1, max_value=3650
    )
    ente = EnteFilterField()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("deadline_from"), data.get("deadline_to")
        if start and end and end < start:
            self.add_error("deadline_to", _("La fine del periodo precede l'inizio."))
        return data
