"""Memberships: the list of the ente's networks, a membership's page, its form and history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, ProtectedError, Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ponti.core.confidentiality import visible_levels
from ponti.core.edit import save_edit
from ponti.core.exports import export_format, export_response
from ponti.core.forms import current_query, errors_to_form, filter_by_ente
from ponti.core.models import AuditEvent
from ponti.core.permissions import can, enti_for, require, visible_queryset
from ponti.core.pickers import limit_choices
from ponti.core.typing import AuthedRequest
from ponti.partners.models import Organisation
from ponti.planning import services as planning_services

from .. import services
from ..forms import MembershipForm
from ..models import Fee, Membership, MembershipRole, NetworkMember, WorkingGroup
from ..queries import membership_for
from ..tables import MEMBERSHIP_COLUMNS, for_export
from .common import networks_for, partner_of_user


@login_required
def membership_list(request: AuthedRequest) -> HttpResponseBase:
    user = request.user
    levels = visible_levels(user)
    memberships = (
        visible_queryset(user, Membership)
        .filter(network__confidentiality__in=levels)
        .select_related("network", "ente")
        .prefetch_related("roles")
        .annotate(unpaid=Count("fees", filter=Q(fees__paid=False)))
        .order_by("network__name", "ente__name", "pk")
    )
    memberships, ente_filter = filter_by_ente(request, memberships)
    if fmt := export_format(request):
        rows = for_export(memberships)
        return export_response(MEMBERSHIP_COLUMNS, rows, fmt, filename=_("adesioni"))
    joined = {m.network_id for m in memberships}
    others = (
        networks_for(user)
        .exclude(pk__in=joined)
        .annotate(members=Count("network_members", distinct=True))
    )
    today = timezone.localdate()
    rows = [(m, m.current_roles(today)) for m in memberships]
    return render(
        request,
        "networks/membership_list.html",
        {
            "rows": rows,
            "others": others,
            "can_add": can(user, "add", Membership),
            "several_enti": ente_filter is not None,
            "ente_filter": ente_filter,
            "query": current_query(request),
        },
    )


@login_required
def membership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    membership, can_edit = membership_for(user, pk)
    levels = visible_levels(user)
    fees = list(membership.fees.all())
    charged = planning_services.lines_charged_by(fees)
    for fee in fees:
        fee.budget_line = charged.get(fee.pk)  # type: ignore[attr-defined]
    total = sum((f.amount for f in fees), Decimal("0"))
    paid = sum((f.amount for f in fees if f.paid), Decimal("0"))
    groups = membership.working_groups.all()
    representatives = {
        g.pk: [p for p in g.representatives.all() if p.confidentiality in levels] for g in groups
    }
    members = NetworkMember.objects.visible_to(user).filter(network=membership.network)
    return render(
        request,
        "networks/membership_detail.html",
        {
            "m": membership,
            "can_edit": can_edit,
            "can_delete": can(user, "delete", Membership, membership),
            "perms_roles": _part_perms(user, MembershipRole),
            "perms_groups": _part_perms(user, WorkingGroup),
            "perms_fees": _part_perms(user, Fee),
            "timeline": membership.timeline(),
            "today": timezone.localdate(),
            "groups": [(g, representatives[g.pk]) for g in groups],
            "fees": fees,
            "fees_total": total,
            "fees_paid": paid,
            "fees_unpaid": total - paid,
            "members_count": members.count(),
            "candidates_count": members.exclude(partner_of_user(user, "member_id")).count(),
            "history": AuditEvent.objects.for_object(membership).visible_to(user)[:10],
        },
    )


def _part_perms(user: Any, model: Any) -> dict[str, bool]:
    return {action: can(user, action, model) for action in ("add", "change", "delete")}


@login_required
def membership_history(request: HttpRequest, pk: int) -> HttpResponse:
    membership, _can_edit = membership_for(request.user, pk)
    events = AuditEvent.objects.for_object(membership).visible_to(request.user)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "partners/history.html", {"object": membership, "page": page})


@login_required
def membership_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    require(user, "add", Membership)
    enti = enti_for(user, "add", Membership)
    if not enti:
        raise PermissionDenied
    networks = networks_for(user)
    initial = {"network": request.GET.get("network", "")}
    form = limit_choices(
        MembershipForm(request.POST or None, initial=initial, networks=networks, enti=enti),
        request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.create_membership(
                user=user, ente=form.instance.ente, data=form.model_data()
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request, _("Adesione a «%(n)s» registrata.") % {"n": membership.network.name}
            )
            return redirect("networks:detail", pk=membership.pk)
    return render(request, "networks/membership_form.html", {"form": form})


@login_required
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    membership, _can_edit = membership_for(user, pk, action="change")
    # The current network stays a choice even if the user could not pick it today.
    networks = Organisation.objects.filter(
        Q(pk__in=networks_for(user)) | Q(pk=membership.network_id)
    )
    form = limit_choices(
        MembershipForm(
            request.POST or None, instance=membership, networks=networks.order_by("name")
        ),
        request.user,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        edit = save_edit(
            request,
            form,
            lambda version: services.update_membership(
                membership, user=user, data=form.model_data(), expected_version=version
            ),
        )
        if edit.saved:
            messages.success(request, _("Modifiche salvate."))
            return redirect("networks:detail", pk=pk)
        conflict = edit.conflict
    return render(
        request,
        "networks/membership_form.html",
        {"form": form, "m": membership, "conflict": conflict},
    )


@login_required
def membership_delete(request: HttpRequest, pk: int) -> HttpResponse:
    membership, _can_edit = membership_for(request.user, pk, action="delete")
    if request.method == "POST":
        name = membership.network.name
        try:
            services.delete_membership(membership, user=request.user)
        except ProtectedError:
            messages.error(
                request,
                _(
                    "L'adesione ha quote registrate: elimina prima le quote, "
                    "che sono spese dell'ente."
                ),
            )
            return redirect("networks:detail", pk=pk)
        messages.success(request, _("Adesione a «%(n)s» eliminata.") % {"n": name})
        return redirect("networks:list")
    return render(
        request,
        "networks/confirm_delete.html",
        {
            "object": membership,
            "heading": _("Eliminare l'adesione di %(e)s a «%(n)s»?")
            % {"e": membership.ente.name, "n": membership.network.name},
            "cancel": membership.get_absolute_url(),
            "text": _(
                "Saranno eliminati anche i ruoli e i gruppi di lavoro dell'adesione; "
                "la storia delle modifiche resta."
            ),
        },
    )
