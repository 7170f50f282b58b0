from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import PersonKind


class ReviewFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Tipo di persona"),
        required=False,
        choices=[("", _("Tutti i tipi")), *PersonKind.choices],
    )


class KeepForm(forms.Form):
    justification = forms.CharField(
        label=_("Perché conservare i dati"),
        min_length=3,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Es. «rapporto in ripresa: visita prevista nel 2026». Resta nella storia."),
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ho verificato: la cancellazione è definitiva e non si può annullare."),
        required=True,
        error_messages={"required": _("Conferma per procedere.")},
    )
