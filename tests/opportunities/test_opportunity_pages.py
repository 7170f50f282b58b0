"""The opportunities' pages: list with filters and exports, detail, create, edit, decision."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.opportunities.conftest import brussels

pytestmark = pytest.mark.django_db


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_the_programmes_are_loaded_with_the_cities_ones(db: Any) -> None:
    from ponti.opportunities.models import Programme

    assert Programme.objects.get(code="43251589").for_cities  # CERV
    assert Programme.objects.filter(code="", name__icontains="Interreg Europe").exists()
    assert Programme.objects.count() == 66


def test_an_office_user_creates_an_opportunity_with_deadlines_in_brussels_time(
    client: Client, personas: Any, cerv: Any
) -> None:
    from ponti.core.models import AuditEvent
    from ponti.opportunities.models import Opportunity

    _login(client, personas["ufficio"])
    response = client.post(
        "/opportunita/nuova/",
        {
            "kind": "bando_ue",
            "title": "Gemellaggio di città 2026",
            "title_en": "Town twinning 2026",
            "programme": cerv.pk,
            "call_identifier": "CERV-2026-CITIZENS-TOWN",
            "topic_identifier": "CERV-2026-CITIZENS-TOWN-TT",
            "opens_on": "2026-01-15",
            "deadline_model": "single-stage",
            "deadlines": "15/09/2026 17:00",
            "budget": "4.500.000,00",
            "grant_size": "30.000,00",
            "countries": "IT, Francia",
            "confidentiality": "interno",
        },
    )

    assert response.status_code == 302
    o = Opportunity.objects.get()
    assert o.decision == "da_valutare"
    assert o.budget == 4500000 and o.grant_size == 30000
    assert o.countries == ["IT", "FR"]
    assert [d.due_at for d in o.deadlines.all()] == [brussels(2026, 9, 15)]
    assert AuditEvent.objects.for_object(o).filter(action="create").exists()
    page = client.get(f"/opportunita/{o.pk}/").content.decode()
    assert "15 settembre 2026, 17:00" in page
    assert "4.500.000,00" in page


def test_a_deadline_before_the_opening_is_refused(client: Client, personas: Any) -> None:
    _login(client, personas["ufficio"])
    response = client.post(
        "/opportunita/nuova/",
        {
            "kind": "bando",
            "title": "Bando regionale",
            "opens_on": "2026-05-01",
            "deadline_model": "single-stage",
            "deadlines": "30/04/2026 12:00",
            "confidentiality": "interno",
        },
    )
    assert response.status_code == 200
    assert "precede l&#x27;apertura" in response.content.decode()


def test_a_grant_larger_than_the_budget_is_refused(client: Client, personas: Any) -> None:
    _login(client, personas["ufficio"])
    response = client.post(
        "/opportunita/nuova/",
        {
            "kind": "bando",
            "title": "Bando regionale",
            "deadline_model": "single-stage",
            "budget": "1000",
            "grant_size": "2000",
            "confidentiality": "interno",
        },
    )
    assert response.status_code == 200
    assert "non può superare il budget" in response.content.decode()


def test_readers_see_but_do_not_edit(client: Client, personas: Any, make_opportunity: Any) -> None:
    o = make_opportunity()
    _login(client, personas["revisore"])
    assert client.get(f"/opportunita/{o.pk}/").status_code == 200
    assert client.get(f"/opportunita/{o.pk}/modifica/").status_code == 403
    assert client.get("/opportunita/nuova/").status_code == 403
    response = client.post(f"/opportunita/{o.pk}/decisione/", {"target": "interessante"})
    assert response.status_code == 403


def test_another_entes_opportunity_is_not_found(
    client: Client, make_user: Any, other_ente: Any, make_opportunity: Any
) -> None:
    o = make_opportunity(ente=other_ente)
    _login(client, make_user("ufficio"))
    assert client.get(f"/opportunita/{o.pk}/").status_code == 404
    assert o.title not in client.get("/opportunita/").content.decode()


def test_the_decision_moves_and_a_discard_needs_a_reason(
    client: Client, personas: Any, make_opportunity: Any
) -> None:
    o = make_opportunity()
    _login(client, personas["ufficio"])
    client.post(f"/opportunita/{o.pk}/decisione/", {"target": "interessante"})
    o.refresh_from_db()
    assert o.decision == "interessante"
    client.post(f"/opportunita/{o.pk}/decisione/", {"target": "scartata"})
    o.refresh_from_db()
    assert o.decision == "interessante"
    client.post(f"/opportunita/{o.pk}/decisione/", {"target": "finanziata"})
    o.refresh_from_db()
    assert o.decision == "interessante"  # not a step from here
    client.post(
        f"/opportunita/{o.pk}/decisione/", {"target": "scartata", "reason": "Nessun partner"}
    )
    o.refresh_from_db()
    assert (o.decision, o.decision_reason) == ("scartata", "Nessun partner")
    assert [s.target for s in o.steps.all()] == ["interessante", "scartata"]


def test_the_call_status_is_computed_from_the_dates(make_opportunity: Any) -> None:
    from ponti.opportunities.models import Opportunity

    now = timezone.now()
    soon = make_opportunity(
        title="In arrivo", topic_identifier="A", opens_on=now.date() + datetime.timedelta(days=10)
    )
    open_ = make_opportunity(
        title="Aperto", topic_identifier="B", deadlines=[now + datetime.timedelta(days=5)]
    )
    closed = make_opportunity(
        title="Chiuso", topic_identifier="C", deadlines=[now - datetime.timedelta(days=5)]
    )
    assert [soon.call_status(), open_.call_status(), closed.call_status()] == [
        "forthcoming",
        "open",
        "closed",
    ]
    for status, expected in (("forthcoming", soon), ("open", open_), ("closed", closed)):
        assert list(Opportunity.objects.call_status(status)) == [expected]


def test_the_list_filters_and_exports(client: Client, personas: Any, make_opportunity: Any) -> None:
    now = timezone.now()
    make_opportunity(title="Gemellaggio", deadlines=[now + datetime.timedelta(days=5)])
    make_opportunity(
        title="Missione città",
        title_en="Climate-neutral cities",
        topic_identifier="H1",
        programme=None,
        deadlines=[now + datetime.timedelta(days=60)],
    )
    _login(client, personas["revisore"])
    assert "Missione città" in client.get("/opportunita/?q=climate").content.decode()
    assert "Gemellaggio" not in client.get("/opportunita/?q=climate").content.decode()
    day = (now + datetime.timedelta(days=5)).date().isoformat()
    page = client.get(f"/opportunita/?deadline_from={day}&deadline_to={day}").content.decode()
    assert "Gemellaggio" in page and "Missione città" not in page
    assert "Missione" not in client.get("/opportunita/?call_status=closed").content.decode()
    csv = b"".join(client.get("/opportunita/?export=csv&q=gemell").streaming_content).decode()
    assert "Gemellaggio" in csv and "Identificativo del topic" in csv
    for fmt in ("xlsx", "ods"):
        assert client.get(f"/opportunita/?export={fmt}").status_code == 200


def test_an_edit_on_a_stale_version_is_refused(
    client: Client, personas: Any, make_opportunity: Any
) -> None:
    o = make_opportunity()
    _login(client, personas["ufficio"])
    data = {
        "kind": "bando_ue",
        "title": "Titolo nuovo",
        "deadline_model": "single-stage",
        "confidentiality": "interno",
        "version": o.version,
        "deadlines": "01/10/2026 17:00\n01/03/2027 17:00",
    }
    assert client.post(f"/opportunita/{o.pk}/modifica/", data).status_code == 302
    o.refresh_from_db()
    assert o.title == "Titolo nuovo" and o.deadlines.count() == 2
    response = client.post(f"/opportunita/{o.pk}/modifica/", {**data, "title": "Altro"})
    assert response.status_code == 200  # the version read is now old: a conflict
    o.refresh_from_db()
    assert o.title == "Titolo nuovo"
