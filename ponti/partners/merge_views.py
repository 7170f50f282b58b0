"""The merge page: find the organisation that stays by name, then merge the duplicate into it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ponti.core.forms import search_refused
from ponti.core.ids import parse_id
from ponti.core.permissions import get_for_user, visible_in, visible_queryset

from . import services
from .forms import MergeForm, MergeSearchForm
from .models import Organisation

MAX_RESULTS = 20


def _results(user: Any, source: Organisation, text: str, chosen: Organisation | None) -> Any:
    """What the user may choose: the organisations found by `text`, or, before any search,
    the matcher's likely duplicates of `source` (with why); the chosen one always first."""
    if text:
        found = list(
            visible_in(user, Organisation.objects.all())
            .search(text, reader=user)
            .exclude(pk=source.pk)
            .order_by("name", "id")[:MAX_RESULTS]
        )
    else:
        found = services.possible_duplicates(
            source.name,
            reader=user,
            exclude_pk=source.pk,
            country=source.country,
            wikidata_id=source.wikidata_id or "",
            other_names=list(source.other_names.values_list("name", flat=True)),
            latitude=source.latitude,
            longitude=source.longitude,
            limit=10,
        )
    if chosen is not None:
        found = [chosen, *(o for o in found if o.pk != chosen.pk)]
    return found


@login_required
def organisation_merge(request: HttpRequest, pk: int) -> HttpResponse:
    source, _can_edit = get_for_user(request.user, Organisation, pk)
    if not request.user.has_perm("partners.merge_organisation"):
        raise PermissionDenied
    visible = visible_queryset(request.user, Organisation).exclude(pk=source.pk)
    search = MergeSearchForm(request.GET or None)
    refused = search_refused(search)
    text = search.cleaned_data.get("q", "") if search.is_bound and not refused else ""
    form = MergeForm(request.POST or None)
    form.fields["target"].queryset = visible  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        level = form.cleaned_data["target"].confidentiality
        try:
            target = services.merge_organisations(
                source, form.cleaned_data["target"], user=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("partners:organisation_detail", pk=source.pk)
        messages.success(
            request,
            _("«%(source)s» è stata unita a «%(target)s».")
            % {"source": source.name, "target": target.name},
        )
        if target.confidentiality != level:
            messages.info(
                request,
                _("«%(target)s» è ora «%(level)s», come il duplicato.")
                % {"target": target.name, "level": target.get_confidentiality_display()},
            )
        return redirect("partners:organisation_detail", pk=target.pk)
    # A choice carried over: the one ticked before a refused confirmation, or a suggestion's link.
    key = parse_id(request.POST.get("target") or request.GET.get("target") or "")
    chosen = visible.filter(pk=key).first() if key else None
    context = {
        "org": source,
        "form": form,
        "search": search,
        "results": [] if refused else _results(request.user, source, text, chosen),
        "searched": bool(text),
        "chosen": chosen.pk if chosen else None,
    }
    status = 400 if refused else 200
    if request.headers.get("HX-Request") and request.method == "GET":
        return render(request, "partners/partials/merge_results.html", context, status=status)
    return render(request, "partners/organisation_merge.html", context, status=status)
