from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ponti.core.forms import (
    AmountField,
    CountryField,
    RecordChoiceField,
    SearchField,
    VersionField,
    field_of,
)
from ponti.core.ids import parse_id
from ponti.core.models import Ente, Sector
from ponti.partners.models import Organisation, OrganisationKind, Person
from ponti.planning import services as planning_services

from .models import Fee, Membership, MembershipRole, NetworkMember, WorkingGroup

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YEAR = forms.NumberInput(attrs={"inputmode": "numeric", "min": 1900, "max": 2100})


class NetworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class MembershipForm(forms.ModelForm):
    network = NetworkChoiceField(
        Organisation.objects.none(), label=_("Rete"), empty_label=_("Scegli una rete")
    )
    version = VersionField()

    class Meta:
        model = Membership
        fields = [
            "network",
            "status",
            "since_year",
            "since",
            "until",
            "confidence",
            "confidentiality",
            "notes",
            "source",
        ]
        widgets = {
            "since": DATE,
            "until": DATE,
            "since_year": YEAR,
            "notes": forms.Textarea(attrs={"rows": 4}),
            "source": forms.TextInput(),
        }

    def __init__(
        self, *args: Any, networks: Any, enti: list[Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "network", forms.ModelChoiceField).queryset = networks
        enti = enti or []
        # With one ente the form does not mention enti; with several, the user picks one.
        if not self.instance.pk:
            if len(enti) > 1:
                self.fields["ente"] = forms.ModelChoiceField(
                    Ente.objects.filter(pk__in=[e.pk for e in enti]),
                    label=_("Ente"),
                    help_text=_("L'ente che aderisce alla rete."),
                )
            elif enti:
                self.instance.ente = enti[0]
        else:
            self.initial.setdefault("version", self.instance.version)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("ente"):
            self.instance.ente = data["ente"]
        return data

    def model_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.Meta.fields if k in self.cleaned_data}


class _PartForm(forms.ModelForm):
    """A role, working group or fee: always of the membership given to the form."""

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.membership = membership


class RoleForm(_PartForm):
    class Meta:
        model = MembershipRole
        fields = ["kind", "detail", "start_date", "start_year", "end_date", "end_year"]
        widgets = {"start_date": DATE, "end_date": DATE, "start_year": YEAR, "end_year": YEAR}


class PeopleField(forms.CharField):
    """Representatives typed as IDs (with suggestions), separated by commas."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Rappresentanti"))
        kwargs.setdefault(
            "help_text",
            _(
                "Persone del registro: scrivi il nome e scegli dai suggerimenti; "
                "più persone separate da virgola."
            ),
        )
        self.queryset: Any = Person.objects.none()
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        people = [
            p if isinstance(p, Person) else Person.objects.filter(pk=p).first() for p in value or []
        ]
        return ", ".join(f"{p.pk} {p.full_name}" for p in people if p)

    def clean(self, value: Any) -> list[Person]:
        text = super().clean(value) or ""
        ids = []
        for chunk in text.split(","):
            token = chunk.strip().split(" ", 1)[0].lstrip("#")
            if not token:
                continue
            if parse_id(token) is None:
                raise forms.ValidationError(
                    _("«%(v)s» non è una persona del registro: sceglila dai suggerimenti."),
                    params={"v": chunk.strip()},
                )
            ids.append(int(token))  # parse_id: a number a column holds
        people = list(self.queryset.filter(pk__in=ids))
        missing = set(ids) - {p.pk for p in people}
        if missing:
            raise forms.ValidationError(
                _("Persona inesistente: %(ids)s."),
                params={"ids": ", ".join(map(str, sorted(missing)))},
            )
        return people


class WorkingGroupForm(_PartForm):
    representatives = PeopleField()

    class Meta:
        model = WorkingGroup
        fields = ["name", "kind", "since_year", "until_year", "notes"]
        widgets = {
            "since_year": YEAR,
            "until_year": YEAR,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "representatives", PeopleField).queryset = people
        self.suggest_urls = {"representatives": reverse("partners:suggest", args=["people"])}
        if self.instance.pk:
            self.initial["representatives"] = list(
                self.instance.representatives.filter(pk__in=people)
            )


class FeeForm(_PartForm):
    amount = AmountField(
        label=_("Importo (€)"),
        required=True,
        maximum=Decimal("9999999999.99"),
        help_text=_("Es. 1.200,50"),
    )
    budget_line = forms.TypedChoiceField(
        label=_("Capitolo di spesa"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "Il capitolo del bilancio su cui grava la quota: Ponti vi registra l'impegno e, se pagata, il pagamento."
        ),
    )

    class Meta:
        model = Fee
        fields = ["year", "amount", "paid", "paid_on", "notes"]
        widgets = {"paid_on": DATE, "year": YEAR}

    def __init__(self, *args: Any, membership: Membership, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, membership=membership, **kwargs)
        field = field_of(self, "budget_line", forms.TypedChoiceField)
        lines = planning_services.line_choices(membership.ente_id, user=user)
        field.choices = [("", _("Nessuno")), *lines]
        if self.instance.pk:
            movement = planning_services.movement_for(self.instance)
            self.initial["budget_line"] = movement.line_id if movement else None


class NetworkMemberForm(forms.ModelForm):
    network = NetworkChoiceField(
        Organisation.objects.none(), label=_("Rete"), empty_label=_("Scegli una rete")
    )
    member = RecordChoiceField(
        Organisation.objects.none(),
        label=_("Organizzazione membro"),
        help_text=_("Scrivi il nome e scegli dai suggerimenti, oppure l'ID numerico."),
    )

    class Meta:
        model = NetworkMember
        fields = ["network", "member", "since_year", "source"]
        widgets = {"since_year": YEAR}

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "network", forms.ModelChoiceField).queryset = organisations.filter(
            kind=OrganisationKind.NETWORK
        )
        field_of(self, "member", forms.ModelChoiceField).queryset = organisations
        self.fields["member"].error_messages["invalid_choice"] = _(
            "Nessuna organizzazione con questo ID."
        )
        self.suggest_urls = {"member": reverse("partners:suggest", args=["organisations"])}


class MemberFilterForm(forms.Form):
    """The explorer's query string, validated (bad values are ignored, never a 500)."""

    network = NetworkChoiceField(
        Organisation.objects.none(), required=False, label=_("Rete"), empty_label=_("Tutte")
    )
    q = SearchField()
    country = CountryField(required=False)
    sector = forms.ModelChoiceField(
        Sector.objects.all(),
        required=False,
        label=_("Settore"),
        empty_label=_("Tutti"),
        to_field_name="code",
    )
    kind = forms.ChoiceField(
        label=_("Tipo"), required=False, choices=[("", _("Tutti")), *OrganisationKind.choices]
    )
    not_partner = forms.BooleanField(
        label=_("Solo chi non è ancora nostro partner"), required=False
    )

    def __init__(self, *args: Any, networks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "network", forms.ModelChoiceField).queryset = networks
