"""Watching opportunities: deadlines in the due items (30 and 7 days ahead) and in the
personal ICS feed, saved searches (page and API, each user's own), new matches reported once."""

from __future__ import annotations

import datetime
import io
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ponti.core.due import collect, visible_items
from ponti.core.models import AuditEvent
from ponti.opportunities.due import deadlines_due
from ponti.opportunities.watching import SavedSearch
from tests.api.helpers import token_client

from .conftest import brussels

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)


def _items(today: datetime.date = TODAY) -> list[Any]:
    return [i for i in collect(today) if i.key.startswith("opportunity:")]


def test_a_deadline_is_due_at_30_days_and_again_at_7(make_opportunity: Any, personas: Any) -> None:
    o = make_opportunity(deadlines=[brussels(2026, 12, 20)], owner=personas["consigliere"])
    at_30 = _items(TODAY)
    assert len(at_30) == 1 and at_30[0].key.endswith(":30")
    assert "Gemellaggio tra città" in at_30[0].title and "17:00" in at_30[0].title
    assert personas["consigliere"].pk in at_30[0].recipients
    assert personas["ufficio"].pk in at_30[0].recipients
    assert personas["segreteria"].pk not in at_30[0].recipients
    at_7 = _items(datetime.date(2026, 12, 15))
    assert len(at_7) == 1 and at_7[0].key.endswith(":7")
    assert at_7[0].key != at_30[0].key  # a second reminder, not the first one again
    assert _items(datetime.date(2026, 11, 1)) == []  # 49 days ahead: not yet
    assert _items(datetime.date(2026, 12, 21)) == []  # passed
    assert at_30[0].url == o.get_absolute_url()


@pytest.mark.parametrize("decision", ["scartata", "presentata", "finanziata", "non_finanziata"])
def test_a_decided_opportunity_is_not_due(make_opportunity: Any, decision: str) -> None:
    make_opportunity(deadlines=[brussels(2026, 12, 1)], decision=decision)
    assert list(deadlines_due(TODAY)) == []


@pytest.mark.parametrize("decision", ["da_valutare", "interessante", "in_preparazione"])
def test_an_undecided_or_followed_opportunity_is_due(make_opportunity: Any, decision: str) -> None:
    make_opportunity(deadlines=[brussels(2026, 12, 1)], decision=decision)
    assert len(list(deadlines_due(TODAY))) == 1


def test_a_riservato_deadline_never_reaches_a_reader_without_clearance(
    make_opportunity: Any, make_user: Any
) -> None:
    cleared = make_user("ufficio", username="ufficio")
    limited = make_user("ufficio", username="ufficio-interno", clearance="interno")
    make_opportunity(
        deadlines=[brussels(2026, 12, 1)],
        title="Trattativa Zqsegreta",
        topic_identifier="SEGRETO-1",
        confidentiality="riservato",
        decision="interessante",
        owner=limited,  # even its owner, without the clearance
    )
    items = _items()
    assert len(items) == 1
    assert visible_items(cleared, items) and not visible_items(limited, items)
    mail.outbox.clear()
    call_command("scadenze", date=TODAY.isoformat(), stdout=io.StringIO())
    to_limited = "\n".join(m.body for m in mail.outbox if limited.email in m.to)
    to_cleared = "\n".join(m.body for m in mail.outbox if cleared.email in m.to)
    assert "Zqsegreta" in to_cleared and "Zqsegreta" not in to_limited
    assert "Zqsegreta" not in _feed(limited)
    assert "Zqsegreta" in _feed(cleared)


def test_the_due_items_page_shows_a_deadline_within_30_days(
    make_opportunity: Any, personas: Any
) -> None:
    soon = timezone.now() + datetime.timedelta(days=10)
    make_opportunity(deadlines=[soon], title="Bando Zqvicino")
    make_opportunity(
        deadlines=[soon], title="Bando Zqscartato", topic_identifier="X-2", decision="scartata"
    )
    client = Client()
    client.force_login(personas["ufficio"])
    text = client.get("/accordi/scadenze/").content.decode()
    assert "Bando Zqvicino" in text and "Zqscartato" not in text


def _feed(user: Any) -> str:
    from ponti.meetings import services

    token = services.issue_calendar_feed(user=user)
    response = Client().get(f"/incontri/calendario/{token}.ics")
    assert response.status_code == 200
    return response.content.decode()


def test_the_ics_feed_has_the_followed_deadlines_at_their_instant(
    make_opportunity: Any, personas: Any
) -> None:
    user = personas["ufficio"]
    due = timezone.now().astimezone(brussels(2026, 1, 1).tzinfo).replace(
        hour=17, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=20)
    make_opportunity(deadlines=[due], title="Bando Zqseguito", decision="interessante")
    make_opportunity(deadlines=[due], title="Bando Zqmio", topic_identifier="MIO-1", owner=user)
    make_opportunity(deadlines=[due], title="Bando Zqignoto", topic_identifier="ALTRO-1")
    make_opportunity(
        deadlines=[due], title="Bando Zqscartato", topic_identifier="NO-1", decision="scartata"
    )
    text = _feed(user)
    assert "Zqseguito" in text and "Zqmio" in text
    assert "Zqignoto" not in text and "Zqscartato" not in text
    cal = icalendar.Calendar.from_ical(text)
    events = [e for e in cal.walk("VEVENT") if "Zqseguito" in str(e.get("summary"))]
    assert len(events) == 1
    start = events[0].get("dtstart")
    assert start.params.get("TZID") == "Europe/Brussels"
    assert start.dt == due and start.dt.hour == 17
    assert any(tz.get("tzid") == "Europe/Brussels" for tz in cal.walk("VTIMEZONE"))
    assert "DTSTART;TZID=Europe/Brussels:" in text


# --- saved searches ---------------------------------------------------------------------


def test_a_saved_search_is_saved_listed_reapplied_and_deleted_on_the_page(
    personas: Any, cerv: Any, ente: Any
) -> None:
    client = Client()
    client.force_login(personas["segreteria"])
    response = client.post(
        "/opportunita/ricerche/",
        {"name": "CERV entro 60", "programme": cerv.pk, "within_days": "60", "q": "città"},
    )
    assert response.status_code == 302
    search = SavedSearch.objects.get()
    assert search.owner == personas["segreteria"] and search.ente == ente
    assert search.params == {"q": "città", "programme": str(cerv.pk), "within_days": "60"}
    page = client.get("/opportunita/").content.decode()
    assert "CERV entro 60" in page and "Salva questa ricerca" in page
    opened = client.get(f"/opportunita/ricerche/{search.pk}/")
    assert opened.status_code == 302 and "within_days=60" in opened["Location"]
    assert client.get(opened["Location"]).status_code == 200
    other = Client()
    other.force_login(personas["ufficio"])
    assert other.get(f"/opportunita/ricerche/{search.pk}/").status_code == 404
    assert other.post(f"/opportunita/ricerche/{search.pk}/elimina/").status_code == 404
    assert "CERV entro 60" not in other.get("/opportunita/").content.decode()
    assert client.post(f"/opportunita/ricerche/{search.pk}/elimina/").status_code == 302
    assert not SavedSearch.objects.exists()


def test_a_saved_search_is_audited(personas: Any) -> None:
    client = Client()
    client.force_login(personas["ufficio"])
    client.post("/opportunita/ricerche/", {"name": "Tutto", "kind": "bando_ue"})
    search = SavedSearch.objects.get()
    events = AuditEvent.objects.filter(content_type__model="savedsearch", object_id=search.pk)
    assert events.count() == 1 and events.get().actor == personas["ufficio"]
    client.post(f"/opportunita/ricerche/{search.pk}/elimina/")
    assert events.count() == 2


def test_the_saved_searches_api_is_each_users_own(personas: Any, cerv: Any) -> None:
    mine = token_client(personas["ufficio"])
    theirs = token_client(personas["consigliere"])
    created = mine.post(
        "/opportunities/saved-searches",
        {"name": "CERV", "params": {"programme": cerv.pk, "call_status": "open"}},
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert [s["name"] for s in mine.get("/opportunities/saved-searches").json()] == ["CERV"]
    assert theirs.get("/opportunities/saved-searches").json() == []
    assert theirs.delete(f"/opportunities/saved-searches/{pk}").status_code == 404
    duplicate = mine.post("/opportunities/saved-searches", {"name": "CERV"})
    assert duplicate.status_code == 422
    unknown = mine.post("/opportunities/saved-searches", {"name": "X", "params": {"colour": 1}})
    assert unknown.status_code == 422
    assert mine.delete(f"/opportunities/saved-searches/{pk}").status_code == 204
    assert mine.get("/opportunities/saved-searches").json() == []


def test_new_matches_are_reported_once_to_the_owner(
    make_opportunity: Any, personas: Any, cerv: Any
) -> None:
    owner = personas["ufficio"]
    api = token_client(owner)
    api.post("/opportunities/saved-searches", {"name": "CERV", "params": {"programme": cerv.pk}})
    search = SavedSearch.objects.get()
    search.last_seen_at = timezone.now() - datetime.timedelta(hours=1)
    search.save()
    make_opportunity(title="Bando Zqnuovo")
    make_opportunity(title="Altro programma", topic_identifier="OTHER-1", programme=None)
    today = timezone.localdate()
    news = [i for i in collect(today) if i.key.startswith("savedsearch:")]
    assert len(news) == 1
    assert news[0].title == "Nuovi bandi per la ricerca «CERV»: 1"
    assert news[0].recipients == (owner.pk,)
    mail.outbox.clear()
    call_command("scadenze", stdout=io.StringIO())
    assert sum("«CERV»: 1" in m.body for m in mail.outbox if owner.email in m.to) == 1
    call_command("scadenze", stdout=io.StringIO())  # the same news is not sent again
    assert sum("«CERV»: 1" in m.body for m in mail.outbox) == 1
    assert api.get("/opportunities/saved-searches").json()[0]["new_matches"] == 1
    client = Client()
    client.force_login(owner)
    client.get(f"/opportunita/ricerche/{search.pk}/")  # opened: seen
    assert not [i for i in collect(today) if i.key.startswith("savedsearch:")]
    # Another's reader never gets the owner's news.
    assert personas["consigliere"].pk not in news[0].recipients


def test_a_saved_search_with_a_nul_character_is_refused_with_a_message(
    make_user: Any, ente: Any
) -> None:
    from django.core.exceptions import ValidationError

    from ponti.opportunities.saved_searches import create_saved_search

    user = make_user("ufficio", username="nul", enti=[ente])
    for name, params in (("Bandi\x00", {}), ("Bandi", {"q": "città\x00"})):
        try:
            create_saved_search(user=user, ente=ente, name=name, params=params)
        except ValidationError as exc:
            assert "U+0000" in " ".join(exc.messages)
        else:
            raise AssertionError("a NUL character was saved")
