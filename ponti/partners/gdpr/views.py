"""Pages: a person's export, the erasure's confirmation, the retention review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ponti.core.permissions import visible_queryset

from ..models import Person
from . import access, erase, export, retention
from .forms import EraseForm, KeepForm, ReviewFilterForm


@login_required
def person_export(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_for(request.user, pk)
    fmt = request.GET.get("format", "pdf")
    if fmt not in export.FORMATS:
        raise Http404
    content, content_type, name = export.export(person, user=request.user, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_for(request.user, pk, erase=True)
    if person.erased_at is not None:
        messages.info(request, _("Questa persona è già stata pseudonimizzata."))
        return redirect("partners:person_detail", pk=pk)
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = erase.execute(person, user=request.user)
        if done["outcome"] == "pseudonymise":
            messages.success(
                request,
                _(
                    "Dati cancellati: la persona resta come «%(label)s» negli atti che lo richiedono."
                )
                % {"label": done["pseudonym"]},
            )
            return redirect("partners:person_detail", pk=pk)
        messages.success(request, _("Persona cancellata, storia compresa."))
        return redirect("partners:person_list")
    return render(
        request,
        "partners/gdpr/erase_confirm.html",
        {"person": person, "plan": erase.plan(person, request.user), "form": form},
    )


@login_required
def retention_review(request: HttpRequest) -> HttpResponse:
    if not access.may_review(request.user):
        raise PermissionDenied
    filters = ReviewFilterForm(request.GET or None)
    kind = filters.cleaned_data["kind"] if filters.is_valid() else ""
    qs = retention.due_for_review(visible_queryset(request.user, Person), kind=kind)
    page = Paginator(qs.order_by("last_name", "first_name", "id"), 25).get_page(
        request.GET.get("page")
    )
    rows = [(p, retention.last_bond(p)) for p in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/gdpr/retention_review.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "rules": retention.rules(),
            "query": query.urlencode(),
            "can_erase": access.may_erase(request.user),
        },
    )


@login_required
def retention_keep(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_for(request.user, pk)
    form = KeepForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        retention.keep(person, user=request.user, justification=form.cleaned_data["justification"])
        messages.success(
            request, _("Decisione registrata: «%(name)s» resta.") % {"name": person.full_name}
        )
        return redirect("partners:retention_review")
    return render(
        request,
        "partners/gdpr/retention_keep.html",
        {"person": person, "form": form, "last_bond": retention.last_bond(person)},
    )
