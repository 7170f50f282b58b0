"""People through the API: list, search, retrieve, create, update, delete, current positions."""

from __future__ import annotations

import datetime

from ponti.partners.models import Person, Position
from tests.api.helpers import errors_of, person_payload


def test_it_creates_a_person(api):
    response = api.post(
        "/people",
        person_payload(
            honorific="S.E.",
            email="sindaco@city.kyoto.jp",
            phone="+81 75 222 3111",
            gdpr_basis="public_task",
            gdpr_date="2025-01-15",
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["full_name"] == "Daisaku Kadokawa" and body["honorific"] == "S.E."
    assert body["gdpr_basis"] == "public_task" and body["gdpr_date"] == "2025-01-15"
    assert body["version"] == 1 and body["current_positions"] == []
    assert Person.objects.get(pk=body["id"]).email == "sindaco@city.kyoto.jp"


def test_the_collection_date_defaults_to_today(api):
    response = api.post("/people", person_payload())
    assert response.json()["gdpr_date"] == datetime.date.today().isoformat()


def test_it_lists_people_with_their_current_positions(api, make_org, make_person):
    kyoto = make_org(name="Kyoto")
    mayor = make_person(first_name="Daisaku", last_name="Kadokawa")
    make_person(first_name="Anna", last_name="Bianchi")
    Position.objects.create(person=mayor, organisation=kyoto, role="Sindaco")
    Position.objects.create(
        person=mayor,
        organisation=kyoto,
        role="Vicesindaco",
        start_date=datetime.date(2000, 1, 1),
        end_date=datetime.date(2007, 12, 31),
    )
    response = api.get("/people")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [p["last_name"] for p in body["items"]] == ["Bianchi", "Kadokawa"]
    assert [p["role"] for p in body["items"][1]["current_positions"]] == ["Sindaco"]


def test_it_searches_people_without_accents(api, make_person):
    make_person(first_name="José", last_name="Núñez")
    make_person(first_name="Anna", last_name="Bianchi")
    response = api.get("/people", {"q": "jose nunez"})
    assert [p["last_name"] for p in response.json()["items"]] == ["Núñez"]


def test_it_filters_people_by_organisation(api, make_org, make_person):
    kyoto = make_org(name="Kyoto")
    mayor = make_person(last_name="Kadokawa")
    make_person(last_name="Bianchi")
    Position.objects.create(person=mayor, organisation=kyoto, role="Sindaco")
    Position.objects.create(person=mayor, organisation=kyoto, role="Presidente")
    response = api.get("/people", {"organisation_id": kyoto.pk})
    assert [p["last_name"] for p in response.json()["items"]] == ["Kadokawa"]
    assert response.json()["count"] == 1


def test_it_hides_positions_in_organisations_the_user_may_not_see(api_as, make_org, make_person):
    secret = make_org(name="Servizio", confidentiality="riservato")
    person = make_person(last_name="Rossi")
    Position.objects.create(person=person, organisation=secret, role="Agente")
    assert len(api_as("consigliere").get(f"/people/{person.pk}").json()["current_positions"]) == 1
    assert api_as("revisore").get(f"/people/{person.pk}").json()["current_positions"] == []


def test_it_patches_a_person(api, make_person):
    person = make_person(first_name="Maria", last_name="Rossi", title="Console")
    response = api.patch(f"/people/{person.pk}", {"version": 1, "title": "Console generale"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (
        body["title"] == "Console generale"
        and body["first_name"] == "Maria"
        and body["version"] == 2
    )


def test_it_replaces_a_person_with_put(api, make_person):
    person = make_person(first_name="Maria", last_name="Rossi", title="Console")
    response = api.put(f"/people/{person.pk}", person_payload(version=1))
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "" and response.json()["last_name"] == "Kadokawa"


def test_it_refuses_a_malformed_email_or_phone(api):
    errors = errors_of(api.post("/people", person_payload(email="sindaco@kyoto", phone="chiamami")))
    assert set(errors) == {"email", "phone"}


def test_it_deletes_a_person(api, make_person):
    person = make_person()
    assert api.delete(f"/people/{person.pk}").status_code == 204
    assert not Person.objects.filter(pk=person.pk).exists()
