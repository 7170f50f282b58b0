"""Forms of an ente's office: users, their places in the enti, and the enti themselves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ponti.core.confidentiality import Confidentiality
from ponti.core.forms import CountryField, VersionField
from ponti.core.models import Ente, EnteKind
from ponti.core.roles import Role

CLEARANCE_CHOICES = [("", _("quello del ruolo")), *Confidentiality.choices]


def _check_clearance(role: str | None, clearance: str | None) -> None:
    from .models import Membership

    Membership(role=role or "", clearance=clearance or "").clean()  # the one rule


class PlaceFields(forms.Form):
    """An ente, a role in it, and a clearance no higher than the role's."""

    ente = forms.ModelChoiceField(queryset=Ente.objects.none(), label=_("Ente"))
    role = forms.ChoiceField(label=_("Ruolo"), choices=Role.choices)
    clearance = forms.ChoiceField(
        label=_("Livello di riservatezza"),
        choices=CLEARANCE_CHOICES,
        required=False,
        help_text=_(
            "Il livello più alto che l'utente legge fra i record dell'ente. "
            "Vuoto: quello previsto dal ruolo."
        ),
    )

    def __init__(self, *args: Any, enti: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ente"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = enti
        if enti.count() == 1:
            field.initial = enti.first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_clearance(data.get("role"), data.get("clearance"))
        return data


class UserCreateForm(PlaceFields):
    username = forms.CharField(
        label=_("Nome utente"),
        max_length=150,
        help_text=_("Per accedere: lettere, cifre e @ . + - _"),
    )
    first_name = forms.CharField(label=_("Nome"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Cognome"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    invite = forms.BooleanField(
        label=_("Invia un invito per e-mail a scegliere la password"),
        required=False,
        initial=True,
    )
    field_order = [
        "username",
        "first_name",
        "last_name",
        "email",
        "ente",
        "role",
        "clearance",
        "invite",
    ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("invite") and not data.get("email"):
            self.add_error("email", _("Per invitare l'utente serve il suo indirizzo e-mail."))
        return data


class UserEditForm(forms.Form):
    first_name = forms.CharField(label=_("Nome"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Cognome"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    version = VersionField()


class EnteForm(forms.Form):
    name = forms.CharField(label=_("Nome"), max_length=200)
    short_name = forms.CharField(label=_("Nome breve"), max_length=80, required=False)
    kind = forms.ChoiceField(label=_("Tipo di ente"), choices=EnteKind.choices)
    parent = forms.ModelChoiceField(
        queryset=Ente.objects.none(),
        label=_("Ente superiore"),
        required=False,
        help_text=_("L'ente che lo contiene, es. la Città metropolitana per un suo comune."),
    )
    city = forms.CharField(label=_("Città"), max_length=120, required=False)
    country = CountryField(initial="IT")
    organisation = forms.IntegerField(
        label=_("Organizzazione del registro (ID)"),
        required=False,
        help_text=_(
            "Se l'ente è già nel registro dei partner, il suo ID: diventa la sua scheda "
            "pubblica. Vuoto: Ponti ne crea una."
        ),
    )
    version = VersionField()

    def __init__(self, *args: Any, parents: Any, top_level: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = parents
        field.required = not top_level
        if not top_level:
            field.help_text = _("Uno degli enti che amministri.")

    def clean_organisation(self) -> Any:
        from ponti.partners.models import Organisation

        pk = self.cleaned_data.get("organisation")
        if pk is None:
            return None
        org = Organisation.objects.filter(pk=pk).first()
        if org is None:
            raise ValidationError(_("Nessuna organizzazione con ID %(id)s.") % {"id": pk})
        return org
