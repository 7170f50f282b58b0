"""Positions over time: who held which role in which organisation, from when to when."""

from __future__ import annotations

import datetime

import pytest

from ponti.partners.models import Person, Position
from tests.api.helpers import errors_of


@pytest.fixture
def kyoto(make_org):
    return make_org(name="Kyoto", country="JP")


@pytest.fixture
def mayor(make_person):
    return make_person(first_name="Daisaku", last_name="Kadokawa")


def test_it_adds_a_position_for_an_existing_person(api, kyoto, mayor):
    response = api.post(
        f"/organisations/{kyoto.pk}/positions",
        {"person_id": mayor.pk, "role": "Sindaco", "start_date": "2008-02-25"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person_id"] == mayor.pk and body["organisation_id"] == kyoto.pk
    assert body["person_name"] == "Daisaku Kadokawa" and body["organisation_name"] == "Kyoto"
    assert body["start_date"] == "2008-02-25" and body["end_date"] is None and body["is_current"]


def test_it_adds_a_position_with_a_new_person_in_one_step(api, kyoto):
    response = api.post(
        f"/organisations/{kyoto.pk}/positions",
        {"person": {"first_name": "Koji", "last_name": "Matsui"}, "role": "Sindaco"},
    )
    assert response.status_code == 201, response.content
    assert Person.objects.get(pk=response.json()["person_id"]).last_name == "Matsui"


def test_a_new_person_with_errors_is_named_in_the_error(api, kyoto):
    errors = errors_of(
        api.post(
            f"/organisations/{kyoto.pk}/positions",
            {
                "person": {"first_name": "Koji", "last_name": "Matsui", "email": "x"},
                "role": "Sindaco",
            },
        )
    )
    assert list(errors) == ["person.email"]
    assert not Person.objects.exists()


def test_it_wants_exactly_one_of_person_id_and_person(api, kyoto, mayor):
    new = {"first_name": "Koji", "last_name": "Matsui"}
    both = {"person_id": mayor.pk, "person": new, "role": "Sindaco"}
    assert "person_id" in errors_of(api.post(f"/organisations/{kyoto.pk}/positions", both))
    neither = {"role": "Sindaco"}
    assert "person_id" in errors_of(api.post(f"/organisations/{kyoto.pk}/positions", neither))


def test_it_adds_a_position_from_the_person(api, kyoto, mayor):
    response = api.post(
        f"/people/{mayor.pk}/positions", {"organisation_id": kyoto.pk, "role": "Sindaco"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["organisation_id"] == kyoto.pk


def test_an_unknown_organisation_is_a_422_on_organisation_id(api, mayor):
    errors = errors_of(
        api.post(f"/people/{mayor.pk}/positions", {"organisation_id": 999, "role": "x"})
    )
    assert list(errors) == ["organisation_id"]


def test_it_lists_positions_of_an_organisation_and_of_a_person(api, kyoto, mayor, make_org):
    other = make_org(name="Rete")
    Position.objects.create(person=mayor, organisation=kyoto, role="Sindaco")
    Position.objects.create(
        person=mayor,
        organisation=other,
        role="Presidente",
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2012, 1, 1),
    )
    by_org = api.get(f"/organisations/{kyoto.pk}/positions").json()
    assert by_org["count"] == 1 and by_org["items"][0]["role"] == "Sindaco"
    by_person = api.get(f"/people/{mayor.pk}/positions").json()
    assert [p["role"] for p in by_person["items"]] == ["Sindaco", "Presidente"]  # current first
    assert [p["is_current"] for p in by_person["items"]] == [True, False]


def test_it_ends_a_position_with_a_patch(api, kyoto, mayor):
    position = Position.objects.create(person=mayor, organisation=kyoto, role="Sindaco")
    response = api.patch(f"/positions/{position.pk}", {"version": 1, "end_date": "2024-02-24"})
    assert response.status_code == 200, response.content
    assert response.json()["end_date"] == "2024-02-24" and not response.json()["is_current"]
    assert response.json()["role"] == "Sindaco"


def test_it_replaces_a_position_with_put(api, kyoto, mayor):
    position = Position.objects.create(
        person=mayor, organisation=kyoto, role="Sindaco", start_date=datetime.date(2008, 1, 1)
    )
    response = api.put(f"/positions/{position.pk}", {"version": 1, "role": "Sindaco metropolitano"})
    assert response.status_code == 200
    assert (
        response.json()["role"] == "Sindaco metropolitano" and response.json()["start_date"] is None
    )


@pytest.mark.parametrize(
    "path_kind", ["organisation", "person", "patch", "put"], ids=lambda kind: f"via-{kind}"
)
def test_it_refuses_an_end_before_the_start_naming_end_date(api, kyoto, mayor, path_kind):
    dates = {"start_date": "2020-01-01", "end_date": "2019-12-31"}
    if path_kind == "organisation":
        response = api.post(
            f"/organisations/{kyoto.pk}/positions", {"person_id": mayor.pk, "role": "x", **dates}
        )
    elif path_kind == "person":
        response = api.post(
            f"/people/{mayor.pk}/positions", {"organisation_id": kyoto.pk, "role": "x", **dates}
        )
    else:
        position = Position.objects.create(
            person=mayor, organisation=kyoto, role="x", start_date=datetime.date(2020, 1, 1)
        )
        if path_kind == "patch":
            response = api.patch(
                f"/positions/{position.pk}", {"version": 1, "end_date": "2019-12-31"}
            )
        else:
            response = api.put(f"/positions/{position.pk}", {"version": 1, "role": "x", **dates})
    errors = errors_of(response)
    assert list(errors) == ["end_date"]
    assert "precedere" in errors["end_date"][0]


def test_it_deletes_a_position(api, kyoto, mayor):
    position = Position.objects.create(person=mayor, organisation=kyoto, role="Sindaco")
    assert api.delete(f"/positions/{position.pk}").status_code == 204
    assert not Position.objects.exists()
    assert Person.objects.filter(pk=mayor.pk).exists()


def test_a_position_of_a_hidden_person_is_404(api_as, kyoto, make_person):
    agent = make_person(last_name="Bond", confidentiality="riservato")
    position = Position.objects.create(person=agent, organisation=kyoto, role="Agente")
    assert api_as("revisore").get(f"/positions/{position.pk}").status_code == 404
    assert api_as("revisore").get(f"/organisations/{kyoto.pk}/positions").json()["count"] == 0
    assert api_as("consigliere").get(f"/positions/{position.pk}").status_code == 200
