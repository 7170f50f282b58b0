"""Meetings: list, page, create, edit, status steps, participants."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ponti.agreements.models import Agreement
from ponti.core.confidentiality import visible_levels
from ponti.core.edit import save_edit
from ponti.core.exports import export_format, export_response
from ponti.core.forms import errors_to_form, offer_ente_filter, search_refused
from ponti.core.ids import parse_id
from ponti.core.models import AuditEvent
from ponti.core.permissions import can, get_for_user, visible_in, visible_queryset
from ponti.core.pickers import limit_choices
from ponti.core.typing import AuthedRequest
from ponti.partners.models import Organisation

from .. import services
from ..forms import (
    ActionForm,
    GiftForm,
    MeetingFilterForm,
    MeetingForm,
    ParticipantForm,
    StatusForm,
)
from ..models import Meeting, MeetingStatus, ParticipantSide
from ..tables import MEETING_COLUMNS, meetings_for_export
from .common import ente_for, error_text


@login_required
def meeting_list(request: HttpRequest) -> HttpResponseBase:
    qs = visible_in(request.user, Meeting.objects.all())
    # Counterparts the user may see: a hidden one neither finds a meeting nor is listed.
    counterparts = Organisation.objects.visible_to(request.user)
    filters = MeetingFilterForm(request.GET or None)
    filters.several_enti = offer_ente_filter(filters, request.user)  # type: ignore[attr-defined]
    if search_refused(filters):
        qs = qs.none()
    if filters.is_valid():
        d = filters.cleaned_data
        if d.get("ente"):
            qs = qs.filter(ente_id=d["ente"])
        if d["q"]:
            # Searches only what the list shows (title, place, topics, counterparts), not minutes.
            qs = qs.filter(
                Q(title__icontains=d["q"])
                | Q(city__icontains=d["q"])
                | Q(topics__icontains=d["q"])
                | Q(counterparts__in=counterparts.filter(name__icontains=d["q"]))
            )
        if d["kind"]:
            qs = qs.filter(kind=d["kind"])
        if d["status"]:
            qs = qs.filter(status=d["status"])
        if d["year"]:
            qs = qs.in_year(d["year"])
    if (fmt := export_format(request)) and not search_refused(filters):
        rows = meetings_for_export(qs.distinct().order_by("starts_at", "pk"), request.user)
        return export_response(MEETING_COLUMNS, rows, fmt, filename=_("incontri"))
    page = Paginator(
        qs.distinct()
        .select_related("ente")
        .prefetch_related(Prefetch("counterparts", queryset=counterparts)),
        25,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "can_add": can(request.user, "add", Meeting),
        },
        status=400 if search_refused(filters) else 200,
    )


def _agreements(request: HttpRequest) -> Any:
    if not request.user.has_perm("agreements.view_agreement"):
        return Agreement.objects.none()
    return Agreement.objects.for_user(request.user).order_by("title")


@login_required
def meeting_detail(
    request: HttpRequest, pk: int, gift_form: GiftForm | None = None
) -> HttpResponse:
    """The meeting's page; `gift_form` is a refused gift, shown with its errors and values."""
    meeting, can_edit = get_for_user(request.user, Meeting, pk)
    levels = visible_levels(request.user)
    visit = getattr(meeting, "visit_request", None)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "m": meeting,
            "can_edit": can_edit,
            "rich": {
                name: services.sanitize_html(getattr(meeting, name))
                for name in services.RICH_FIELDS
            },
            "counterparts": meeting.counterparts.filter(confidentiality__in=levels),
            "agreements": meeting.agreements.filter(confidentiality__in=levels),
            "ours": meeting.participants.filter(side=ParticipantSide.NOSTRO).select_related(
                "user", "person", "position"
            ),
            "theirs": meeting.participants.filter(side=ParticipantSide.CONTROPARTE).select_related(
                "person", "position__organisation"
            ),
            "actions": meeting.actions.filter(confidentiality__in=levels).select_related(
                "owner", "organisation"
            ),
            "gifts": meeting.gifts.filter(confidentiality__in=levels).select_related(
                "counterpart", "ente"
            ),
            "visit": visit,
            "steps": [MeetingStatus(s) for s in services.allowed_statuses(meeting)],
            "status_form": StatusForm(),
            "participant_form": limit_choices(
                ParticipantForm(ente_id=meeting.ente_id), request.user
            )
            if can_edit
            else None,
            "action_form": limit_choices(
                ActionForm(ente_id=meeting.ente_id, prefix="action"), request.user
            )
            if can_edit
            else None,
            "gift_form": (gift_form or limit_choices(GiftForm(prefix="gift"), request.user))
            if can_edit
            else None,
            "history": AuditEvent.objects.for_object(meeting).visible_to(request.user)[:5],
        },
    )


@login_required
def meeting_create(request: AuthedRequest) -> HttpResponse:
    if not can(request.user, "add", Meeting):
        raise PermissionDenied
    ente = ente_for(request, "add", Meeting)
    initial: dict[str, Any] = {"timezone": "Europe/Rome"}
    partner = parse_id(request.GET.get("partner"))
    if partner:
        initial["counterparts"] = list(
            visible_queryset(request.user, Organisation).filter(pk=partner)
        )
    form = limit_choices(
        MeetingForm(request.POST or None, initial=initial, agreements=_agreements(request)),
        request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            meeting = services.create_meeting(user=request.user, ente=ente, data=data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Incontro «%(t)s» creato.") % {"t": meeting.title})
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form})


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _can_edit = get_for_user(request.user, Meeting, pk, action="change")
    form = limit_choices(
        MeetingForm(
            request.POST or None,
            instance=meeting,
            agreements=_agreements(request).filter(ente_id=meeting.ente_id),
        ),
        request.user,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        edit = save_edit(
            request,
            form,
            lambda version: services.update_meeting(
                meeting, user=request.user, data=data, expected_version=version
            ),
        )
        if edit.saved:
            messages.success(request, _("Modifiche salvate."))
            return redirect("meetings:detail", pk=pk)
        conflict = edit.conflict
    return render(
        request, "meetings/meeting_form.html", {"form": form, "m": meeting, "conflict": conflict}
    )


@login_required
def meeting_history(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _can_edit = get_for_user(request.user, Meeting, pk)
    page = Paginator(AuditEvent.objects.for_object(meeting).visible_to(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "partners/history.html", {"object": meeting, "page": page})


@login_required
@require_POST
def meeting_status(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _can_edit = get_for_user(request.user, Meeting, pk, action="change")
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_status(meeting, form.cleaned_data["target"], user=request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request, _("Stato aggiornato: %(s)s.") % {"s": meeting.get_status_display()}
            )
    else:
        messages.error(request, _("Stato non valido."))
    return redirect("meetings:detail", pk=pk)


@login_required
@require_POST
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _can_edit = get_for_user(request.user, Meeting, pk, action="change")
    form = limit_choices(ParticipantForm(request.POST, ente_id=meeting.ente_id), request.user)
    if form.is_valid():
        d = form.cleaned_data
        if d["side"] == ParticipantSide.CONTROPARTE and d.get("participant_user"):
            messages.error(
                request, _("Un utente dell'ente partecipa per l'ente, non per la controparte.")
            )
            return redirect("meetings:detail", pk=pk)
        try:
            participant, warning = services.add_participant(
                meeting,
                user=request.user,
                side=d["side"],
                person=d.get("person"),
                participant_user=d.get("participant_user"),
                guest_name=d.get("guest_name") or "",
                role=d.get("role") or "",
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Partecipante aggiunto: %(p)s.") % {"p": participant})
            if warning:
                messages.warning(request, warning)
    else:
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
    return redirect("meetings:detail", pk=pk)


@login_required
@require_POST
def participant_remove(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    meeting, _can_edit = get_for_user(request.user, Meeting, pk, action="change")
    participant = meeting.participants.filter(pk=participant_pk).first()
    if participant is None:
        raise Http404
    services.remove_participant(participant, user=request.user)
    messages.success(request, _("Partecipante rimosso."))
    return redirect("meetings:detail", pk=pk)
