"""The agenda views and the personal ICS feed."""

from __future__ import annotations

import datetime

import icalendar
import pytest

from ponti.meetings import services
from ponti.meetings.models import CalendarFeed


def test_week_month_and_list_views(client, personas, make_meeting):
    make_meeting(title="Visita di Reims")
    make_meeting(title="Solo anno", date_precision="anno", starts_at=None, ends_at=None, year=2026)
    client.force_login(personas["revisore"])
    for view in ("settimana", "mese", "elenco"):
        page = client.get(f"/incontri/calendario/?vista={view}&data=2026-12-01").content.decode()
        assert "Visita di Reims" in page, view
        assert "Solo anno" not in page
    week = client.get("/incontri/calendario/?vista=settimana&data=2026-12-01").content.decode()
    assert "data=2026-11-23" in week and "data=2026-12-07" in week
    month = client.get("/incontri/calendario/?vista=mese&data=2026-12-15").content.decode()
    assert "data=2026-11-01" in month and "data=2027-01-01" in month
    assert (
        client.get("/incontri/calendario/?vista=settimana&data=2026-11-01")
        .content.decode()
        .count("Visita di Reims")
        == 0
    )


def test_the_feed_is_valid_ics_and_holds_the_meeting(client, personas, make_meeting):
    m = make_meeting(title="Visita di Reims", place="Palazzo Vecchio", city="Firenze")
    make_meeting(title="Solo anno", date_precision="anno", starts_at=None, ends_at=None, year=2026)
    user = personas["ufficio"]
    token = services.issue_calendar_feed(user=user)
    feed = CalendarFeed.objects.get(user=user)
    assert token not in feed.feed_token_hash and len(feed.feed_token_hash) == 64
    response = client.get(f"/incontri/calendario/{token}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = [e for e in cal.walk("VEVENT")]
    assert [str(e["SUMMARY"]) for e in events] == ["Visita di Reims"]
    assert events[0].decoded("DTSTART") == m.starts_at
    assert "Palazzo Vecchio" in str(events[0]["LOCATION"])


def test_a_revoked_or_wrong_token_is_404(client, personas, make_meeting):
    make_meeting()
    user = personas["ufficio"]
    token = services.issue_calendar_feed(user=user)
    services.revoke_calendar_feed(user=user)
    assert client.get(f"/incontri/calendario/{token}.ics").status_code == 404
    assert client.get("/incontri/calendario/nonesiste.ics").status_code == 404
    newer = services.issue_calendar_feed(user=user)
    again = services.issue_calendar_feed(user=user)
    assert client.get(f"/incontri/calendario/{newer}.ics").status_code == 404
    assert client.get(f"/incontri/calendario/{again}.ics").status_code == 200


def test_a_riservato_meeting_is_a_neutral_busy_block_for_a_revisore(client, personas, make_meeting):
    make_meeting(
        title="Colloquio sul porto",
        confidentiality="riservato",
        place="Sala segreta",
        topics="porto franco",
        minutes="<p>VERBALE</p>",
    )
    token = services.issue_calendar_feed(user=personas["revisore"])
    cal = icalendar.Calendar.from_ical(client.get(f"/incontri/calendario/{token}.ics").content)
    (event,) = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Impegno riservato"
    assert "LOCATION" not in event and "DESCRIPTION" not in event and "URL" not in event
    token = services.issue_calendar_feed(user=personas["ufficio"])
    cal = icalendar.Calendar.from_ical(client.get(f"/incontri/calendario/{token}.ics").content)
    assert str(cal.walk("VEVENT")[0]["SUMMARY"]) == "Colloquio sul porto"


def test_all_day_meetings_are_dates_in_the_feed(client, personas, make_meeting):
    make_meeting(
        title="Delegazione",
        all_day=True,
        date_precision="giorno",
        starts_at=datetime.datetime(2027, 2, 9, 23, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2027, 2, 11, 22, 59, tzinfo=datetime.UTC),
    )
    token = services.issue_calendar_feed(user=personas["ufficio"])
    (event,) = icalendar.Calendar.from_ical(
        client.get(f"/incontri/calendario/{token}.ics").content
    ).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime.date(2027, 2, 10)
    assert event.decoded("DTEND") == datetime.date(2027, 2, 12)


def test_the_agenda_page_creates_and_revokes_the_feed(client, personas):
    client.force_login(personas["segreteria"])
    response = client.post("/incontri/calendario/feed/nuovo/", follow=True)
    page = response.content.decode()
    assert "/incontri/calendario/" in page and ".ics" in page
    assert (
        CalendarFeed.objects.filter(user=personas["segreteria"], revoked_at__isnull=True).count()
        == 1
    )
    client.post("/incontri/calendario/feed/revoca/")
    assert not CalendarFeed.objects.filter(
        user=personas["segreteria"], revoked_at__isnull=True
    ).exists()


def test_timed_events_carry_their_time_zone(client, personas, make_meeting):
    import zoneinfo

    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    make_meeting(
        title="Call con Tokyo",
        timezone="Asia/Tokyo",
        starts_at=datetime.datetime(2026, 12, 3, 17, tzinfo=tokyo),
        ends_at=datetime.datetime(2026, 12, 3, 18, tzinfo=tokyo),
    )
    token = services.issue_calendar_feed(user=personas["ufficio"])
    body = client.get(f"/incontri/calendario/{token}.ics").content
    cal = icalendar.Calendar.from_ical(body)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    (event,) = cal.walk("VEVENT")
    assert event.decoded("DTSTART") == datetime.datetime(2026, 12, 3, 8, tzinfo=datetime.UTC)
    assert b"DTSTART;TZID=Asia/Tokyo:20261203T170000" in body


@pytest.mark.parametrize("view", ["settimana", "mese", "elenco"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_far_dates_are_brought_back_within_bounds_not_a_500(client, personas, view, day):
    client.force_login(personas["ufficio"])
    response = client.get("/incontri/calendario/", {"vista": view, "data": day})
    assert response.status_code == 200
