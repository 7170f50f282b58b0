"""The meetings API: meetings, participants, visit requests, follow-up actions, gifts, dossier."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest

from tests.api.helpers import token_client

WRITERS = ["amministratore", "ufficio", "consigliere", "segreteria"]
READERS = ["responsabile", "revisore"]
ROLES = WRITERS + READERS


@pytest.fixture
def kyoto(make_org: Any) -> Any:
    return make_org(name="Città di Kyoto", country="JP", city="Kyoto")


@pytest.fixture
def meeting(personas: dict[str, Any], ente: Any, kyoto: Any) -> Any:
    from ponti.meetings.models import Meeting

    m = Meeting.objects.create(
        ente=ente, title="Incontro con Kyoto", status="confermato",
        starts_at=datetime.datetime(2026, 5, 10, 9, tzinfo=datetime.UTC),
    )  # fmt: skip
    m.counterparts.add(kyoto)
    return m


@pytest.fixture
def secret(ente: Any, kyoto: Any) -> Any:
    from ponti.meetings.models import Meeting

    m = Meeting.objects.create(
        ente=ente, title="Colloquio riservato", status="svolto", confidentiality="riservato",
        starts_at=datetime.datetime(2025, 3, 1, 9, tzinfo=datetime.UTC),
        minutes="<p>VERBALE SEGRETO</p>",
    )  # fmt: skip
    m.counterparts.add(kyoto)
    return m


def test_a_meeting_is_created_changed_and_moved_along(personas, kyoto):
    api = token_client(personas["ufficio"])
    body = {
        "title": "Visita del Sindaco di Kyoto", "kind": "delegazione",
        "starts_at": "2026-06-01T10:00:00+02:00", "ends_at": "2026-06-01T12:00:00+02:00",
        "counterpart_ids": [kyoto.pk], "agenda": "<p>Mostra<script>x()</script></p>",
    }  # fmt: skip
    response = api.post("/meetings", body)
    assert response.status_code == 201, response.json()
    out = response.json()
    assert out["counterparts"][0]["name"] == "Città di Kyoto" and "script" not in out["agenda"]
    assert out["allowed_statuses"] == ["valutazione", "confermato", "annullato"]
    pk = out["id"]
    assert (
        api.patch(f"/meetings/{pk}", {"version": 1, "place": "Palazzo Medici Riccardi"}).status_code
        == 200
    )
    stale = api.patch(f"/meetings/{pk}", {"version": 1, "place": "Altrove"})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert (
        api.post(f"/meetings/{pk}/status", {"status": "confermato"}).json()["status"]
        == "confermato"
    )
    refused = api.post(f"/meetings/{pk}/status", {"status": "richiesta"})
    assert refused.status_code == 422 and "status" in refused.json()["errors"]
    assert api.patch(f"/meetings/{pk}", {"version": 3, "status": "svolto"}).status_code == 422


def test_filters_find_meetings_by_status_dates_and_counterpart(personas, meeting, kyoto, make_org):
    api = token_client(personas["ufficio"])
    assert api.get("/meetings", {"status": "confermato"}).json()["count"] == 1
    assert api.get("/meetings", {"status": "svolto"}).json()["count"] == 0
    assert (
        api.get("/meetings", {"from_date": "2026-05-10", "to_date": "2026-05-10"}).json()["count"]
        == 1
    )
    assert api.get("/meetings", {"from_date": "2026-05-11"}).json()["count"] == 0
    assert api.get("/meetings", {"organisation_id": kyoto.pk}).json()["count"] == 1
    assert api.get("/meetings", {"organisation_id": make_org().pk}).json()["count"] == 0
    assert api.get("/meetings", {"q": "kyoto", "kind": "incontro"}).json()["count"] == 1
    assert api.get("/meetings", {"from_date": "10/05/2026"}).status_code == 422


def test_invalid_fields_are_422_naming_them(personas):
    api = token_client(personas["ufficio"])
    response = api.post(
        "/meetings",
        {"title": "", "starts_at": "2026-06-01 10:00", "timezone": "Mars/Olympus", "date": "2026"},
    )
    assert response.status_code == 422
    assert {"title", "starts_at", "timezone", "date"} <= set(response.json()["errors"])
    missing = api.post("/meetings", {"title": "Senza data", "counterpart_ids": [999999]})
    assert missing.status_code == 422 and {"counterpart_ids"} <= set(missing.json()["errors"])
    no_start = api.post("/meetings", {"title": "Senza data"})
    assert no_start.status_code == 422 and "starts_at" in no_start.json()["errors"]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_and_only_writers_write(role, personas, meeting):
    api = token_client(personas[role])
    assert api.get("/meetings").status_code == 200
    assert api.get(f"/meetings/{meeting.pk}").status_code == 200
    assert api.get(f"/meetings/{meeting.pk}/participants").status_code == 200
    for path in ("/visit-requests", "/actions", "/gifts"):
        assert api.get(path).status_code == 200
    writes = [
        api.post("/meetings", {"title": "Nuovo", "date": "2026-01-01", "date_precision": "year"}),
        api.patch(f"/meetings/{meeting.pk}", {"version": meeting.version, "topics": "porto"}),
        api.post("/visit-requests", {"purpose": "Visita di studio"}),
        api.post("/gifts", {"direction": "dato", "description": "Libro", "meeting_id": meeting.pk}),
        api.post(
            "/actions",
            {"description": "Scrivere", "owner_id": personas[role].pk, "meeting_id": meeting.pk},
        ),
    ]
    expected = 403 if role in READERS else None
    for response in writes:
        if expected:
            assert response.status_code == expected, response.json()
        else:
            assert response.status_code in (200, 201), response.json()


def test_no_credentials_is_401(meeting):
    from django.test import Client

    assert Client().get("/api/v1/meetings").status_code == 401
    assert Client().get(f"/api/v1/meetings/{meeting.pk}/dossier").status_code == 401


def test_a_riservato_meeting_and_its_minutes_never_reach_a_revisore(personas, meeting, secret):
    reader, cleared = token_client(personas["revisore"]), token_client(personas["ufficio"])
    listing = reader.get("/meetings").content.decode()
    assert "Colloquio riservato" not in listing and "VERBALE SEGRETO" not in listing
    assert reader.get(f"/meetings/{secret.pk}").status_code == 404
    assert reader.get(f"/meetings/{secret.pk}/participants").status_code == 404
    assert reader.get(f"/meetings/{secret.pk}/dossier").status_code == 404
    assert "VERBALE SEGRETO" in cleared.get(f"/meetings/{secret.pk}").json()["minutes"]


def test_another_entes_meeting_is_404(personas, meeting, make_user, other_ente):
    outsider = token_client(make_user("ufficio", username="prato", enti=[other_ente]))
    assert outsider.get(f"/meetings/{meeting.pk}").status_code == 404
    assert outsider.get(f"/meetings/{meeting.pk}/dossier", {"format": "docx"}).status_code == 404
    assert outsider.get("/meetings").json()["count"] == 0


def test_participants_warn_when_the_position_did_not_hold_that_day(
    personas, meeting, kyoto, make_person
):
    from ponti.partners.models import Position

    api = token_client(personas["ufficio"])
    mayor = make_person(first_name="Koji", last_name="Matsui")
    old = Position.objects.create(
        person=mayor,
        organisation=kyoto,
        role="Sindaco",
        start_date=datetime.date(2008, 1, 1),
        end_date=datetime.date(2020, 1, 1),
    )
    response = api.post(
        f"/meetings/{meeting.pk}/participants",
        {"side": "controparte", "person_id": mayor.pk, "position_id": old.pk},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["warning"] and "Sindaco" in response.json()["warning"]
    ok = api.post(
        f"/meetings/{meeting.pk}/participants",
        {"side": "nostro", "user_id": personas["consigliere"].pk},
    )
    assert ok.status_code == 201 and ok.json()["warning"] is None
    assert (
        api.post(f"/meetings/{meeting.pk}/participants", {"side": "controparte"}).status_code == 422
    )
    listed = api.get(f"/meetings/{meeting.pk}/participants").json()
    assert [p["name"] for p in listed] == ["consigliere", "Koji Matsui"] or len(listed) == 2
    pid = response.json()["id"]
    assert api.delete(f"/meetings/{meeting.pk}/participants/{pid}").status_code == 204
    assert api.delete(f"/meetings/{meeting.pk}/participants/{pid}").status_code == 404


def test_a_visit_request_is_accepted_into_a_meeting_or_declined_with_a_reason(personas, kyoto):
    api = token_client(personas["ufficio"])
    body = {
        "purpose": "Visita di studio sul restauro",
        "requester_id": kyoto.pk,
        "channel": "nota_verbale",
        "proposed_start": "2026-09-14",
        "proposed_end": "2026-09-15",
        "delegation": "Koji Matsui, Sindaco",
    }
    visit = api.post("/visit-requests", body)
    assert visit.status_code == 201, visit.json()
    pk = visit.json()["id"]
    assert (
        api.patch(
            f"/visit-requests/{pk}", {"version": 1, "languages": "giapponese, inglese"}
        ).status_code
        == 200
    )
    assert api.patch(f"/visit-requests/{pk}", {"version": 1, "languages": "x"}).status_code == 409
    decided = api.post(f"/visit-requests/{pk}/decision", {"accept": True})
    assert decided.status_code == 200 and decided.json()["decision"] == "accettata"
    meeting_id = decided.json()["meeting_id"]
    assert api.get(f"/meetings/{meeting_id}").json()["kind"] == "delegazione"
    assert (
        api.post(f"/visit-requests/{pk}/decision", {"accept": False, "reason": "x"}).status_code
        == 422
    )
    other = api.post("/visit-requests", {"purpose": "Promozione"}).json()["id"]
    no_reason = api.post(f"/visit-requests/{other}/decision", {"accept": False})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["errors"]
    declined = api.post(
        f"/visit-requests/{other}/decision", {"accept": False, "reason": "Agenda piena"}
    )
    assert declined.json()["decision"] == "rifiutata" and declined.json()["meeting_id"] is None
    assert api.post("/visit-requests", {"purpose": "x", "channel": "piccione"}).status_code == 422


def test_actions_belong_to_the_ente_and_mine_lists_my_own(personas, meeting, make_user, other_ente):
    api = token_client(personas["ufficio"])
    outsider = make_user("ufficio", username="prato", enti=[other_ente])
    refused = api.post(
        "/actions",
        {"description": "Inviare il catalogo", "owner_id": outsider.pk, "meeting_id": meeting.pk},
    )
    assert refused.status_code == 422 and "owner_id" in refused.json()["errors"]
    mine = api.post(
        "/actions",
        {
            "description": "Inviare il catalogo",
            "owner_id": personas["ufficio"].pk,
            "meeting_id": meeting.pk,
            "due_date": "2026-07-01",
        },
    )
    assert mine.status_code == 201, mine.json()
    api.post(
        "/actions",
        {
            "description": "Chiamare il consolato",
            "owner_id": personas["consigliere"].pk,
            "meeting_id": meeting.pk,
        },
    )
    assert [a["description"] for a in api.get("/actions", {"mine": "true"}).json()["items"]] == [
        "Inviare il catalogo"
    ]
    assert api.get("/actions").json()["count"] == 2
    pk = mine.json()["id"]
    done = api.patch(f"/actions/{pk}", {"version": 1, "status": "fatta"})
    assert done.status_code == 200 and done.json()["done_on"]
    assert api.patch(f"/actions/{pk}", {"version": 2, "owner_id": outsider.pk}).status_code == 422
    assert api.delete(f"/actions/{pk}").status_code == 204
    assert api.get("/actions", {"mine": "true"}).json()["count"] == 0


def test_gifts_flag_values_over_the_threshold(personas, meeting, kyoto):
    api = token_client(personas["ufficio"])
    cheap = api.post(
        "/gifts",
        {
            "direction": "ricevuto",
            "description": "Ventaglio",
            "counterpart_id": kyoto.pk,
            "estimated_value": 40,
        },
    )
    dear = api.post(
        "/gifts",
        {
            "direction": "ricevuto",
            "description": "Vaso antico",
            "meeting_id": meeting.pk,
            "estimated_value": 900.5,
        },
    )
    assert cheap.status_code == 201 and dear.status_code == 201, (cheap.json(), dear.json())
    assert cheap.json()["over_threshold"] is False and dear.json()["over_threshold"] is True
    assert api.get("/gifts", {"organisation_id": kyoto.pk}).json()["count"] == 2
    assert (
        api.patch(f"/gifts/{cheap.json()['id']}", {"version": 1, "estimated_value": 151}).json()[
            "over_threshold"
        ]
        is True
    )
    assert (
        api.post(
            "/gifts", {"direction": "dato", "description": "Libro", "estimated_value": -1}
        ).status_code
        == 422
    )
    assert api.post("/gifts", {"direction": "nascosto", "description": "Libro"}).status_code == 422
    reader = token_client(personas["revisore"])
    assert reader.get("/gifts").json()["count"] == 2
    assert reader.delete(f"/gifts/{cheap.json()['id']}").status_code == 403
    assert (
        reader.patch(f"/gifts/{cheap.json()['id']}", {"version": 2, "kept_at": "Sala"}).status_code
        == 403
    )
    assert api.delete(f"/gifts/{cheap.json()['id']}").status_code == 204


def test_the_dossier_comes_as_pdf_or_docx(personas, meeting):
    api = token_client(personas["revisore"])
    pdf = api.get(f"/meetings/{meeting.pk}/dossier", {"format": "pdf", "lang": "en"})
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )
    docx = api.get(f"/meetings/{meeting.pk}/dossier", {"format": "docx"})
    assert docx.status_code == 200

    from docx import Document

    assert "Incontro con Kyoto" in "\n".join(
        p.text for p in Document(io.BytesIO(docx.content)).paragraphs
    )
    assert api.get(f"/meetings/{meeting.pk}/dossier", {"format": "odt"}).status_code == 422
