"""The objectives tree, an objective's page (indicators, budget, charts, documents, history), and their forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ponti.core.edit import save_edit
from ponti.core.forms import errors_to_form
from ponti.core.ids import parse_id
from ponti.core.permissions import can, enti_for, require, visible_queryset
from ponti.core.pickers import limit_choices
from ponti.core.services import claim_version
from ponti.core.typing import AuthedRequest

from .. import services
from ..charts import budget_chart, indicator_chart
from ..forms import IndicatorForm, IndicatorValuesForm, ObjectiveForm
from ..models import BudgetLine, Indicator, IndicatorValue, Objective, ObjectiveLevel, Side
from ..registry import get_metric
from .common import (
    HISTORY_ROWS,
    indicator_for,
    lines_of,
    objective_for,
    objective_history,
    perms_for,
    visible_ancestors,
)

DOCUMENT_FORMATS = ["html", "pdf", "odt", "docx"]
REPORT_FORMATS = ["pdf", "odt", "docx", "html"]


def _tree(objectives: list[Objective]) -> list[dict[str, Any]]:
    """Nested nodes; an objective whose parent the user may not see stands at the top."""
    ids = {o.pk for o in objectives}
    children: dict[int | None, list[Objective]] = {}
    for o in objectives:
        parent = o.parent_id if o.parent_id in ids else None
        children.setdefault(parent, []).append(o)

    def nodes(parent: int | None, depth: int) -> list[dict[str, Any]]:
        if depth > 10:
            return []
        return [{"obj": o, "children": nodes(o.pk, depth + 1)} for o in children.get(parent, [])]

    return nodes(None, 0)


@login_required
def objective_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    objectives = list(
        visible_queryset(user, Objective)
        .select_related("responsible_user", "ente")
        .order_by("position", "code", "title")
    )
    return render(
        request,
        "planning/objective_list.html",
        {
            "tree": _tree(objectives),
            "count": len(objectives),
            "can_add": can(user, "add", Objective),
            "several_enti": user.enti.count() > 1,
        },
    )


def _indicator_blocks(objective: Objective) -> list[dict[str, Any]]:
    blocks = []
    for indicator in objective.indicators.prefetch_related("values"):
        indicator.objective = objective
        rows = services.indicator_years(indicator)
        metric = get_metric(indicator.metric) if indicator.metric else None
        blocks.append(
            {
                "indicator": indicator,
                "metric": metric,
                "rows": [{"row": r, "achieved": services.achieved(indicator, r)} for r in rows],
                "chart": indicator_chart(indicator, rows),
            }
        )
    return blocks


@login_required
def objective_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    objective, can_edit = objective_for(user, pk)
    descendants = services.descendant_ids(objective)
    all_lines = BudgetLine.objects.filter(objective_id__in=[objective.pk, *descendants])
    lines = lines_of(user, [objective.pk, *descendants]).select_related(
        "objective", "titolo", "category", "programma"
    )
    totals = services.totals(lines, objective.years)
    visible_children = (
        visible_queryset(user, Objective)
        .filter(parent=objective)
        .select_related("responsible_user")
    )
    sides = [
        {
            "side": side,
            "label": _("Totali Entrata") if side == Side.ENTRATA else _("Totali Spesa"),
            "committed_label": _("Accertato") if side == Side.ENTRATA else _("Impegnato"),
            "cashed_label": _("Riscosso") if side == Side.ENTRATA else _("Pagato"),
            "years": [(year, totals.side(side)[year]) for year in totals.years],
            "chart": budget_chart(totals, side, chart_id=f"chart-budget-{side}"),
        }
        for side in (Side.ENTRATA, Side.SPESA)
    ]
    indicators = _indicator_blocks(objective)
    ancestors = visible_ancestors(user, objective)
    return render(
        request,
        "planning/objective_detail.html",
        {
            "o": objective,
            "can_edit": can_edit,
            "can_delete": can(user, "delete", Objective, objective),
            "can_add_child": can(user, "add", Objective, objective)
            and objective.level != ObjectiveLevel.ATTIVITA,
            "child_level": ObjectiveLevel.values[ObjectiveLevel.values.index(objective.level) + 1]
            if objective.level != ObjectiveLevel.ATTIVITA
            else "",
            "perms_indicator": perms_for(user, Indicator),
            "can_add_line": can(user, "add", BudgetLine, objective),
            "ancestors": ancestors,
            "indirizzo": objective.ancestor(ObjectiveLevel.INDIRIZZO)
            if objective.level != ObjectiveLevel.INDIRIZZO
            else None,
            "strategic": objective.ancestor(ObjectiveLevel.STRATEGICO),
            "children": visible_children,
            "indicators": indicators,
            "any_example_indicator": any(b["indicator"].example for b in indicators),
            "totals": totals,
            "sides": sides,
            "hidden_lines": all_lines.count() - lines.count(),
            "lines": lines,
            "visible_objectives": set(
                visible_queryset(user, Objective)
                .filter(pk__in=[objective.pk, *descendants])
                .values_list("pk", flat=True)
            ),
            "years_label": "-".join(str(y) for y in objective.years),
            "sheet_formats": DOCUMENT_FORMATS,
            "report_formats": REPORT_FORMATS,
            "history": objective_history(user, objective, descendants, [line.pk for line in lines])[
                :HISTORY_ROWS
            ],
        },
    )


def _enti(user: Any) -> list[Any]:
    enti = enti_for(user, "add", Objective)
    if not enti:
        raise PermissionDenied
    return enti


@login_required
def objective_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    require(user, "add", Objective)
    initial: dict[str, Any] = {}
    parent = None
    if parse_id(request.GET.get("parent")):
        parent, _can_edit = objective_for(user, parse_id(request.GET.get("parent")))
        child = ObjectiveLevel.values.index(parent.level) + 1
        initial = {
            "parent": parent.pk,
            "level": ObjectiveLevel.values[min(child, len(ObjectiveLevel.values) - 1)],
            "mandate": parent.mandate,
            "missione": parent.missione_id,
            "programma": parent.programma_id,
            "start_year": parent.start_year,
            "end_year": parent.end_year,
            "responsible_user": parent.responsible_user_id,
            "responsible_name": parent.responsible_name,
            "confidentiality": parent.confidentiality,
            "ente": parent.ente_id,
        }
    form = limit_choices(
        ObjectiveForm(request.POST or None, initial=initial, user=user, enti=_enti(user)),
        request.user,
    )
    if parent is not None and not form.instance.ente_id:
        form.instance.ente_id = parent.ente_id
    if request.method == "POST" and form.is_valid():
        try:
            objective = services.save(form.save(commit=False), user=user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Obiettivo «%(o)s» creato.") % {"o": objective})
            return redirect("planning:objective_detail", pk=objective.pk)
    return render(request, "planning/objective_form.html", {"form": form, "parent": parent})


@login_required
def objective_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    objective, _can_edit = objective_for(user, pk, action="change")
    form = limit_choices(
        ObjectiveForm(request.POST or None, instance=objective, user=user), request.user
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
            return redirect("planning:objective_detail", pk=pk)
        conflict = edit.conflict
    # After a failed save the instance holds what was typed: the heading names the record as saved.
    shown = Objective.objects.get(pk=pk) if form.is_bound else objective
    return render(
        request, "planning/objective_form.html", {"form": form, "o": shown, "conflict": conflict}
    )


@login_required
def objective_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    objective, _can_edit = objective_for(user, pk, action="delete")
    if request.method == "POST":
        name = str(objective)
        try:
            services.delete(objective, user=user)
        except ProtectedError:
            messages.error(
                request,
                _(
                    "L'obiettivo «%(o)s» non è stato eliminato: ha obiettivi sotto di sé o capitoli di bilancio collegati. "
                    "Sposta o elimina prima quelli."
                )
                % {"o": name},
            )
            return redirect("planning:objective_detail", pk=pk)
        messages.success(request, _("Obiettivo «%(o)s» eliminato.") % {"o": name})
        return redirect("planning:objective_list")
    return render(
        request,
        "planning/confirm_delete.html",
        {
            "heading": _("Eliminare l'obiettivo «%(o)s»?") % {"o": objective},
            "text": _(
                "Saranno eliminati anche i suoi indicatori e i loro valori; la storia delle modifiche resta. "
                "Un obiettivo con obiettivi sotto di sé o capitoli collegati non si può eliminare."
            ),
            "cancel": objective_url(objective),
            "o": objective,
        },
    )


@login_required
def indicator_create(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    objective, _can_edit = objective_for(user, pk)
    require(user, "add", Indicator)
    form = IndicatorForm(request.POST or None, objective=objective)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.save(form.save(commit=False), user=user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Indicatore «%(i)s» creato: ora indica gli obiettivi attesi per anno.")
                % {"i": indicator},
            )
            return redirect("planning:indicator_values", pk=indicator.pk)
    return render(request, "planning/indicator_form.html", {"form": form, "o": objective})


@login_required
def indicator_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    indicator, _can_edit = indicator_for(user, pk, action="change")
    objective = indicator.objective
    form = IndicatorForm(request.POST or None, instance=indicator, objective=objective)
    conflict = None
    if request.method == "POST" and form.is_valid():
        edit = save_edit(
            request,
            form,
            lambda v: services.save(form.save(commit=False), user=user, expected_version=v),
        )
        if edit.saved:
            messages.success(request, _("Modifiche salvate."))
            return redirect(f"{objective_url(objective)}#indicator-{indicator.pk}")
        conflict = edit.conflict
    return render(
        request,
        "planning/indicator_form.html",
        {
            "form": form,
            "o": objective,
            "conflict": conflict,
            "indicator": Indicator.objects.get(pk=pk) if form.is_bound else indicator,
        },
    )


def objective_url(objective: Objective) -> str:
    return reverse("planning:objective_detail", args=[objective.pk])


def _save_values(indicator: Indicator, form: Any, user: Any, version: int | None) -> None:
    """Every year's values, all or none, as one change of the indicator; each error is
    named on its year's field."""
    stored = {v.year: v for v in indicator.values.all()}
    errors: dict[str, list[str]] = {}
    changed = {}
    for year, data in form.values().items():
        value = stored.get(year)
        empty = data["target"] is None and data["actual"] is None and not data["source"]
        if value is None and empty:
            continue
        if value is not None and (value.target, value.actual, value.source) == (
            data["target"],
            data["actual"],
            data["source"],
        ):
            continue
        changed[year] = data
    with transaction.atomic():
        if changed:  # saving nothing new is not a new version
            claim_version(indicator, version)
        for year, data in changed.items():
            try:
                services.set_indicator_value(indicator, year=year, user=user, claim=False, **data)
            except ValidationError as exc:
                for field, messages_ in exc.message_dict.items():
                    name = f"{field}_{year}"
                    errors.setdefault(name if name in form.fields else "__all__", []).extend(
                        messages_
                    )
        if errors:
            raise ValidationError(errors)


@login_required
def indicator_values(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    indicator, can_edit = indicator_for(user, pk, action="change")
    objective = indicator.objective
    require(user, "add", IndicatorValue)
    require(user, "change", IndicatorValue)
    form = IndicatorValuesForm(request.POST or None, indicator=indicator)
    conflict = None
    if request.method == "POST" and form.is_valid():
        edit = save_edit(
            request, form, lambda version: _save_values(indicator, form, user, version), indicator
        )
        if edit.saved:
            messages.success(request, _("Valori dell'indicatore salvati."))
            return redirect(f"{objective_url(objective)}#indicator-{indicator.pk}")
        conflict = edit.conflict
    metric = get_metric(indicator.metric) if indicator.metric else None
    return render(
        request,
        "planning/indicator_values.html",
        {
            "form": form,
            "o": objective,
            "indicator": indicator,
            "metric": metric,
            "can_edit": can_edit,
            "conflict": conflict,
        },
    )


@login_required
def indicator_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    indicator, _can_edit = indicator_for(user, pk, action="delete")
    objective = indicator.objective
    if request.method == "POST":
        name = indicator.name
        services.delete(indicator, user=user)
        messages.success(request, _("Indicatore «%(i)s» eliminato.") % {"i": name})
        return redirect("planning:objective_detail", pk=objective.pk)
    return render(
        request,
        "planning/confirm_delete.html",
        {
            "heading": _("Eliminare l'indicatore «%(i)s»?") % {"i": indicator.name},
            "text": _(
                "Saranno eliminati anche gli obiettivi attesi e i valori inseriti; la storia delle modifiche resta."
            ),
            "cancel": objective_url(objective),
            "o": objective,
        },
    )
