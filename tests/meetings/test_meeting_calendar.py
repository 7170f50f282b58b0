"""The agenda views and the personal ICS feed."""

from __future__ import annotations

import datetime

import icalendar
import pytest

from ponti.meetings import services
from ponti.meetings.models import CalendarFeed


def test_week_month_and_list_views(client, personas, make_meeting):
    make_meeting(title="Visita di Reims")
    make_meeting(
        title="Solo anno",
        date_precision="year",
        starts_at=None,
        ends_at=None,
        date=datetime.date(2026, 1, 1),
    )
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
    make_meeting(
        title="Solo anno",
        date_precision="year",
        starts_at=None,
        ends_at=None,
        date=datetime.date(2026, 1, 1),
    )
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


def test_a_meeting_known_only_by_its_month_is_in_that_months_band(client, personas, make_meeting):
    make_meeting(
        title="Visita da Kyoto",
        starts_at=None,
        ends_at=None,
        date=datetime.date(2026, 7, 1),
        date_precision="month",
    )
    make_meeting(
        title="Solo anno",
        starts_at=None,
        ends_at=None,
        date=datetime.date(2026, 1, 1),
        date_precision="year",
    )
    client.force_login(personas["revisore"])
    july = client.get("/incontri/calendario/?vista=mese&data=2026-07-15").content.decode()
    assert "Nel mese (giorno non noto)" in july and "Visita da Kyoto" in july
    band, grid = july.split('id="month-only"')[1].split("ponti-month", 1)
    assert "Visita da Kyoto" in band and "Visita da Kyoto" not in grid
    assert "Solo anno" not in july
    june = client.get("/incontri/calendario/?vista=mese&data=2026-06-15").content.decode()
    assert "Visita da Kyoto" not in june and "Nel mese (giorno non noto)" not in june
    week = client.get("/incontri/calendario/?vista=settimana&data=2026-07-06").content.decode()
    assert "Visita da Kyoto" not in week
    token = services.issue_calendar_feed(user=personas["ufficio"])
    feed = client.get(f"/incontri/calendario/{token}.ics").content.decode()
    assert "Kyoto" not in feed and "Solo anno" not in feed


def test_a_year_only_meeting_is_listed_as_its_year(client, personas, make_meeting):
    m = make_meeting(
        title="Solo anno",
        starts_at=None,
        ends_at=None,
        date=datetime.date(2019, 1, 1),
        date_precision="year",
    )
    client.force_login(personas["revisore"])
    listing = client.get("/incontri/?year=2019").content.decode()
    assert "Solo anno" in listing and "2019" in listing and "1 gennaio 2019" not in listing
    assert "gennaio 2019" not in client.get(f"/incontri/{m.pk}/").content.decode()


def test_the_form_takes_a_month_and_refuses_a_start_with_it(client, personas, ente):
    from ponti.meetings.models import Meeting

    client.force_login(personas["ufficio"])
    base = {"kind": "incontro", "title": "Visita", "status": "svolto", "timezone": "Europe/Rome"}
    base["confidentiality"] = "interno"
    page = client.post(
        "/incontri/nuovo/", {**base, "date": "luglio 2019", "starts_at": "2019-07-03T10:00"}
    ).content.decode()
    assert "non entrambi" in page
    response = client.post("/incontri/nuovo/", {**base, "date": "luglio 2019"})
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Visita")
    assert (meeting.date, meeting.date_precision, meeting.starts_at) == (
        datetime.date(2019, 7, 1),
        "month",
        None,
    )
    day = client.post("/incontri/nuovo/", {**base, "title": "Giorno", "date": "03/07/2019"})
    assert day.status_code == 302
    meeting = Meeting.objects.get(title="Giorno")
    assert meeting.is_dated and meeting.all_day and meeting.day == datetime.date(2019, 7, 3)


def test_the_api_takes_a_month_and_a_start_replaces_it(personas):
    from tests.api.helpers import token_client

    api = token_client(personas["ufficio"])
    response = api.post(
        "/meetings", {"title": "Luglio", "date": "2019-07-01", "date_precision": "month"}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["date"], body["date_precision"], body["starts_at"]) == (
        "2019-07-01",
        "month",
        None,
    )
    response = api.patch(
        f"/meetings/{body['id']}",
        {"version": body["version"], "starts_at": "2019-07-03T10:00:00+02:00"},
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["date"], response.json()["date_precision"]) == ("2019-07-03", "day")
    response = api.patch(
        f"/meetings/{body['id']}",
        {"version": response.json()["version"], "date": "2019-01-01", "date_precision": "year"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["starts_at"] is None and response.json()["date_precision"] == "year"
