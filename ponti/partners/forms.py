from __future__ import annotations

import re
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ponti.core.dates import ImpreciseDateFormField, ImpreciseDatesMixin
from ponti.core.forms import (
    CountryField,
    RecordChoiceField,
    SearchField,
    TagsField,
    VersionedModelForm,
    VersionField,
    field_of,
)
from ponti.core.models import Sector

from .models import Organisation, OrganisationKind, OrganisationNote, Person, Position

LANG_LINE = re.compile(r"^\s*([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\s*[:=]\s*(.+?)\s*$")


class OrganisationForm(forms.ModelForm):
    country = CountryField()
    parent = RecordChoiceField(
        Organisation.objects.all(),
        required=False,
        label=_("Organizzazione madre"),
        help_text=_("Scrivi il nome e scegli dai suggerimenti, oppure l'ID numerico."),
    )
    sectors = forms.ModelMultipleChoiceField(
        Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Settori di interesse"),
    )
    tags = TagsField()
    other_names_text = forms.CharField(
        label=_("Nomi in altre lingue"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Uno per riga, lingua e nome: «en: Florence», «de: Florenz»."),
    )
    version = VersionField()

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "country",
            "city",
            "address",
            "latitude",
            "longitude",
            "website",
            "wikidata_id",
            "parent",
            "sectors",
            "tags",
            "description",
            "confidentiality",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.check_url = reverse("partners:organisation_check")
        self.suggest_urls = {"parent": reverse("partners:suggest", args=["organisations"])}
        if self.instance.pk:
            field_of(
                self, "parent", forms.ModelChoiceField
            ).queryset = Organisation.objects.exclude(pk=self.instance.pk)
            self.initial.setdefault("version", self.instance.version)
            self.initial.setdefault(
                "other_names_text",
                "\n".join(f"{n.language}: {n.name}" for n in self.instance.other_names.all()),
            )
            self.initial["tags"] = list(self.instance.tags.all())

    def clean_wikidata_id(self) -> str | None:
        value = (self.cleaned_data.get("wikidata_id") or "").strip().upper()
        return value or None

    def clean_other_names_text(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for number, line in enumerate(
            self.cleaned_data.get("other_names_text", "").splitlines(), 1
        ):
            if not line.strip():
                continue
            match = LANG_LINE.match(line)
            if not match:
                raise forms.ValidationError(
                    _("Riga %(n)s: scrivi «lingua: nome», es. «en: Florence»."),
                    params={"n": number},
                )
            lang, name = match.groups()
            if lang in names:
                raise forms.ValidationError(
                    _("Riga %(n)s: la lingua «%(lang)s» è già indicata."),
                    params={"n": number, "lang": lang},
                )
            names[lang] = name
        return names

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        version = data.get("version")
        if self.instance.pk and not version:
            data["version"] = self.instance.version
        return data

    def model_data(self) -> dict[str, Any]:
        from ponti.core.forms import tags_from_names

        data = {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.cleaned_data}
        data["tags"] = tags_from_names(self.cleaned_data.get("tags") or [])
        return data


class OrganisationFilterForm(forms.Form):
    """The list page's query string, validated (bad values are ignored, never a 500)."""

    SORTS = [
        ("name", _("Nome (A-Z)")),
        ("-name", _("Nome (Z-A)")),
        ("country", _("Paese")),
        ("-updated_at", _("Modificate di recente")),
    ]
    q = SearchField()
    kind = forms.ChoiceField(
        label=_("Tipo"), required=False, choices=[("", _("Tutti"))] + list(OrganisationKind.choices)
    )
    country = CountryField(required=False)
    sector = forms.ModelChoiceField(
        Sector.objects.all(),
        required=False,
        label=_("Settore"),
        empty_label=_("Tutti"),
        to_field_name="code",
    )
    tag = forms.CharField(label=_("Etichetta"), required=False, max_length=60)
    sort = forms.ChoiceField(label=_("Ordina per"), required=False, choices=SORTS)


class PersonFilterForm(forms.Form):
    """The people list's query string, validated."""

    q = SearchField(
        label=_("Cerca per nome o e-mail"), widget=forms.TextInput(attrs={"type": "search"})
    )


class PersonForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = Person
        fields = [
            "honorific",
            "first_name",
            "last_name",
            "title",
            "languages",
            "email",
            "phone",
            "mobile",
            "kind",
            "gdpr_basis",
            "gdpr_source",
            "gdpr_date",
            "notes",
            "confidentiality",
        ]
        widgets = {
            "gdpr_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)

    def clean_languages(self) -> str:
        raw = self.cleaned_data.get("languages", "")
        codes = [c.strip().lower() for c in raw.split(",") if c.strip()]
        for code in codes:
            if not re.fullmatch(r"[a-z]{2,3}", code):
                raise forms.ValidationError(
                    _("«%(code)s» non è un codice lingua (es. it, en, fr)."), params={"code": code}
                )
        return ", ".join(codes)


class PositionForm(ImpreciseDatesMixin, VersionedModelForm):
    """A position in an organisation, for an existing person or a new one typed here; its
    dates may be known in part («1998», «marzo 2004»)."""

    imprecise_dates = {"start_date": "start_precision", "end_date": "end_precision"}
    start_date = ImpreciseDateFormField(label=_("Dal"))
    end_date = ImpreciseDateFormField(label=_("Al"), help_text=_("Vuoto se in carica."))

    person = RecordChoiceField(
        Person.objects.all(),
        required=False,
        label=_("Persona già nel registro"),
        help_text=_(
            "Scrivi il nome e scegli dai suggerimenti; oppure compila i campi della nuova persona."
        ),
    )
    new_honorific = forms.CharField(label=_("Appellativo"), required=False, max_length=60)
    new_first_name = forms.CharField(label=_("Nome"), required=False, max_length=120)
    new_last_name = forms.CharField(label=_("Cognome"), required=False, max_length=120)
    new_email = forms.EmailField(label=_("E-mail"), required=False)

    class Meta:
        model = Position
        fields = ["person", "role"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.init_imprecise_dates()
        self.suggest_urls = {"person": reverse("partners:suggest", args=["people"])}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("person") and not (
            data.get("new_first_name") and data.get("new_last_name")
        ):
            self.add_error(
                "person",
                _(
                    "Scegli una persona del registro, oppure scrivi nome e cognome della nuova persona."
                ),
            )
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and start.first_day and end.last_day and end.last_day < start.first_day:
            self.add_error("end_date", _("La fine dell'incarico non può precedere l'inizio."))
        self.expand_imprecise_dates(data)
        return data

    def _post_clean(self) -> None:
        # A new person does not exist yet: the service validates the position after creating it.
        if self.cleaned_data.get("person"):
            super()._post_clean()  # type: ignore[misc]  # private Django hook, absent from django-stubs

    def new_person_data(self) -> dict[str, Any] | None:
        if self.cleaned_data.get("person"):
            return None
        return {
            "honorific": self.cleaned_data.get("new_honorific", ""),
            "first_name": self.cleaned_data["new_first_name"],
            "last_name": self.cleaned_data["new_last_name"],
            "email": self.cleaned_data.get("new_email", ""),
        }


class NoteForm(forms.ModelForm):
    class Meta:
        model = OrganisationNote
        fields = ["text", "confidentiality"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class MergeForm(forms.Form):
    target = RecordChoiceField(
        Organisation.objects.all(),
        label=_("Organizzazione che resta"),
        help_text=_("Il duplicato viene eliminato e tutti i suoi collegamenti passano a questa."),
    )
    confirm = forms.BooleanField(label=_("Confermo l'unione: non si può annullare."))
