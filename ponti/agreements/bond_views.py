"""Known bonds between organisations: the list (filtered, paged) and the partner page's panel."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ponti.core.exports import export_format, export_response
from ponti.core.forms import CountryField, SearchField, search_refused

from .bonds import KnownBond, KnownBondQuerySet
from .models import AgreementConfidence, AgreementKind
from .tables import BOND_COLUMNS


class BondFilterForm(forms.Form):
    q = SearchField(label=_("Città o organizzazione"))
    country = CountryField(required=False)
    kind = forms.ChoiceField(
        label=_("Tipo"), required=False, choices=[("", _("Tutti"))] + list(AgreementKind.choices)
    )
    confidence = forms.ChoiceField(
        label=_("Affidabilità"),
        required=False,
        choices=[("", _("Tutte"))] + list(AgreementConfidence.choices),
    )


def filtered_bonds(user: Any, params: Any) -> tuple[KnownBondQuerySet, BondFilterForm]:
    """The bonds the user may see, narrowed by the list's filters (pages and exports alike)."""
    filters = BondFilterForm(params or None)
    qs = KnownBond.objects.visible_to(user).select_related("first", "second")
    if search_refused(filters):
        return qs.none(), filters
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            text = data["q"]
            qs = qs.filter(
                Q(first__name__icontains=text)
                | Q(second__name__icontains=text)
                | Q(first__other_names__name__icontains=text)
                | Q(second__other_names__name__icontains=text)
            ).distinct()
        if data["country"]:
            qs = qs.filter(Q(first__country=data["country"]) | Q(second__country=data["country"]))
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["confidence"]:
            qs = qs.filter(confidence=data["confidence"])
    return qs.order_by("first__name", "second__name", "pk"), filters


@login_required
def bond_list(request: HttpRequest) -> HttpResponseBase:
    if not request.user.has_perm("agreements.view_knownbond"):
        raise PermissionDenied
    qs, filters = filtered_bonds(request.user, request.GET)
    if fmt := export_format(request):
        return export_response(BOND_COLUMNS, qs, fmt, filename=_("legami-noti"))
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "agreements/bond_list.html",
        {"page": page, "filters": filters, "query": query.urlencode()},
        status=400 if search_refused(filters) else 200,
    )
