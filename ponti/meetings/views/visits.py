"""Visit requests: intake, screening, decision; the ente's screening criteria."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ponti.core.audit import acting_as
from ponti.core.forms import errors_to_form
from ponti.core.permissions import can, get_for_user, visible_queryset
from ponti.core.pickers import limit_choices
from ponti.core.text import forbidden_in
from ponti.core.typing import AuthedRequest

from .. import services
from ..forms import DecisionForm, ScreeningForm, VisitRequestForm
from ..models import ScreeningCriterion, VisitDecision, VisitRequest
from .common import ente_for, error_text


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    qs = visible_queryset(request.user, VisitRequest).select_related("requester", "meeting")
    decision = request.GET.get("decision", "")
    if decision in VisitDecision.values:
        qs = qs.filter(decision=decision)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/visit_list.html",
        {
            "page": page,
            "decision": decision,
            "decisions": VisitDecision.choices,
            "query": f"decision={decision}" if decision else "",
            "can_add": can(request.user, "add", VisitRequest),
        },
    )


@login_required
def visit_create(request: AuthedRequest) -> HttpResponse:
    if not can(request.user, "add", VisitRequest):
        raise PermissionDenied
    ente = ente_for(request, "add", VisitRequest)
    form = limit_choices(VisitRequestForm(request.POST or None), request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            visit = services.create_visit_request(user=request.user, ente=ente, data=data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Richiesta registrata."))
            return redirect("meetings:visit_detail", pk=visit.pk)
    return render(request, "meetings/visit_form.html", {"form": form})


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit, can_edit = get_for_user(request.user, VisitRequest, pk)
    criteria = list(ScreeningCriterion.objects.filter(ente=visit.ente_id, active=True))
    answers = (visit.checklist or {}).get("answers", {})
    screening = ScreeningForm(
        criteria=criteria,
        answers=answers,
        initial={"notes": (visit.checklist or {}).get("notes", "")},
    )
    return render(
        request,
        "meetings/visit_detail.html",
        {
            "v": visit,
            "can_edit": can_edit,
            "criteria": [(c, answers.get(str(c.pk))) for c in criteria],
            "screening_form": screening,
            "decision_form": DecisionForm(initial={"confirm": True}),
            "delegation": [line.strip() for line in visit.delegation.splitlines() if line.strip()],
        },
    )


@login_required
@require_POST
def visit_screening(request: HttpRequest, pk: int) -> HttpResponse:
    visit, _can_edit = get_for_user(request.user, VisitRequest, pk, action="change")
    criteria = list(ScreeningCriterion.objects.filter(ente=visit.ente_id, active=True))
    form = ScreeningForm(request.POST, criteria=criteria)
    if form.is_valid():
        services.save_screening(
            visit, user=request.user, answers=form.answers(), notes=form.cleaned_data["notes"]
        )
        messages.success(request, _("Valutazione salvata."))
    return redirect("meetings:visit_detail", pk=pk)


@login_required
@require_POST
def visit_decide(request: HttpRequest, pk: int) -> HttpResponse:
    visit, _can_edit = get_for_user(request.user, VisitRequest, pk, action="change")
    form = DecisionForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accetta"
        try:
            services.decide_visit_request(
                visit,
                user=request.user,
                accept=accept,
                reason=form.cleaned_data["reason"],
                confirm=form.cleaned_data["confirm"],
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            if accept and visit.meeting_id:
                messages.success(request, _("Richiesta accettata: l'incontro è stato creato."))
                return redirect("meetings:detail", pk=visit.meeting_id)
            messages.success(request, _("Richiesta rifiutata."))
    else:
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
    return redirect("meetings:visit_detail", pk=pk)


@login_required
def criteria(request: AuthedRequest) -> HttpResponse:
    """The ente's screening checklist: add, reword, switch off (Amministratore, Ufficio)."""
    if not can(request.user, "change", ScreeningCriterion):
        raise PermissionDenied
    ente = ente_for(request, "change", ScreeningCriterion)
    # No form reads these fields: refuse a control character (a NUL) as every form does.
    refused = forbidden_in(dict(request.POST.items())) if request.method == "POST" else {}
    for message in refused.values():
        messages.error(request, message)
    if request.method == "POST" and not refused:
        with acting_as(request.user):
            for c in ScreeningCriterion.objects.filter(ente=ente):
                text = request.POST.get(f"text-{c.pk}", c.text).strip()
                if text:
                    c.text = text[:300]
                c.active = request.POST.get(f"active-{c.pk}") == "on"
                c.save()
            new = request.POST.get("new", "").strip()
            if new:
                last = ScreeningCriterion.objects.filter(ente=ente).order_by("-position").first()
                ScreeningCriterion.objects.create(
                    ente=ente, text=new[:300], position=(last.position + 1) if last else 0
                )
        messages.success(request, _("Criteri salvati."))
        return redirect("meetings:criteria")
    return render(
        request,
        "meetings/criteria.html",
        {"criteria": ScreeningCriterion.objects.filter(ente=ente), "ente": ente},
        status=400 if refused else 200,
    )
