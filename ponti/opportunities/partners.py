"""Partner matching and the CERV check for one opportunity, as the page and the API show them:
the ranking, the partners chosen (only among those the reader may see) and the check's result.
Both callers check the permission on the opportunity first (core.permissions.get_for_user)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponti.partners.models import Organisation

from . import eligibility, matching

SHOWN = 20  # the partners listed on the page (the API may ask for more)
MAX_CHOSEN = 50  # a check with more partners than this is not a call for towns


def chosen_partners(user: Any, opportunity: Any, ids: list[int]) -> list[Organisation]:
    """The organisations chosen, the reader's visible ones only, in the order given; an id the
    reader may not see (or unknown) is an error naming it, never a hint of what it is."""
    ids = list(dict.fromkeys(ids))
    if len(ids) > MAX_CHOSEN:
        raise ValidationError({"partner_ids": [_("Al massimo %(n)d partner.") % {"n": MAX_CHOSEN}]})
    found = {
        o.pk: o
        for o in Organisation.objects.visible_to(user)
        .exclude(represents_id=opportunity.ente_id)
        .filter(pk__in=ids)
    }
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationError(
            {
                "partner_ids": [
                    _("Organizzazioni sconosciute: %(ids)s.") % {"ids": ", ".join(missing)}
                ]
            }
        )
    return [found[i] for i in ids]


class EligibilityForm(forms.Form):
    """The partners picked on the page (GET), among those ranked."""

    partner = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Partner scelti"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, matches: list[matching.Match], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [  # type: ignore[attr-defined]
            (m.organisation_id, f"{m.name} ({m.country_name})") for m in matches
        ]


def page_context(user: Any, opportunity: Any, query: Any) -> dict[str, Any]:
    """The two sections of the detail page: «Partner da invitare» and «Ammissibilità CERV»."""
    ranking = matching.rank(opportunity, user, limit=SHOWN)
    scheme = eligibility.scheme_for(opportunity)
    context: dict[str, Any] = {"ranking": ranking, "cerv_scheme": scheme}
    if scheme is None:
        return context
    form = EligibilityForm(query if "check" in query else None, matches=ranking.matches)
    context["eligibility_form"] = form
    if form.is_bound and form.is_valid():
        chosen = chosen_partners(user, opportunity, form.cleaned_data["partner"])
        context["eligibility"] = eligibility.check_opportunity(opportunity, chosen)
    return context
