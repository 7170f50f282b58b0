"""Every role × every operation of the API: the same rules as the pages."""

from __future__ import annotations

import pytest

from ponti.partners.models import Organisation, Person, Position
from tests.api.helpers import org_payload, person_payload, token_client
from tests.conftest import ROLES

EDITORS = {"amministratore", "ufficio", "consigliere"}
CURATORS = {"amministratore", "ufficio"}  # may delete organisations and people


@pytest.fixture
def world(make_org, make_person):
    org = make_org(name="Kyoto", country="JP")
    person = make_person(first_name="Daisaku", last_name="Kadokawa")
    position = Position.objects.create(person=person, organisation=org, role="Sindaco")
    return {"org": org, "person": person, "position": position}


def _expect(role: str, allowed: set[str], ok: int) -> int:
    return ok if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_list_and_retrieve(api_as, world, role):
    api = api_as(role)
    for path in [
        "/organisations",
        f"/organisations/{world['org'].pk}",
        f"/organisations/{world['org'].pk}/positions",
        f"/organisations/{world['org'].pk}/history",
        "/people",
        f"/people/{world['person'].pk}",
        f"/people/{world['person'].pk}/positions",
        f"/people/{world['person'].pk}/history",
        f"/positions/{world['position'].pk}",
    ]:
        assert api.get(path).status_code == 200, f"{role} GET {path}"


@pytest.mark.parametrize("role", ROLES)
def test_organisation_writes_follow_the_role(api_as, world, role):
    api = api_as(role)
    org = world["org"]
    created = api.post("/organisations", org_payload(name="Nuova"))
    assert created.status_code == _expect(role, EDITORS, 201)
    updated = api.patch(f"/organisations/{org.pk}", {"version": 1, "city": "Kyōto"})
    assert updated.status_code == _expect(role, EDITORS, 200)
    replaced = api.put(f"/organisations/{org.pk}", org_payload(version=2 if role in EDITORS else 1))
    assert replaced.status_code == _expect(role, EDITORS, 200)
    deleted = api.delete(f"/organisations/{org.pk}")
    assert deleted.status_code == _expect(role, CURATORS, 204)
    assert Organisation.objects.filter(pk=org.pk).exists() == (role not in CURATORS)


@pytest.mark.parametrize("role", ROLES)
def test_person_writes_follow_the_role(api_as, world, role):
    api = api_as(role)
    person = world["person"]
    assert api.post("/people", person_payload(last_name="Nuovo")).status_code == _expect(
        role, EDITORS, 201
    )
    patched = api.patch(f"/people/{person.pk}", {"version": 1, "title": "Sindaco"})
    assert patched.status_code == _expect(role, EDITORS, 200)
    replaced = api.put(f"/people/{person.pk}", person_payload(version=2 if role in EDITORS else 1))
    assert replaced.status_code == _expect(role, EDITORS, 200)
    assert api.delete(f"/people/{person.pk}").status_code == _expect(role, CURATORS, 204)
    assert Person.objects.filter(pk=person.pk).exists() == (role not in CURATORS)


@pytest.mark.parametrize("role", ROLES)
def test_position_writes_follow_the_role(api_as, world, role):
    api = api_as(role)
    org, person, position = world["org"], world["person"], world["position"]
    added = api.post(
        f"/organisations/{org.pk}/positions", {"person_id": person.pk, "role": "Presidente"}
    )
    assert added.status_code == _expect(role, EDITORS, 201)
    added = api.post(
        f"/people/{person.pk}/positions", {"organisation_id": org.pk, "role": "Delegato"}
    )
    assert added.status_code == _expect(role, EDITORS, 201)
    patched = api.patch(f"/positions/{position.pk}", {"version": 1, "end_date": "2030-01-01"})
    assert patched.status_code == _expect(role, EDITORS, 200)
    replaced = api.put(
        f"/positions/{position.pk}", {"version": 2 if role in EDITORS else 1, "role": "Sindaco"}
    )
    assert replaced.status_code == _expect(role, EDITORS, 200)
    # deleting a position is an editor's task, as on the pages
    assert api.delete(f"/positions/{position.pk}").status_code == _expect(role, EDITORS, 204)


def test_it_rejects_a_revisore_update(api_as, world):
    org = world["org"]
    response = api_as("revisore").patch(
        f"/organisations/{org.pk}", {"version": 1, "name": "Hacked"}
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Permesso negato."}
    org.refresh_from_db()
    assert org.name == "Kyoto" and org.version == 1


def test_it_rejects_a_responsabile_delete(api_as, world):
    assert api_as("responsabile").delete(f"/organisations/{world['org'].pk}").status_code == 403


def test_it_rejects_a_consigliere_delete_of_a_person(api_as, world):
    assert api_as("consigliere").delete(f"/people/{world['person'].pk}").status_code == 403


def test_a_user_without_a_role_gets_403(make_user, world):
    api = token_client(make_user(None))
    assert api.get("/organisations").status_code == 403
    assert api.get(f"/organisations/{world['org'].pk}").status_code == 403


def test_a_riservato_organisation_is_404_for_a_revisore_and_visible_for_a_consigliere(
    api_as, make_org
):
    secret = make_org(name="Canale diplomatico", confidentiality="riservato")
    make_org(name="Reims")
    revisore = api_as("revisore")
    assert revisore.get(f"/organisations/{secret.pk}").status_code == 404
    assert revisore.get(f"/organisations/{secret.pk}/history").status_code == 404
    assert [o["name"] for o in revisore.get("/organisations").json()["items"]] == ["Reims"]
    consigliere = api_as("consigliere")
    assert consigliere.get(f"/organisations/{secret.pk}").status_code == 200
    assert consigliere.get("/organisations").json()["count"] == 2


def test_a_hidden_record_is_404_even_for_writes(api_as, make_org, make_user):
    """Not 403: the existence of a record above one's clearance is not disclosed."""
    secret = make_org(name="Canale diplomatico", confidentiality="riservato")
    api = api_as("revisore")
    assert api.patch(f"/organisations/{secret.pk}", {"version": 1, "city": "x"}).status_code == 404
    assert api.delete(f"/organisations/{secret.pk}").status_code == 404


@pytest.fixture
def editor_cleared_for_interno(make_user):
    """An editor whose Amministratore cleared them only up to "interno"."""
    user = make_user("consigliere", username="consigliere-interno", clearance="interno")
    return token_client(user)


def test_a_hidden_parent_is_an_unknown_parent(editor_cleared_for_interno, make_org):
    secret = make_org(name="Canale diplomatico", confidentiality="riservato")
    response = editor_cleared_for_interno.post("/organisations", org_payload(parent_id=secret.pk))
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "parent_id": [f"Nessuna organizzazione con ID {secret.pk}."]
    }


def test_an_editor_does_not_clear_a_parent_they_cannot_see(editor_cleared_for_interno, make_org):
    secret = make_org(name="Canale diplomatico", confidentiality="riservato")
    child = make_org(name="Ufficio", parent=secret)
    response = editor_cleared_for_interno.put(f"/organisations/{child.pk}", org_payload(version=1))
    assert response.status_code == 200 and response.json()["parent_id"] is None
    child.refresh_from_db()
    assert child.parent_id == secret.pk


def test_it_refuses_a_confidentiality_above_the_users_clearance(editor_cleared_for_interno):
    response = editor_cleared_for_interno.post(
        "/organisations", org_payload(confidentiality="riservato")
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["confidentiality"]
