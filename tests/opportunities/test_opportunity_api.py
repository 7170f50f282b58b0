"""The opportunities API: same rules as the pages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.helpers import token_client

pytestmark = pytest.mark.django_db

BODY = {
    "kind": "bando_ue",
    "title": "Gemellaggio di città",
    "title_en": "Town twinning",
    "call_identifier": "CERV-2026-CITIZENS-TOWN",
    "topic_identifier": "CERV-2026-CITIZENS-TOWN-TT",
    "opens_on": "2026-01-15",
    "deadlines": [{"due_at": "2026-09-15T17:00:00+02:00"}],
    "budget": "4500000.00",
    "grant_size": 30000,
    "countries": ["IT", "FR"],
    "sectors": ["cultura"],
}


def test_an_editor_creates_reads_and_updates_with_the_version(personas: Any, cerv: Any) -> None:
    api = token_client(personas["ufficio"])
    response = api.post("/opportunities", {**BODY, "programme_id": cerv.pk})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["decision"] == "da_valutare"
    assert body["deadlines"][0]["due_at"].startswith("2026-09-15T17:00:00+02:00")
    assert body["programme_code"] == "43251589"
    assert body["allowed_decisions"] == ["interessante", "scartata"]
    pk = body["id"]
    assert api.get(f"/opportunities/{pk}").json()["title"] == "Gemellaggio di città"
    patched = api.patch(f"/opportunities/{pk}", {"version": 1, "title": "Nuovo titolo"})
    assert patched.status_code == 200 and patched.json()["version"] == 2
    stale = api.patch(f"/opportunities/{pk}", {"version": 1, "title": "Altro"})
    assert stale.status_code == 409


def test_bad_input_is_a_422_naming_the_field(personas: Any) -> None:
    api = token_client(personas["ufficio"])
    naive = api.post("/opportunities", {**BODY, "deadlines": [{"due_at": "2026-09-15T17:00:00"}]})
    assert naive.status_code == 422
    early = api.post("/opportunities", {**BODY, "deadlines": [{"due_at": "2025-09-15T17:00:00Z"}]})
    assert early.status_code == 422 and "deadlines" in early.json()["errors"]
    grant = api.post("/opportunities", {**BODY, "budget": 1000, "grant_size": 2000})
    assert grant.status_code == 422 and "grant_size" in grant.json()["errors"]
    assert api.post("/opportunities", {**BODY, "countries": ["XX"]}).status_code == 422
    assert api.post("/opportunities", {**BODY, "programme_id": 99999}).status_code == 422


def test_the_same_topic_twice_in_an_ente_is_refused(personas: Any) -> None:
    api = token_client(personas["ufficio"])
    assert api.post("/opportunities", BODY).status_code == 201
    assert api.post("/opportunities", BODY).status_code == 422


def test_the_decision_steps_through_the_api(personas: Any, make_opportunity: Any) -> None:
    o = make_opportunity()
    api = token_client(personas["consigliere"])
    url = f"/opportunities/{o.pk}/decision"
    assert api.post(url, {"target": "presentata"}).status_code == 422
    assert api.post(url, {"target": "scartata"}).status_code == 422
    done = api.post(url, {"target": "scartata", "reason": "Fuori tema"})
    assert done.status_code == 200 and done.json()["decision_reason"] == "Fuori tema"


def test_readers_read_but_may_not_write(personas: Any, make_opportunity: Any) -> None:
    o = make_opportunity()
    api = token_client(personas["segreteria"])
    assert api.get(f"/opportunities/{o.pk}").status_code == 200
    assert api.get(f"/opportunities/{o.pk}").json()["allowed_decisions"] == []
    assert api.post("/opportunities", BODY).status_code == 403
    assert api.patch(f"/opportunities/{o.pk}", {"version": 1, "title": "x"}).status_code == 403
    assert (
        api.post(f"/opportunities/{o.pk}/decision", {"target": "interessante"}).status_code == 403
    )


def test_a_riservato_opportunity_is_hidden_from_a_reader_without_clearance(
    make_user: Any, make_opportunity: Any
) -> None:
    secret = make_opportunity(confidentiality="riservato", title="Segreto")
    reader = make_user("revisore")
    api = token_client(reader)
    assert api.get(f"/opportunities/{secret.pk}").status_code == 404
    assert api.get("/opportunities").json()["count"] == 0
    export = api.get("/opportunities/export", {"format": "csv"})
    assert b"Segreto" not in b"".join(export.streaming_content)


def test_the_list_filters_like_the_page(personas: Any, make_opportunity: Any, cerv: Any) -> None:
    make_opportunity(title="Gemellaggio")
    make_opportunity(title="Clima", title_en="Climate", topic_identifier="H", programme=None)
    api = token_client(personas["revisore"])
    assert [i["title"] for i in api.get("/opportunities", {"q": "climate"}).json()["items"]] == [
        "Clima"
    ]
    by_programme = api.get("/opportunities", {"programme_id": cerv.pk}).json()
    assert [i["title"] for i in by_programme["items"]] == ["Gemellaggio"]
    assert api.get("/opportunities", {"call_status": "bogus"}).status_code == 422
