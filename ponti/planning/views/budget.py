"""Budget lines (capitoli): the list with a year's figures, a line's page, its forms and the amounts per year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, ProtectedError, Q, Sum
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ponti.core.edit import save_edit
from ponti.core.exports import export_format, export_response
from ponti.core.forms import errors_to_form, offer_ente_filter, search_refused
from ponti.core.ids import parse_id
from ponti.core.permissions import can, enti_for, require, visible_queryset
from ponti.core.pickers import limit_choices
from ponti.core.typing import AuthedRequest

from .. import services
from ..forms import AmountForm, BudgetLineForm, LineFilterForm
from ..models import BudgetAmount, BudgetLine, MovementKind, Objective, Side
from ..tables import BUDGET_LINE_COLUMNS, lines_for_export
from .common import (
    HISTORY_ROWS,
    line_for,
    line_history,
    objective_for,
)

ZERO = Decimal("0.00")


def _side_labels(side: str) -> dict[str, str]:
    entrata = side == Side.ENTRATA
    return {
        "committed": _("Accertato") if entrata else _("Impegnato"),
        "cashed": _("Riscosso") if entrata else _("Pagato"),
    }


@login_required
def line_list(request: AuthedRequest) -> HttpResponseBase:
    user = request.user
    lines = visible_queryset(user, BudgetLine).select_related(
        "objective", "titolo", "category", "programma", "ente"
    )
    objectives = (
        visible_queryset(user, Objective)
        .filter(budget_lines__isnull=False)
        .distinct()
        .order_by("code", "title")
    )
    form = limit_choices(LineFilterForm(request.GET or None, objectives=objectives), request.user)
    several_enti = offer_ente_filter(form, user)
    year = form.year_or_default()
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    refused = search_refused(form)
    if refused:
        lines = lines.none()
    if (
        not filters.get("year")
        and not BudgetAmount.objects.filter(line__in=lines, year=year).exists()
    ):
        # No figures for this year yet: show the latest year that has some, not an empty table.
        latest = BudgetAmount.objects.filter(line__in=lines, year__lt=year).aggregate(
            latest=Max("year")
        )
        year = latest["latest"] or year
    if filters.get("ente"):
        lines = lines.filter(ente_id=filters["ente"])
    if filters.get("side"):
        lines = lines.filter(side=filters["side"])
    if filters.get("objective"):
        lines = lines.filter(objective=filters["objective"])
    if filters.get("q"):
        lines = lines.filter(
            Q(number__icontains=filters["q"]) | Q(description__icontains=filters["q"])
        )
    if (fmt := export_format(request)) and not refused:
        return export_response(
            BUDGET_LINE_COLUMNS,
            lines_for_export(lines, user, year=filters.get("year")),
            fmt,
            filename=_("capitoli-di-bilancio"),
            title=_("Capitoli"),
        )
    # A whole PEG can hold thousands of lines: one page at a time, the totals over all of them.
    page = Paginator(lines.order_by("side", "number", "pk"), 100).get_page(request.GET.get("page"))
    amounts = {
        a.line_id: a for a in BudgetAmount.objects.filter(line__in=page.object_list, year=year)
    }
    rows: list[dict[str, Any]] = [
        {"line": line, "amount": amounts.get(line.pk)} for line in page.object_list
    ]
    totals = services.totals(lines, [year])
    sides = set(lines.values_list("side", flat=True).distinct())
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "planning/line_list.html",
        {
            "form": form,
            "several_enti": several_enti,
            "year": year,
            "rows": rows,
            "page": page,
            "totals": [
                (_("Totale entrate"), totals.entrata[year], Side.ENTRATA in sides),
                (_("Totale spese"), totals.spesa[year], Side.SPESA in sides),
            ],
            "example": totals.example,
            "visible_objectives": set(
                visible_queryset(user, Objective).values_list("pk", flat=True)
            ),
            "query": params.urlencode(),
            "can_add": can(user, "add", BudgetLine),
            "can_import": can(user, "change", BudgetAmount),
        },
        status=400 if refused else 200,
    )


def _line_years(line: BudgetLine, stored: list[int]) -> list[int]:
    if line.objective_id and line.objective is not None:
        return line.objective.years
    this_year = timezone.localdate().year
    return sorted({*stored, this_year})


@login_required
def line_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    line, can_edit = line_for(user, pk)
    amounts = {a.year: a for a in line.amounts.all()}
    movements = list(line.movements.select_related("source_type", "recorded_by"))
    charged: dict[int, Decimal] = {
        row["year"]: row["total"]
        for row in line.movements.filter(kind=MovementKind.COMMITTED)
        .values("year")
        .annotate(total=Sum("amount"))
    }
    years = _line_years(line, list(amounts))
    objective_visible = bool(
        line.objective_id
        and visible_queryset(user, Objective).filter(pk=line.objective_id).exists()
    )
    rows = []
    for year in years:
        amount = amounts.get(year)
        committed = amount.committed if amount else ZERO
        moved = charged.get(year, ZERO)
        rows.append(
            {
                "year": year,
                "amount": amount,
                "warnings": amount.warnings() if amount else [],
                "movements": moved,
                "difference": committed - moved,
                "in_horizon": line.year_allowed(year),
            }
        )
    outside = sorted(set(amounts) - set(years))
    return render(
        request,
        "planning/line_detail.html",
        {
            "line": line,
            "labels": _side_labels(line.side),
            "can_edit": can_edit,
            "can_delete": can(user, "delete", BudgetLine, line),
            "can_edit_amounts": can(user, "change", BudgetAmount, line)
            and can(user, "add", BudgetAmount, line),
            "objective_visible": objective_visible,
            "rows": rows,
            "outside": [amounts[y] for y in outside],
            "movements": movements,
            "history": line_history(user, line)[:HISTORY_ROWS],
        },
    )


def _enti(user: Any) -> list[Any]:
    enti = enti_for(user, "add", BudgetLine)
    if not enti:
        raise PermissionDenied
    return enti


@login_required
def line_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    require(user, "add", BudgetLine)
    initial: dict[str, Any] = {
        "side": request.GET.get("side") if request.GET.get("side") in Side.values else Side.SPESA
    }
    if parse_id(request.GET.get("objective")):
        objective, _can_edit = objective_for(user, parse_id(request.GET.get("objective")))
        initial |= {
            "objective": objective.pk,
            "ente": objective.ente_id,
            "programma": objective.programma_id,
            "confidentiality": objective.confidentiality,
        }
    form = limit_choices(
        BudgetLineForm(request.POST or None, initial=initial, user=user, enti=_enti(user)),
        request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            line = services.save(form.save(commit=False), user=user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Capitolo %(n)s creato.") % {"n": line.number})
            return redirect("planning:line_detail", pk=line.pk)
    return render(request, "planning/line_form.html", {"form": form})


@login_required
def line_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    line, _can_edit = line_for(user, pk, action="change")
    form = limit_choices(
        BudgetLineForm(request.POST or None, instance=line, user=user), request.user
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        edit = save_edit(
            request,
            form,
            lambda v: services.save(form.save(commit=False), user=user, expected_version=v),
        )
        if edit.saved:
            messages.success(request, _("Modifiche salvate."))
            return redirect("planning:line_detail", pk=pk)
        conflict = edit.conflict
    shown = BudgetLine.objects.get(pk=pk) if form.is_bound else line
    return render(
        request, "planning/line_form.html", {"form": form, "line": shown, "conflict": conflict}
    )


@login_required
def line_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    line, _can_edit = line_for(user, pk, action="delete")
    if request.method == "POST":
        number = line.number
        try:
            services.delete(line, user=user)
        except ProtectedError:
            messages.error(
                request,
                _(
                    "Il capitolo %(n)s non è stato eliminato: ha movimenti registrati da Ponti (quote, missioni…). "
                    "Collega prima quei record a un altro capitolo."
                )
                % {"n": number},
            )
            return redirect("planning:line_detail", pk=pk)
        messages.success(request, _("Capitolo %(n)s eliminato.") % {"n": number})
        return redirect("planning:line_list")
    return render(
        request,
        "planning/confirm_delete.html",
        {
            "heading": _("Eliminare il capitolo %(n)s?") % {"n": line},
            "text": _(
                "Saranno eliminati anche i suoi importi per anno; la storia delle modifiche resta. "
                "Un capitolo con movimenti registrati non si può eliminare."
            ),
            "cancel": reverse("planning:line_detail", args=[line.pk]),
        },
    )


@login_required
def amount_edit(request: AuthedRequest, pk: int, year: int) -> HttpResponse:
    user = request.user
    line, _can_edit = line_for(user, pk)
    require(user, "change", BudgetAmount)
    require(user, "add", BudgetAmount)
    if not 2000 <= year <= 2100:
        raise Http404
    amount = BudgetAmount.objects.filter(line=line, year=year).first()
    labels = _side_labels(line.side)
    context: dict[str, Any] = {"line": line, "year": year, "labels": labels}
    if amount is None and not line.year_allowed(year):
        objective = line.objective
        assert objective is not None
        context["refused"] = _(
            "L'anno %(year)s è fuori dall'orizzonte dell'obiettivo %(objective)s (%(start)s–%(end)s): "
            "gli importi di questo capitolo si registrano solo per quegli anni."
        ) % {
            "year": year,
            "objective": objective.code or objective.title,
            "start": objective.start_year,
            "end": objective.end_year,
        }
        return render(request, "planning/amount_form.html", context, status=400)
    form = AmountForm(request.POST or None, instance=amount, line=line, year=year)
    conflict = None
    if request.method == "POST" and form.is_valid():
        edit = save_edit(
            request,
            form,
            lambda v: services.save_amount(form.save(commit=False), user=user, expected_version=v),
        )
        conflict = edit.conflict
        if edit.saved:
            messages.success(
                request,
                _("Importi %(year)s del capitolo %(n)s salvati.")
                % {"year": year, "n": line.number},
            )
            for warning in edit.value:
                messages.warning(request, _("Attenzione: %(w)s") % {"w": warning})
            return redirect(reverse("planning:line_detail", args=[line.pk]) + f"#year-{year}")
    context |= {
        "form": form,
        "amount": amount,
        "conflict": conflict,
        "movements": line.movements.filter(year=year, kind=MovementKind.COMMITTED).aggregate(
            t=Sum("amount")
        )["t"],
    }
    return render(request, "planning/amount_form.html", context)
