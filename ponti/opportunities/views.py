"""Pages of opportunities. Permissions first (core.permissions), changes through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ponti.core.edit import save_edit
from ponti.core.exports import export_format, export_response
from ponti.core.forms import errors_to_form, offer_ente_filter, search_refused
from ponti.core.models import AuditEvent
from ponti.core.permissions import can, enti_for, get_for_user, require
from ponti.core.roles import role_in
from ponti.core.typing import AuthedRequest

from . import partners, services, states
from .forms import DecisionForm, OpportunityFilterForm, OpportunityForm
from .models import Opportunity
from .queries import opportunities_for
from .tables import OPPORTUNITY_COLUMNS, for_export

PAGE_SIZE = 25


def filtered(user: Any, filters: OpportunityFilterForm) -> Any:
    """The opportunities of the list and of its export (nothing for a refused search)."""
    if search_refused(filters):
        return Opportunity.objects.none()
    return opportunities_for(user, **(filters.cleaned_data if filters.is_valid() else {}))


@login_required
def opportunity_list(request: HttpRequest) -> HttpResponseBase:
    filters = OpportunityFilterForm(request.GET or None)
    filters.several_enti = offer_ente_filter(filters, request.user)  # type: ignore[attr-defined]
    qs = filtered(request.user, filters)
    if (fmt := export_format(request)) and not search_refused(filters):
        return export_response(OPPORTUNITY_COLUMNS, for_export(qs), fmt, filename=_("opportunita"))
    qs = qs.select_related("programme", "owner", "ente").prefetch_related("deadlines")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "opportunities/opportunity_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "can_add": can(request.user, "add", Opportunity),
        },
        status=400 if search_refused(filters) else 200,
    )


@login_required
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity, can_edit = get_for_user(request.user, Opportunity, pk)
    steps = (
        states.available(
            opportunity.decision,
            role_in(request.user, opportunity.ente_id),
            superuser=request.user.is_superuser,
        )
        if can_edit
        else []
    )
    return render(
        request,
        "opportunities/opportunity_detail.html",
        {
            "o": opportunity,
            "can_edit": can_edit,
            "steps": steps,
            "decision_form": DecisionForm(),
            "deadlines": opportunity.deadlines.all(),
            "decisions": opportunity.steps.select_related("by"),
            "history": AuditEvent.objects.for_object(opportunity).visible_to(request.user)[:5],
            **partners.page_context(request.user, opportunity, request.GET),
        },
    )


@login_required
def opportunity_history(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity, _can_edit = get_for_user(request.user, Opportunity, pk)
    page = Paginator(
        AuditEvent.objects.for_object(opportunity).visible_to(request.user), 50
    ).get_page(request.GET.get("page"))
    return render(request, "partners/history.html", {"object": opportunity, "page": page})


@login_required
def opportunity_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "add", Opportunity)
    enti = enti_for(request.user, "add", Opportunity)
    if not enti:
        raise PermissionDenied
    form = OpportunityForm(request.POST or None, enti=enti, initial={"owner": request.user})
    if request.method == "POST" and form.is_valid():
        ente = form.cleaned_data.get("ente") or enti[0]
        try:
            opportunity = services.create_opportunity(
                user=request.user,
                ente=ente,
                data=form.service_data(),
                deadlines=form.cleaned_data["deadline_values"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Opportunità «%(t)s» creata.") % {"t": opportunity.title})
            return redirect("opportunities:detail", pk=opportunity.pk)
    return render(request, "opportunities/opportunity_form.html", {"form": form})


@login_required
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity, _can_edit = get_for_user(request.user, Opportunity, pk, action="change")
    form = OpportunityForm(request.POST or None, instance=opportunity)
    conflict = None
    if request.method == "POST" and form.is_valid():
        edit = save_edit(
            request,
            form,
            lambda version: services.update_opportunity(
                opportunity,
                user=request.user,
                data=form.service_data(),
                expected_version=version,
                deadlines=form.cleaned_data["deadline_values"],
            ),
        )
        if edit.saved:
            messages.success(request, _("Modifiche salvate."))
            return redirect("opportunities:detail", pk=pk)
        conflict = edit.conflict
    return render(
        request,
        "opportunities/opportunity_form.html",
        {"form": form, "o": opportunity, "conflict": conflict},
    )


@login_required
@require_POST
def opportunity_decide(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity, _can_edit = get_for_user(request.user, Opportunity, pk, action="change")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect("opportunities:detail", pk=pk)
    try:
        services.decide(
            opportunity,
            form.cleaned_data["target"],
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Permesso negato."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Decisione aggiornata: %(d)s.") % {"d": opportunity.get_decision_display()}
        )
    return redirect("opportunities:detail", pk=pk)


@login_required
@require_POST
def acknowledge_deadlines(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity, _can_edit = get_for_user(request.user, Opportunity, pk, action="change")
    services.acknowledge_deadline_change(
        opportunity, user=request.user, expected_version=opportunity.version
    )
    messages.success(request, _("Cambio delle scadenze preso in carico."))
    return redirect("opportunities:detail", pk=pk)
