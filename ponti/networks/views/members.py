"""The members of the networks, explored as potential partners; adding and removing members."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ponti.core.forms import errors_to_form, search_refused
from ponti.core.permissions import can, require, visible_in, visible_queryset
from ponti.core.pickers import limit_choices
from ponti.core.redirects import redirect_back
from ponti.core.typing import AuthedRequest
from ponti.partners.models import Organisation

from .. import services
from ..forms import MemberFilterForm, NetworkMemberForm
from ..models import NetworkMember
from .common import networks_for, partner_of_user


def explore(user: Any, filters: MemberFilterForm) -> tuple[QuerySet[Organisation], Any]:
    """Organisations that belong to a network the user may see, filtered; and the networks.

    Each organisation carries `is_partner` (an agreement of the user's enti with it) and
    `visible_networks` (its NetworkMember rows in visible networks).
    """
    networks = networks_for(user)
    qs = visible_in(user, Organisation.objects.all()).filter(member_of__network__in=networks)
    if search_refused(filters):
        qs = qs.none()
    if filters.is_valid():
        data = filters.cleaned_data
        if data["network"]:
            qs = qs.filter(member_of__network=data["network"])
        if data["q"]:
            qs = qs.search(data["q"], reader=user)
        if data["country"]:
            qs = qs.filter(country=data["country"])
        if data["sector"]:
            qs = qs.filter(sectors=data["sector"])
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["not_partner"]:
            qs = qs.filter(~partner_of_user(user))
    rows = (
        NetworkMember.objects.filter(network__in=networks)
        .select_related("network")
        .order_by("network__name")
    )
    qs = (
        qs.distinct()
        .annotate(is_partner=partner_of_user(user))
        .prefetch_related(
            "sectors", Prefetch("member_of", queryset=rows, to_attr="visible_networks")
        )
        .order_by("name", "id")
    )
    return qs, networks


@login_required
def member_explorer(request: AuthedRequest) -> HttpResponse:
    user = request.user
    require(user, "view", NetworkMember)
    networks = networks_for(user).filter(network_members__isnull=False).distinct()
    filters = limit_choices(MemberFilterForm(request.GET or None, networks=networks), request.user)
    qs, _networks = explore(user, filters)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    network = (
        filters.cleaned_data.get("network") if filters.is_bound and filters.is_valid() else None
    )
    context = {
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "network": network,
        "can_add": can(user, "add", NetworkMember),
        "here": request.get_full_path(),
    }
    template = (
        "networks/partials/member_results.html" if request.htmx else "networks/member_explorer.html"
    )
    return render(request, template, context, status=400 if search_refused(filters) else 200)


@login_required
def member_add(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(user, "add", NetworkMember)
    initial = {"network": request.GET.get("network", ""), "member": request.GET.get("member", "")}
    form = limit_choices(
        NetworkMemberForm(
            request.POST or None,
            initial=initial,
            organisations=visible_queryset(user, Organisation),
        ),
        request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.save_network_member(form.instance, user=user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("«%(o)s» è ora membro di «%(n)s».")
                % {"o": member.member.name, "n": member.network.name},
            )
            return redirect(reverse("networks:members") + f"?network={member.network_id}")
    return render(request, "networks/member_form.html", {"form": form})


@login_required
@require_POST
def member_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "delete", NetworkMember)
    member = (
        NetworkMember.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("network", "member")
        .first()
    )
    if member is None:
        raise Http404
    services.delete(member, user=user)
    messages.success(
        request,
        _("«%(o)s» non è più membro di «%(n)s».")
        % {"o": member.member.name, "n": member.network.name},
    )
    return redirect_back(request, reverse("networks:members") + f"?network={member.network_id}")
