"""Pages of agreements. Permissions first (core.permissions), changes through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ponti.core import due
from ponti.core.confidentiality import visible_levels
from ponti.core.edit import save_edit
from ponti.core.exports import export_format, export_response
from ponti.core.forms import errors_to_form, offer_ente_filter, search_refused
from ponti.core.ids import parse_id
from ponti.core.models import AuditEvent, Ente
from ponti.core.permissions import can, enti_for, get_for_user, require, visible_queryset
from ponti.core.pickers import limit_choices
from ponti.core.roles import ente_ids_of, role_in
from ponti.core.typing import AuthedRequest
from ponti.partners.models import Organisation

from . import services, states
from .forms import (
    AgreementFilterForm,
    AgreementForm,
    CommitmentForm,
    DocumentForm,
    SignatoryForm,
    TransitionForm,
)
from .models import Agreement, AgreementDocument
from .tables import AGREEMENT_COLUMNS, for_export


def _filtered(request: HttpRequest) -> tuple[Any, AgreementFilterForm]:
    qs = visible_queryset(request.user, Agreement)
    # Partners the user may see: a hidden partner neither finds an agreement nor is listed.
    partners = Organisation.objects.visible_to(request.user)
    filters = AgreementFilterForm(request.GET or None)
    filters.several_enti = offer_ente_filter(filters, request.user)  # type: ignore[attr-defined]
    if search_refused(filters):
        qs = qs.none()
    if filters.is_valid():
        d = filters.cleaned_data
        if d.get("ente"):
            qs = qs.filter(ente_id=d["ente"])
        if d["q"]:
            qs = qs.filter(Q(title__icontains=d["q"]) | Q(partners__in=partners.named(d["q"])))
        if d["kind"]:
            qs = qs.filter(kind=d["kind"])
        if d["status"]:
            qs = qs.filter(status=d["status"])
        if d["country"]:
            qs = qs.filter(partners__in=partners.filter(country=d["country"]))
        if d["sector"]:
            qs = qs.filter(sectors=d["sector"])
        if d["expiring"]:
            qs = qs.filter(pk__in=Agreement.objects.expiring(90).values("pk"))
        if d["dormant"]:
            qs = qs.filter(pk__in=Agreement.objects.dormant().values("pk"))
    return (
        qs.distinct()
        .select_related("ente")
        .prefetch_related(Prefetch("partners", queryset=partners)),
        filters,
    )


@login_required
def agreement_list(request: HttpRequest) -> HttpResponseBase:
    qs, filters = _filtered(request)
    if (fmt := export_format(request)) and not search_refused(filters):
        return export_response(
            AGREEMENT_COLUMNS, for_export(qs, request.user), fmt, filename=_("accordi")
        )
    page = Paginator(qs.order_by("-signed_on", "title", "pk"), 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "can_add": can(request.user, "add", Agreement),
        },
        status=400 if search_refused(filters) else 200,
    )


@login_required
def agreement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then delete an agreement entered by mistake (the Amministratore of its ente)."""
    agreement, _can_edit = get_for_user(request.user, Agreement, pk, action="delete")
    if request.method == "POST":
        services.delete_agreement(agreement, user=request.user)
        messages.success(request, _("Accordo «%(t)s» eliminato.") % {"t": agreement.title})
        return redirect("agreements:list")
    return render(request, "agreements/confirm_delete.html", {"a": agreement})


@login_required
def agreement_detail(
    request: HttpRequest, pk: int, document_form: DocumentForm | None = None
) -> HttpResponse:
    """The agreement's page; `document_form` is a refused upload, shown with its errors."""
    agreement, can_edit = get_for_user(request.user, Agreement, pk)
    steps = (
        states.available(
            agreement.status,
            [role_in(request.user, agreement.ente_id) or ""],
            superuser=request.user.is_superuser,
        )
        if can_edit
        else []
    )
    levels = visible_levels(request.user)
    # A party ente reads the agreement from its own side: the counterpart is the ente that
    # registered it, and its own registry card is not listed as a partner.
    mine = ente_ids_of(request.user)
    party_side = not request.user.is_superuser and agreement.ente_id not in mine
    partners = agreement.partners.filter(confidentiality__in=levels)
    if party_side:
        partners = partners.exclude(represents_id__in=mine)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "a": agreement,
            "can_delete": can(request.user, "delete", Agreement, agreement),
            "can_edit": can_edit,
            "steps": steps,
            "partners": partners,
            "party_side": party_side,
            "registered_by": getattr(agreement.ente, "organisation", None),
            "transitions": agreement.transitions.select_related("by"),
            "signatories": agreement.signatories.select_related("person", "position__organisation"),
            "commitments": agreement.commitments.select_related("owner", "party"),
            "documents": agreement.documents.select_related("uploaded_by"),
            "anniversaries": agreement.anniversaries(366 * 2),
            "history": AuditEvent.objects.for_object(agreement).visible_to(request.user)[:5],
            "transition_form": TransitionForm(initial={"target": steps[0].target if steps else ""}),
            "signatory_form": limit_choices(SignatoryForm(), request.user),
            "document_form": document_form or DocumentForm(),
            "commitment_form": limit_choices(CommitmentForm(agreement=agreement), request.user)
            if can_edit
            else None,
            "dormant": agreement.is_dormant(),
        },
    )


@login_required
def agreement_history(request: HttpRequest, pk: int) -> HttpResponse:
    agreement, _can_edit = get_for_user(request.user, Agreement, pk)
    page = Paginator(
        AuditEvent.objects.for_object(agreement).visible_to(request.user), 50
    ).get_page(request.GET.get("page"))
    return render(request, "partners/history.html", {"object": agreement, "page": page})


def _ente_for(request: AuthedRequest) -> Any:
    enti = enti_for(request.user, "add", Agreement)
    if not enti:
        raise PermissionDenied
    return enti[0]


@login_required
def agreement_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "add", Agreement)
    enti = Ente.objects.filter(pk__in=[e.pk for e in enti_for(request.user, "add", Agreement)])
    initial: dict[str, Any] = {"kind": request.GET.get("kind", "")}
    partner = parse_id(request.GET.get("partner"))
    if partner:
        initial["partners"] = list(visible_queryset(request.user, Organisation).filter(pk=partner))
    # The states the user may register an agreement in, in any of the enti they may add to.
    roles = {role_in(request.user, e.pk) for e in enti}
    statuses = [
        s
        for s in states.Status.values
        if any(states.may_create_in(s, r, superuser=request.user.is_superuser) for r in roles)
    ]
    form = limit_choices(
        AgreementForm(request.POST or None, initial=initial, enti=enti, statuses=statuses),
        request.user,
    )
    ente = _ente_for(request)
    conflicts: list[Agreement] = []
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"version", "ente"}}
        ente = form.cleaned_data.get("ente") or ente
        conflicts = services.twin_conflicts(ente=ente, kind=data["kind"], partners=data["partners"])
        if conflicts and not request.POST.get("confirm_twin"):
            messages.warning(
                request,
                _(
                    "Regola «un gemellaggio per paese»: esiste già un gemellaggio in questo paese. Valuta un patto di amicizia."
                ),
            )
        else:
            try:
                agreement = services.create_agreement(user=request.user, ente=ente, data=data)
            except ValidationError as exc:
                errors_to_form(form, exc)
            except PermissionDenied as exc:
                form.add_error("status", str(exc))
            else:
                messages.success(request, _("Accordo «%(t)s» creato.") % {"t": agreement.title})
                return redirect("agreements:detail", pk=agreement.pk)
    return render(request, "agreements/agreement_form.html", {"form": form, "conflicts": conflicts})


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement, _can_edit = get_for_user(request.user, Agreement, pk, action="change")
    form = limit_choices(AgreementForm(request.POST or None, instance=agreement), request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        edit = save_edit(
            request,
            form,
            lambda version: services.update_agreement(
                agreement, user=request.user, data=data, expected_version=version
            ),
        )
        if edit.saved:
            messages.success(request, _("Modifiche salvate."))
            return redirect("agreements:detail", pk=pk)
        conflict = edit.conflict
    return render(
        request,
        "agreements/agreement_form.html",
        {"form": form, "a": agreement, "conflict": conflict},
    )


@login_required
@require_POST
def agreement_transition(request: HttpRequest, pk: int) -> HttpResponse:
    agreement, _can_edit = get_for_user(request.user, Agreement, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.transition(
                agreement,
                form.cleaned_data["target"],
                user=request.user,
                note=form.cleaned_data["note"],
                fields=form.step_fields(),
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("Permesso negato."))
        except ValidationError as exc:
            messages.error(
                request,
                " ".join(
                    m
                    for ms in getattr(exc, "message_dict", {"": exc.messages}).values()
                    for m in ms
                ),
            )
        else:
            messages.success(
                request, _("Stato aggiornato: %(s)s.") % {"s": agreement.get_status_display()}
            )
    else:
        messages.error(
            request,
            _("Passaggio non valido: %(e)s")
            % {"e": " ".join(str(m) for ms in form.errors.values() for m in ms)},
        )
    return redirect("agreements:detail", pk=pk)


@login_required
@require_POST
def signatory_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement, _can_edit = get_for_user(request.user, Agreement, pk, action="change")
    form = limit_choices(SignatoryForm(request.POST), request.user)
    if form.is_valid():
        try:
            services.add_signatory(
                agreement,
                user=request.user,
                side=form.cleaned_data["side"],
                person=form.cleaned_data.get("person"),
                name=form.cleaned_data.get("name", ""),
                role=form.cleaned_data.get("role", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Firmatario aggiunto."))
    else:
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
    return redirect("agreements:detail", pk=pk)


@login_required
def commitment_edit(
    request: HttpRequest, pk: int, commitment_pk: int | None = None
) -> HttpResponse:
    agreement, _can_edit = get_for_user(request.user, Agreement, pk, action="change")
    instance = None
    if commitment_pk:
        instance = agreement.commitments.filter(pk=commitment_pk).first()
        if instance is None:
            raise Http404
    form = limit_choices(
        CommitmentForm(request.POST or None, instance=instance, agreement=agreement), request.user
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        edit = save_edit(
            request,
            form,
            lambda version: services.save_commitment(
                form.instance, user=request.user, expected_version=version
            ),
        )
        if edit.saved:
            messages.success(request, _("Impegno salvato."))
            return redirect("agreements:detail", pk=pk)
        conflict = edit.conflict
    return render(
        request,
        "agreements/commitment_form.html",
        {"form": form, "a": agreement, "commitment": instance, "conflict": conflict},
    )


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    agreement, _can_edit = get_for_user(request.user, Agreement, pk, action="change")
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_document(
                agreement,
                user=request.user,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Documento caricato."))
            return redirect("agreements:detail", pk=pk)
    # The page again, with the errors under the fields and the title as it was typed.
    messages.error(
        request,
        _("Il documento non è stato caricato: %(errors)s")
        % {"errors": " ".join(str(m) for ms in form.errors.values() for m in ms)},
    )
    return agreement_detail(request, pk, document_form=form)


@login_required
def document_download(request: HttpRequest, pk: int, doc_pk: int) -> FileResponse:
    agreement, _can_edit = get_for_user(request.user, Agreement, pk)
    document = AgreementDocument.objects.filter(agreement=agreement, pk=doc_pk).first()
    if document is None or not document.file.name:
        raise Http404
    extension = document.file.name.rsplit(".", 1)[-1]
    filename = f"{document.original_name.rsplit('.', 1)[0]}.{extension}"
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=document.content_type,
    )


@login_required
def due_items(request: HttpRequest) -> HttpResponse:
    """Scadenze: what is due for the user's enti, with filters by kind and period."""
    require(request.user, "view", Agreement)
    today = timezone.localdate()
    items = due.visible_items(request.user, due.collect(today))
    kinds = sorted({(i.kind, i.kind_label) for i in items})
    kind = request.GET.get("kind", "")
    mine = request.GET.get("mine") == "1"
    # For people who work across an ente and the enti under it: which ente each item is of.
    enti = {e.pk: e for e in Ente.objects.filter(pk__in={i.ente_id for i in items})}
    ente = parse_id(request.GET.get("ente"))
    if kind:
        items = [i for i in items if i.kind == kind]
    if mine:
        items = [i for i in items if request.user.pk in i.recipients]
    if ente in enti:
        items = [i for i in items if i.ente_id == ente]
    return render(
        request,
        "agreements/due_items.html",
        {
            "items": [(i, enti.get(i.ente_id)) for i in items],
            "kinds": kinds,
            "kind": kind,
            "mine": mine,
            "today": today,
            "enti": sorted(enti.values(), key=str) if len(enti) > 1 else [],
            "ente": ente,
        },
    )
