"""The agenda (week, month, list) and the personal ICS feed."""

from __future__ import annotations

import calendar as pycalendar
import datetime
import zoneinfo
from typing import Any
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ponti.core import feeds
from ponti.core.confidentiality import can_see
from ponti.core.dates import DatePrecision
from ponti.core.links import absolute, site_url
from ponti.core.permissions import can, visible_queryset
from ponti.core.typing import AuthedRequest

from .. import services
from ..models import CalendarFeed, Meeting, MeetingStatus

VIEWS = ("settimana", "mese", "elenco")
LIST_DAYS = 60


def _local_days(meeting: Meeting) -> tuple[datetime.date, datetime.date]:
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    start = timezone.localtime(meeting.starts_at, tz).date()
    end = timezone.localtime(meeting.ends_at, tz).date() if meeting.ends_at else start
    return start, max(start, end)


def _by_day(
    meetings: list[Meeting], first: datetime.date, last: datetime.date
) -> dict[datetime.date, list[Meeting]]:
    days: dict[datetime.date, list[Meeting]] = {}
    for m in meetings:
        start, end = _local_days(m)
        day = max(start, first)
        while day <= min(end, last):
            days.setdefault(day, []).append(m)
            day += datetime.timedelta(days=1)
    return days


# The agenda's range: wide enough for any history, narrow enough that the week, month or list
# around a day, and the links to the next and previous ones, are real dates.
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2199, 12, 31)


@login_required
def agenda(request: AuthedRequest) -> HttpResponse:
    if not can(request.user, "view", Meeting):
        raise PermissionDenied
    view = request.GET.get("vista", "settimana")
    if view not in VIEWS:
        view = "settimana"
    try:
        anchor = datetime.date.fromisoformat(request.GET.get("data", ""))
    except ValueError:
        anchor = timezone.localdate()
    # The pages before and after must exist too: far dates are brought back within bounds.
    anchor = min(max(anchor, FIRST_DAY), LAST_DAY)
    if view == "settimana":
        first = anchor - datetime.timedelta(days=anchor.weekday())
        last = first + datetime.timedelta(days=6)
        prev, following = first - datetime.timedelta(days=7), first + datetime.timedelta(days=7)
    elif view == "mese":
        first = anchor.replace(day=1)
        last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
        prev = (first - datetime.timedelta(days=1)).replace(day=1)
        following = last + datetime.timedelta(days=1)
    else:
        first, last = anchor, anchor + datetime.timedelta(days=LIST_DAYS - 1)
        prev, following = (
            first - datetime.timedelta(days=LIST_DAYS),
            last + datetime.timedelta(days=1),
        )
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    window_start = datetime.datetime.combine(first, datetime.time.min, tz)
    window_end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tz)
    meetings = list(
        visible_queryset(request.user, Meeting)
        .filter(date_precision=DatePrecision.DAY, starts_at__lt=window_end)
        .filter(starts_at__gte=window_start - datetime.timedelta(days=31))
        .exclude(status=MeetingStatus.ANNULLATO)
        .order_by("starts_at")
    )
    # starts_at__lt above leaves out the meetings without a start
    meetings = [
        m
        for m in meetings
        if m.starts_at is not None and (m.ends_at or m.starts_at) >= window_start
    ]
    by_day = _by_day(meetings, first, last)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "view": view,
        "first": first,
        "last": last,
        "today": today,
        "anchor": anchor,
        "prev": prev.isoformat(),
        "next": following.isoformat(),
        "views": VIEWS,
    }
    if view == "settimana":
        context["days"] = [
            (first + datetime.timedelta(days=i), by_day.get(first + datetime.timedelta(days=i), []))
            for i in range(7)
        ]
    elif view == "mese":
        weeks = []
        for week in pycalendar.Calendar().monthdatescalendar(first.year, first.month):
            weeks.append(
                [
                    (d, by_day.get(d, []) if d.month == first.month else [], d.month == first.month)
                    for d in week
                ]
            )
        context["weeks"] = weeks
        # Known only by the month: a band above the grid, never on an invented day.
        context["month_only"] = list(
            visible_queryset(request.user, Meeting)
            .filter(date=first, date_precision=DatePrecision.MONTH)
            .exclude(status=MeetingStatus.ANNULLATO)
            .order_by("title", "pk")
        )
        context["weekdays"] = [
            datetime.date(2024, 1, 1) + datetime.timedelta(days=i) for i in range(7)
        ]
    else:
        context["days"] = sorted(by_day.items())
    feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    context["feed"] = feed
    context["feed_token"] = request.session.pop("meetings_feed_token", None)
    return render(request, "meetings/agenda.html", context)


@login_required
@require_POST
def feed_issue(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "view", Meeting):
        raise PermissionDenied
    token = services.issue_calendar_feed(user=request.user)
    # Shown once, on the next page: only its hash is kept.
    request.session["meetings_feed_token"] = absolute(reverse("meetings:feed", args=[token]))
    messages.success(
        request, _("Nuovo indirizzo del calendario creato: copialo ora, non sarà più mostrato.")
    )
    return redirect(reverse("meetings:calendar") + "?vista=elenco#calendario-personale")


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    services.revoke_calendar_feed(user=request.user)
    messages.success(request, _("Indirizzo del calendario revocato."))
    return redirect(reverse("meetings:calendar") + "?vista=elenco#calendario-personale")


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal ICS feed: no login, the secret token is the key.

    Only meetings known to the day. One known only by its month or year is left out: iCalendar
    has no "some day in July", and a month-long event would fill every day of the month in a
    calendar program and read as a month of engagements; the month view of Ponti's agenda
    shows it instead, in its own band."""
    user = services.user_for_feed_token(token)
    if user is None or not can(user, "view", Meeting):
        raise Http404
    qs = Meeting.objects.filter(date_precision=DatePrecision.DAY, starts_at__isnull=False).exclude(
        status=MeetingStatus.ANNULLATO
    )
    if not user.is_superuser:
        qs = qs.filter(ente__in=user.enti.all())
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Ponti//Incontri//IT")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("Ponti: incontri"))
    # The site's own name, not the Host header a calendar client sends.
    host = urlsplit(site_url()).hostname or "ponti"
    now = timezone.now()
    for m in qs.prefetch_related("counterparts"):
        assert m.starts_at is not None  # the query keeps only meetings with a start
        event = icalendar.Event()
        event.add("uid", f"meeting-{m.pk}@{host}")
        event.add("dtstamp", now)
        tz = zoneinfo.ZoneInfo(m.timezone)
        if m.all_day:
            start_day = timezone.localtime(m.starts_at, tz).date()
            end_day = timezone.localtime(m.ends_at, tz).date() if m.ends_at else start_day
            event.add("dtstart", start_day)
            event.add("dtend", max(start_day, end_day) + datetime.timedelta(days=1))
        else:
            event.add("dtstart", timezone.localtime(m.starts_at, tz))
            event.add(
                "dtend",
                timezone.localtime(m.ends_at or m.starts_at + datetime.timedelta(hours=1), tz),
            )
        if can_see(user, m):  # the user's clearance in the meeting's ente
            event.add("summary", m.title)
            where = ", ".join(x for x in (m.place, m.city) if x)
            if where:
                event.add("location", where)
            if m.topics:
                event.add("description", m.topics)
            event.add("url", absolute(m.get_absolute_url()))
            event.add(
                "status", "CONFIRMED" if m.status in services.ACTIVE_STATUSES else "TENTATIVE"
            )
        else:
            # Without clearance: a busy block, nothing else.
            event.add("summary", _("Impegno riservato"))
            event.add("class", "CONFIDENTIAL")
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    # What other apps add (core.feeds), already narrowed to what this user may read.
    for item in feeds.events_for(user):
        event = icalendar.Event()
        event.add("uid", f"{item.uid}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", timezone.localtime(item.starts_at, zoneinfo.ZoneInfo(item.time_zone)))
        if item.duration:
            event.add("duration", item.duration)
        event.add("summary", item.summary)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", absolute(item.url))
        event.add("transp", "TRANSPARENT")  # a deadline is a moment, not an engagement
        cal.add_component(event)
    cal.add_missing_timezones()  # a VTIMEZONE for every TZID used (RFC 5545)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ponti-incontri.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
