"""Visit requests: intake, screening, decision; accepting creates the delegation's meeting."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from ponti.meetings import services
from ponti.meetings.models import ScreeningCriterion, VisitRequest


def test_accepting_a_request_creates_the_meeting(client, personas, ente, make_org):
    reims = make_org(name="Ville de Reims")
    ScreeningCriterion.objects.create(ente=ente, text="Coerenza con le priorità dell'ente")
    client.force_login(personas["ufficio"])
    response = client.post(
        "/incontri/richieste/nuova/",
        {
            "received_on": "2026-11-20",
            "channel": "email",
            "requester": str(reims.pk),
            "purpose": "Visita per il gemellaggio",
            "proposed_start": "2027-02-10",
            "proposed_end": "2027-02-11",
            "delegation": "Anne Martin, Sindaca\nPaul Roux, Assessore",
            "languages": "francese",
            "interpreters_needed": "on",
            "confidentiality": "interno",
        },
    )
    assert response.status_code == 302
    visit = VisitRequest.objects.get()
    page = client.get(f"/incontri/richieste/{visit.pk}/").content.decode()
    assert "Coerenza con le priorità" in page and "Anne Martin, Sindaca" in page
    criterion = ScreeningCriterion.objects.get()
    client.post(
        f"/incontri/richieste/{visit.pk}/valutazione/", {f"c{criterion.pk}": "on", "notes": "ok"}
    )
    visit.refresh_from_db()
    assert visit.checklist["answers"] == {str(criterion.pk): True}
    response = client.post(
        f"/incontri/richieste/{visit.pk}/decisione/", {"decision": "accetta", "confirm": "on"}
    )
    visit.refresh_from_db()
    meeting = visit.meeting
    assert response.status_code == 302 and response["Location"] == f"/incontri/{meeting.pk}/"
    assert visit.decision == "accettata" and visit.decided_by == personas["ufficio"]
    assert meeting.kind == "delegazione" and meeting.status == "confermato"
    assert list(meeting.counterparts.all()) == [reims]
    assert meeting.day == datetime.date(2027, 2, 10)
    assert {p.guest_name for p in meeting.participants.all()} == {"Anne Martin", "Paul Roux"}


def test_a_request_accepted_without_confirmed_dates_is_in_valutazione(personas, ente, make_org):
    visit = services.create_visit_request(
        user=personas["segreteria"],
        ente=ente,
        data={
            "requester": make_org(),
            "purpose": "Incontro",
            "proposed_dates_note": "primavera 2027",
        },
    )
    services.decide_visit_request(visit, user=personas["segreteria"], accept=True, confirm=False)
    assert visit.meeting.status == "valutazione"
    assert visit.meeting.period == "primavera 2027" and visit.meeting.starts_at is None
    assert visit.meeting.when_text == "primavera 2027"


def test_declining_needs_a_reason(personas, ente, make_org):
    visit = services.create_visit_request(
        user=personas["ufficio"], ente=ente, data={"requester": make_org(), "purpose": "x"}
    )
    with pytest.raises(ValidationError):
        services.decide_visit_request(visit, user=personas["ufficio"], accept=False, reason=" ")
    services.decide_visit_request(
        visit, user=personas["ufficio"], accept=False, reason="Date non disponibili"
    )
    assert visit.decision == "rifiutata" and visit.meeting is None
    with pytest.raises(ValidationError):
        services.decide_visit_request(visit, user=personas["ufficio"], accept=True)


def test_the_criteria_page_adds_and_switches_off(client, personas, ente):
    client.force_login(personas["ufficio"])
    client.post("/incontri/criteri/", {"new": "Livello istituzionale della delegazione"})
    c = ScreeningCriterion.objects.get(ente=ente)
    assert c.active
    client.post("/incontri/criteri/", {f"text-{c.pk}": "Livello della delegazione"})
    c.refresh_from_db()
    assert c.text == "Livello della delegazione" and not c.active
