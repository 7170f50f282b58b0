"""The audit trail of organisations and people: readable through the API, never writable."""

from __future__ import annotations

import pytest

from ponti.core.models import AuditEvent
from ponti.partners.models import Position


def test_it_shows_who_changed_what_and_when(api_as, make_org):
    org = make_org(name="Kassel", city="Kassel")
    api_as("consigliere").patch(
        f"/organisations/{org.pk}", {"version": 1, "city": "Kassel (Hessen)"}
    )
    response = api_as("revisore").get(f"/organisations/{org.pk}/history")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2  # created by the test factory, then changed through the API
    latest = body["items"][0]
    assert latest["actor"] == "consigliere" and latest["action"] == "update"
    assert latest["action_label"] == "Modifica" and latest["at"]
    assert latest["changes"] == {"city": ["Kassel", "Kassel (Hessen)"]}
    assert latest["object_type"] == "organisation" and latest["object_version"] == 2


def test_the_history_of_an_organisation_includes_its_positions_and_names(
    api, make_org, make_person
):
    org = make_org(name="Kyoto")
    person = make_person()
    api.post(f"/organisations/{org.pk}/positions", {"person_id": person.pk, "role": "Sindaco"})
    api.patch(
        f"/organisations/{org.pk}",
        {"version": 1, "other_names": [{"language": "ja", "name": "京都市"}]},
    )
    types = {e["object_type"] for e in api.get(f"/organisations/{org.pk}/history").json()["items"]}
    assert {"organisation", "position", "organisationname"} <= types
    person_types = {
        e["object_type"] for e in api.get(f"/people/{person.pk}/history").json()["items"]
    }
    assert person_types == {"person", "position"}


def test_the_history_is_paginated(api, make_org):
    org = make_org()
    for version in range(1, 6):
        api.patch(f"/organisations/{org.pk}", {"version": version, "city": f"Città {version}"})
    body = api.get(f"/organisations/{org.pk}/history", {"limit": 2, "offset": 1}).json()
    assert body["count"] == 6 and len(body["items"]) == 2
    assert body["items"][0]["changes"]["city"][1] == "Città 4"


def test_it_hides_events_of_records_above_the_users_clearance(api_as, make_org, make_person):
    org = make_org(name="Kyoto")
    agent = make_person(last_name="Bond", confidentiality="riservato")
    Position.objects.create(person=agent, organisation=org, role="Agente")
    consigliere = api_as("consigliere").get(f"/organisations/{org.pk}/history").json()
    revisore = api_as("revisore").get(f"/organisations/{org.pk}/history").json()
    assert "position" in {e["object_type"] for e in consigliere["items"]}
    assert "position" not in {e["object_type"] for e in revisore["items"]}
    assert not any("Bond" in e["object_repr"] for e in revisore["items"])


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_nobody_may_write_the_history(api_as, make_org, make_person, method):
    org, person = make_org(), make_person()
    clients = [api_as(role).client for role in ["amministratore", "ufficio"]]
    before = AuditEvent.objects.count()
    for client in clients:
        for path in [
            f"/api/v1/organisations/{org.pk}/history",
            f"/api/v1/people/{person.pk}/history",
        ]:
            response = getattr(client, method)(path, {}, content_type="application/json")
            assert response.status_code == 405, (method, path)
    assert AuditEvent.objects.count() == before


def test_the_openapi_document_offers_only_get_on_history(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/organisations/{organisation_id}/history",
        "/api/v1/people/{person_id}/history",
    ]:
        assert set(paths[path]) == {"get"}
