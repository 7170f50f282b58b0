"""The import pages: start a batch, watch it (htmx polls its status), map columns, confirm, undo."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ponti.core.exports import safe_row

from . import access, kinds, progress, services
from .forms import MappingForm, NewImportForm
from .models import BatchStatus, ImportBatch, RowStatus


def _labels() -> dict[str, str]:
    return {k: str(i.label) for k, i in kinds.all_kinds().items()}


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    allowed = access.allowed(request.user)
    if not allowed:
        raise PermissionDenied
    page = Paginator(access.batches_for(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "core/imports/list.html",
        {"page": page, "labels": _labels(), "query": ""},
    )


@login_required
def import_new(request: HttpRequest) -> HttpResponse:
    allowed = access.allowed(request.user)
    if not allowed:
        raise PermissionDenied
    initial = {"kind": request.GET.get("tipo")} if request.GET.get("tipo") in allowed else {}
    form = NewImportForm(
        request.POST or None,
        request.FILES or None,
        allowed=allowed,
        labels=_labels(),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.start(
                user=request.user,
                ente=form.cleaned_data["ente_obj"],
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                data=upload.data,
                mapping=form.cleaned_data["mapping"],
            )
        except PermissionDenied:
            raise
        return redirect("core:import_detail", batch.pk)
    every = kinds.all_kinds()
    columns = {k: every[k].columns for k in allowed}
    descriptions = {k: every[k].description for k in allowed}
    return render(
        request,
        "core/imports/new.html",
        {
            "form": form,
            "columns": columns,
            "descriptions": descriptions,
            "labels": _labels(),
            "kinds": every,
        },
        status=400 if form.is_bound else 200,
    )


def _context(request: HttpRequest, batch: ImportBatch) -> dict[str, Any]:
    importer_class = kinds.all_kinds()[batch.kind]
    may_run = importer_class(ente=batch.ente, user=request.user).refusal() is None
    status_filter = request.GET.get("esito") if request.GET.get("esito") in RowStatus.values else ""
    rows = batch.rows.all()
    if status_filter:
        rows = rows.filter(status=status_filter)
    meter = progress.read(batch.pk) if batch.busy else None
    percent = None
    if meter and meter.get("total"):
        percent = min(100, round(100 * meter["done"] / meter["total"]))
    mapping_form = None
    if batch.status == BatchStatus.MAPPING and may_run:
        mapping_form = MappingForm(
            unknown=batch.unknown_columns,
            columns=list(importer_class.columns),
            current=batch.mapping,
        )
    return {
        "batch": batch,
        "label": importer_class.label,
        "may_run": may_run,
        "meter": meter,
        "percent": percent,
        "rows": Paginator(rows, 50).get_page(request.GET.get("page")),
        "status_filter": status_filter,
        "statuses": RowStatus.choices,
        "query": f"esito={status_filter}" if status_filter else "",
        "mapping_form": mapping_form,
        "undo_problems": [],
        "to_write": (batch.counts or {}).get(RowStatus.NEW, 0)
        + (batch.counts or {}).get(RowStatus.UPDATED, 0),
    }


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    batch = access.get_batch(request.user, pk)
    if request.GET.get("export") == "csv":
        return _report_csv(batch)
    template = "core/imports/partials/status.html" if request.htmx else "core/imports/detail.html"  # type: ignore[attr-defined]
    response = render(request, template, _context(request, batch))
    if request.htmx and not batch.busy:  # type: ignore[attr-defined]
        # The run ended: the whole page (report, buttons) is shown anew.
        response["HX-Refresh"] = "true"
    return response


def _runnable(request: HttpRequest, pk: int) -> ImportBatch:
    batch = access.get_batch(request.user, pk)
    if kinds.all_kinds()[batch.kind](ente=batch.ente, user=request.user).refusal():
        raise PermissionDenied
    return batch


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _runnable(request, pk)
    try:
        services.confirm(batch, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("core:import_detail", batch.pk)


@login_required
@require_POST
def import_undo(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _runnable(request, pk)
    try:
        services.undo(batch, user=request.user)
    except ValidationError as exc:
        context = _context(request, batch)
        context["undo_problems"] = exc.messages
        return render(request, "core/imports/detail.html", context, status=409)
    return redirect("core:import_detail", batch.pk)


@login_required
@require_POST
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _runnable(request, pk)
    importer_class = kinds.all_kinds()[batch.kind]
    form = MappingForm(
        request.POST,
        unknown=batch.unknown_columns,
        columns=list(importer_class.columns),
        current=batch.mapping,
    )
    if not form.is_valid():
        context = _context(request, batch)
        context["mapping_form"] = form
        return render(request, "core/imports/detail.html", context, status=400)
    mapping = form.mapping(batch.mapping)
    if form.cleaned_data.get("save_as"):
        services.save_mapping(
            user=request.user,
            ente=batch.ente,
            kind=batch.kind,
            name=form.cleaned_data["save_as"],
            mapping=mapping,
        )
    try:
        services.remap(batch, mapping, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("core:import_detail", batch.pk)


def _report_csv(batch: ImportBatch) -> StreamingHttpResponse:
    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo(), delimiter=";")

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(
            [_("Riga"), _("Esito"), _("Dato"), _("Errori"), _("Avvisi"), _("Modifiche")]
        )
        for row in batch.rows.iterator(chunk_size=2000):
            yield writer.writerow(
                safe_row(
                    [
                        row.number,
                        row.get_status_display(),
                        row.label,
                        " | ".join(row.errors),
                        " | ".join(row.warnings),
                        " | ".join(row.changes),
                    ]
                )
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="importazione-{batch.pk}-esito.csv"'
    return response
