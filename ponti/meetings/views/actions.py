"""Follow-up actions, "Le mie azioni" and gifts."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ponti.core.edit import save_edit
from ponti.core.exports import export_format, export_response
from ponti.core.forms import current_query, errors_to_form, filter_by_ente
from ponti.core.ids import parse_id
from ponti.core.permissions import can, get_for_user, visible_queryset
from ponti.core.pickers import limit_choices
from ponti.core.redirects import redirect_back
from ponti.core.services import ConflictError
from ponti.core.typing import AuthedRequest
from ponti.partners.models import Organisation

from .. import services
from ..forms import ActionForm, GiftForm
from ..models import FollowUpAction, Gift, Meeting
from ..tables import ACTION_COLUMNS, GIFT_COLUMNS, actions_for_export, gifts_for_export
from .common import ente_for, error_text
from .meetings import meeting_detail


@login_required
def my_actions(request: AuthedRequest) -> HttpResponseBase:
    if not can(request.user, "view", FollowUpAction):
        raise PermissionDenied
    qs = (
        FollowUpAction.objects.filter(owner=request.user)
        .for_user(request.user)
        .select_related("meeting", "organisation")
    )
    show_all = request.GET.get("tutte") == "1"
    if not show_all:
        qs = qs.open()
    qs, ente_filter = filter_by_ente(request, qs)
    if fmt := export_format(request):
        rows = actions_for_export(qs, request.user)
        return export_response(ACTION_COLUMNS, rows, fmt, filename=_("azioni"))
    return render(
        request,
        "meetings/my_actions.html",
        {
            "actions": qs.select_related("ente"),
            "today": timezone.localdate(),
            "show_all": show_all,
            "ente_filter": ente_filter,
            "keep": [("tutte", "1")] if show_all else [],
            "query": current_query(request),
        },
    )


@login_required
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _can_edit = get_for_user(request.user, Meeting, pk, action="change")
    form = limit_choices(
        ActionForm(
            request.POST,
            ente_id=meeting.ente_id,
            prefix="action",
            instance=FollowUpAction(meeting=meeting, ente=meeting.ente),
        ),
        request.user,
    )
    if form.is_valid():
        try:
            services.save_action(form.instance, user=request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Azione aggiunta."))
    else:
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
    return redirect("meetings:detail", pk=pk)


@login_required
def action_create(request: AuthedRequest) -> HttpResponse:
    """An action about a partner, without a meeting (from the partner page)."""
    if not can(request.user, "add", FollowUpAction):
        raise PermissionDenied
    ente = ente_for(request, "add", FollowUpAction)
    initial = {}
    partner = parse_id(request.GET.get("partner"))
    if partner:
        initial["organisation"] = (
            visible_queryset(request.user, Organisation).filter(pk=partner).first()
        )
    action = FollowUpAction(ente=ente)
    form = limit_choices(
        ActionForm(request.POST or None, instance=action, ente_id=ente.pk, initial=initial),
        request.user,
    )
    if request.method == "POST" and form.is_valid():
        if form.instance.organisation_id is None:
            form.add_error("organisation", _("Indica il partner a cui si riferisce l'azione."))
        else:
            try:
                services.save_action(form.instance, user=request.user)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("Azione salvata."))
                return redirect("partners:organisation_detail", pk=form.instance.organisation_id)
    return render(request, "meetings/action_form.html", {"form": form, "action": None})


@login_required
def action_edit(request: HttpRequest, action_pk: int) -> HttpResponse:
    action, _can_edit = get_for_user(request.user, FollowUpAction, action_pk, action="change")
    form = limit_choices(
        ActionForm(request.POST or None, instance=action, ente_id=action.ente_id), request.user
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        edit = save_edit(
            request,
            form,
            lambda version: services.save_action(
                form.instance, user=request.user, expected_version=version
            ),
        )
        if edit.saved:
            messages.success(request, _("Azione salvata."))
            return redirect(
                action.meeting.get_absolute_url()
                if action.meeting is not None
                else "meetings:my_actions"
            )
        conflict = edit.conflict
    return render(
        request,
        "meetings/action_form.html",
        {"form": form, "action": action, "conflict": conflict},
    )


@login_required
@require_POST
def action_done(request: HttpRequest, action_pk: int) -> HttpResponse:
    action, _can_edit = get_for_user(request.user, FollowUpAction, action_pk)
    if not (
        action.owner_id == request.user.pk or can(request.user, "change", FollowUpAction, action)
    ):
        raise PermissionDenied
    action.status = "fatta"
    try:
        services.save_action(action, user=request.user)
    except ConflictError:
        messages.error(
            request,
            _("L'azione è stata modificata da qualcun altro proprio ora: ricarica e riprova."),
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Azione segnata come fatta."))
    return redirect_back(request, "meetings:my_actions")


@login_required
@require_POST
def gift_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _can_edit = get_for_user(request.user, Meeting, pk, action="change")
    form = limit_choices(
        GiftForm(
            request.POST,
            prefix="gift",
            instance=Gift(
                meeting=meeting, ente=meeting.ente, confidentiality=meeting.confidentiality
            ),
        ),
        request.user,
    )
    if form.is_valid():
        try:
            gift = services.save_gift(form.instance, user=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Dono registrato."))
            if gift.over_threshold:
                messages.warning(
                    request, _("Il valore stimato supera la soglia dell'ente: il dono è segnalato.")
                )
            return redirect("meetings:detail", pk=pk)
    # The page again, with the errors under the fields and everything typed kept.
    messages.error(
        request,
        _("Il dono non è stato registrato: %(errors)s")
        % {"errors": " ".join(str(m) for ms in form.errors.values() for m in ms)},
    )
    return meeting_detail(request, pk, gift_form=form)


@login_required
def gift_list(request: HttpRequest) -> HttpResponseBase:
    gifts: Iterable[Gift] = visible_queryset(request.user, Gift).select_related(
        "meeting", "counterpart", "ente"
    )
    flagged = request.GET.get("segnalati") == "1"
    gifts, ente_filter = filter_by_ente(request, gifts)
    if fmt := export_format(request):
        chosen, _form = filter_by_ente(request, visible_queryset(request.user, Gift))
        rows = gifts_for_export(chosen.select_related("ente"), request.user)
        if flagged:  # the threshold is the ente's, compared in Python as on the page
            rows = (g for g in rows.iterator(chunk_size=2000) if g.over_threshold)
        return export_response(GIFT_COLUMNS, rows, fmt, filename=_("doni"))
    if flagged:
        gifts = [g for g in gifts if g.over_threshold]
    return render(
        request,
        "meetings/gift_list.html",
        {
            "gifts": gifts,
            "flagged_only": flagged,
            "ente_filter": ente_filter,
            "keep": [("segnalati", "1")] if flagged else [],
            "query": current_query(request),
        },
    )
