from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ponti.core.dates import ImpreciseDateFormField, ImpreciseDatesMixin
from ponti.core.forms import (
    CountryField,
    EnteFilterField,
    RecordChoiceField,
    SearchField,
    VersionedModelForm,
    VersionField,
    field_of,
)
from ponti.core.models import Sector
from ponti.core.pickers import MultiRecordField
from ponti.partners.models import Organisation, Person

from .models import (
    Agreement,
    AgreementConfidence,
    AgreementKind,
    ApprovalBody,
    Commitment,
    Signatory,
)
from .states import Status


class PartnersField(MultiRecordField):
    """Partners typed as IDs (with suggestions), separated by commas."""

    model = Organisation
    not_a_record = _("«%(v)s» non è un partner del registro: sceglilo dai suggerimenti.")
    missing = _("Partner inesistente: %(ids)s.")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Partner"))
        kwargs.setdefault(
            "help_text",
            _("Scrivi il nome e scegli dai suggerimenti; più partner separati da virgola."),
        )
        super().__init__(**kwargs)

    def text_of(self, obj: Any) -> str:
        return str(obj.name)

    def clean(self, value: Any) -> list[Organisation]:
        orgs = self.records(value)
        if not orgs:
            raise forms.ValidationError(_("Indica almeno un partner."))
        return orgs


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementForm(ImpreciseDatesMixin, forms.ModelForm):
    """New and edited agreements. A new one may start in any state the user's role allows
    (a history already lived); an existing one changes state only through its transitions,
    but its act, signing, source and confidence can be completed at any time."""

    imprecise_dates = {"signed_on": "signed_precision", "start_date": "start_precision"}
    partners = PartnersField()
    signed_on = ImpreciseDateFormField(label=_("Data della firma"))
    start_date = ImpreciseDateFormField(label=_("Inizio validità"))
    sectors = forms.ModelMultipleChoiceField(
        Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Ambiti di cooperazione"),
    )
    version = VersionField()

    class Meta:
        model = Agreement
        fields = [
            "kind",
            "title",
            "partners",
            "sectors",
            "description",
            "status",
            "approval_body",
            "approval_number",
            "approval_date",
            "signed_place",
            "end_date",
            "renewal_date",
            "confidence",
            "source",
            "confidentiality",
            "published",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "approval_date": DATE,
            "end_date": DATE,
            "renewal_date": DATE,
        }
        help_texts = {
            "status": _(
                "Per un accordo già in corso (es. un gemellaggio attivo dal 1958) scegli lo "
                "stato attuale: da qui in poi lo stato cambia con i passaggi previsti."
            ),
            "source": _("Indirizzo o descrizione da cui vengono i dati."),
        }

    def __init__(
        self, *args: Any, enti: Any = None, statuses: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.init_imprecise_dates()
        # Left out, they keep the model's defaults: a proposal, of high confidence.
        self.fields["confidence"].required = False
        self.fields["status"].required = False
        if self.instance.pk:
            del self.fields["status"]  # the state machine moves it (transitions)
        elif statuses is not None:
            status = field_of(self, "status", forms.ChoiceField)
            status.choices = [(v, label) for v, label in Status.choices if v in statuses]
        self.suggest_urls = {"partners": reverse("partners:suggest", args=["organisations"])}
        # With one ente the form does not mention enti; with several, the user picks one.
        if enti is not None and enti.count() > 1 and not self.instance.pk:
            self.fields["ente"] = forms.ModelChoiceField(
                enti,
                label=_("Ente"),
                help_text=_("L'ente che stipula l'accordo."),
            )
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)
            self.initial["partners"] = list(self.instance.partners.all())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and start.first_day and end < start.first_day:
            self.add_error("end_date", _("La fine della validità non può precedere l'inizio."))
        signed, act = data.get("signed_on"), data.get("approval_date")
        if signed and signed.last_day and act and signed.last_day < act:
            self.add_error("signed_on", _("La firma non può precedere l'atto di approvazione."))
        for name, default in (
            ("status", Status.PROPOSTA),
            ("confidence", AgreementConfidence.HIGH),
        ):
            if name in self.fields and not data.get(name):
                data[name] = default
        self.expand_imprecise_dates(data)
        return data

    def _post_clean(self) -> None:
        # Partners are M2M: the model is validated by the service.
        super()._post_clean()  # type: ignore[misc]  # private Django hook, absent from django-stubs


class TransitionForm(forms.Form):
    target = forms.ChoiceField(label=_("Nuovo stato"), choices=Status.choices)
    note = forms.CharField(
        label=_("Nota"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    approval_body = forms.ChoiceField(
        label=_("Organo che approva"), required=False, choices=[("", "—"), *ApprovalBody.choices]
    )
    approval_number = forms.CharField(label=_("Numero dell'atto"), required=False, max_length=40)
    approval_date = forms.DateField(label=_("Data dell'atto"), required=False, widget=DATE)
    signed_on = forms.DateField(label=_("Data della firma"), required=False, widget=DATE)
    signed_place = forms.CharField(label=_("Luogo della firma"), required=False, max_length=200)
    renewal_date = forms.DateField(label=_("Prossimo rinnovo"), required=False, widget=DATE)

    STEP_FIELDS = (
        "approval_body",
        "approval_number",
        "approval_date",
        "signed_on",
        "signed_place",
        "renewal_date",
    )

    def step_fields(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data[k]
            for k in self.STEP_FIELDS
            if self.cleaned_data.get(k) not in (None, "")
        }


class SignatoryForm(forms.ModelForm):
    person = RecordChoiceField(
        Person.objects.all(), required=False, label=_("Persona del registro")
    )

    class Meta:
        model = Signatory
        fields = ["side", "person", "name", "role"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.suggest_urls = {"person": reverse("partners:suggest", args=["people"])}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("person") and not data.get("name"):
            self.add_error("person", _("Scegli una persona del registro o scrivi il nome."))
        return data

    def _post_clean(self) -> None:
        pass  # validated by the service, which also finds the position held that day


class CommitmentForm(VersionedModelForm):
    class Meta:
        model = Commitment
        fields = ["description", "party", "owner", "due_date", "status"]
        widgets = {"due_date": DATE}

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        self.instance.agreement = agreement
        field_of(self, "party", forms.ModelChoiceField).queryset = agreement.partners.all()
        field_of(self, "party", forms.ModelChoiceField).empty_label = _("L'ente")
        # Only the ente's users may own a commitment; the service checks it again for the API.
        field_of(self, "owner", forms.ModelChoiceField).queryset = (
            get_user_model()
            .objects.filter(is_active=True, enti=agreement.ente_id)
            .order_by("username")
        )
        self.fields["owner"].error_messages["invalid_choice"] = _(
            "Il responsabile deve essere un utente dell'ente dell'accordo."
        )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titolo"), required=False, max_length=200)
    file = forms.FileField(label=_("File (PDF, ODT o DOCX)"))


class AgreementFilterForm(forms.Form):
    q = SearchField()
    kind = forms.ChoiceField(
        label=_("Tipo"), required=False, choices=[("", _("Tutti")), *AgreementKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Stato"), required=False, choices=[("", _("Tutti")), *Status.choices]
    )
    country = CountryField(required=False)
    sector = forms.ModelChoiceField(
        Sector.objects.all(),
        required=False,
        label=_("Ambito"),
        empty_label=_("Tutti"),
        to_field_name="code",
    )
    expiring = forms.BooleanField(label=_("In scadenza (90 giorni)"), required=False)
    dormant = forms.BooleanField(label=_("Dormienti"), required=False)
    ente = EnteFilterField()
