"""Two clients editing the same record: the stale one gets 409 and what changed meanwhile."""

from __future__ import annotations

from ponti.partners.models import Organisation, Person


def test_a_stale_version_is_409_with_the_changes_made_meanwhile(api_as, make_org):
    org = make_org(name="Kassel", city="Kassel")
    first = api_as("consigliere").patch(
        f"/organisations/{org.pk}", {"version": 1, "city": "Kassel (Hessen)"}
    )
    assert first.status_code == 200 and first.json()["version"] == 2

    stale = api_as("ufficio").patch(
        f"/organisations/{org.pk}", {"version": 1, "description": "Mia"}
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["detail"].startswith("Il record è stato modificato")
    assert body["current_version"] == 2
    [change] = body["changes"]
    assert change["by"] == "consigliere" and change["at"]
    assert {"field": "città", "old": "Kassel", "new": "Kassel (Hessen)"} in change["fields"]
    org.refresh_from_db()
    assert org.description == "" and org.version == 2


def test_a_stale_put_is_409_too(api, make_org):
    org = make_org(name="Kassel")
    api.patch(f"/organisations/{org.pk}", {"version": 1, "city": "A"})
    response = api.put(
        f"/organisations/{org.pk}", {"version": 1, "name": "B", "kind": "city", "country": "DE"}
    )
    assert response.status_code == 409
    assert Organisation.objects.get(pk=org.pk).name == "Kassel"


def test_a_stale_version_wins_over_invalid_data(api, make_org):
    """The edit was made on old values: the client must reload first, then fix its data."""
    org = make_org()
    api.patch(f"/organisations/{org.pk}", {"version": 1, "city": "A"})
    response = api.patch(f"/organisations/{org.pk}", {"version": 1, "parent_id": 987654})
    assert response.status_code == 409


def test_retrying_with_the_current_version_succeeds(api, make_org):
    org = make_org()
    api.patch(f"/organisations/{org.pk}", {"version": 1, "city": "A"})
    conflict = api.patch(f"/organisations/{org.pk}", {"version": 1, "city": "B"}).json()
    response = api.patch(
        f"/organisations/{org.pk}", {"version": conflict["current_version"], "city": "B"}
    )
    assert response.status_code == 200 and response.json()["version"] == 3


def test_people_are_versioned_as_well(api, make_person):
    person = make_person()
    assert api.patch(f"/people/{person.pk}", {"version": 1, "title": "Console"}).status_code == 200
    response = api.patch(f"/people/{person.pk}", {"version": 1, "title": "Ambasciatore"})
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert Person.objects.get(pk=person.pk).title == "Console"


def test_the_version_is_required_to_update(api, make_org):
    org = make_org()
    response = api.patch(f"/organisations/{org.pk}", {"city": "A"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["version"]


def test_changing_only_the_other_names_bumps_the_version(api, make_org):
    org = make_org()
    response = api.patch(
        f"/organisations/{org.pk}", {"version": 1, "other_names": [{"language": "en", "name": "X"}]}
    )
    assert response.json()["version"] == 2
