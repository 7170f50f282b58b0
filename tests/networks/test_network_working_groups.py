"""Working groups and forums joined, with the representatives."""

from __future__ import annotations

from ponti.networks.models import WorkingGroup


def test_a_forum_with_its_representatives(client, personas, membership, make_person):
    sara = make_person(first_name="Sara", last_name="Funaro")
    client.force_login(personas["ufficio"])
    data = {
        "name": "Culture Forum",
        "kind": "forum",
        "representatives": f"{sara.pk} Sara Funaro",
        "since_year": "2013",
    }
    response = client.post(f"/reti/{membership.pk}/gruppi/nuovo/", data)
    assert response.status_code == 302 and response["Location"].endswith("#working-groups")
    group = WorkingGroup.objects.get()
    assert list(group.representatives.all()) == [sara]
    html = client.get(f"/reti/{membership.pk}/").content.decode()
    assert "Culture Forum" in html and "Sara Funaro" in html


def test_the_same_group_twice_and_an_unknown_person_are_refused(client, personas, membership):
    WorkingGroup.objects.create(membership=membership, name="Culture Forum")
    client.force_login(personas["ufficio"])
    html = client.post(
        f"/reti/{membership.pk}/gruppi/nuovo/", {"name": "culture forum", "kind": "forum"}
    ).content.decode()
    assert "già registrato" in html
    html = client.post(
        f"/reti/{membership.pk}/gruppi/nuovo/",
        {"name": "Mobility", "kind": "forum", "representatives": "999 Nessuno"},
    ).content.decode()
    assert "Persona inesistente: 999." in html
    assert WorkingGroup.objects.count() == 1


def test_a_riservato_representative_is_hidden_and_kept(api, api_as, membership, make_person):
    public = make_person(first_name="Sara", last_name="Funaro")
    agent = make_person(first_name="James", last_name="Bond", confidentiality="riservato")
    group = api.post(
        f"/memberships/{membership.pk}/working-groups",
        {"name": "Social Affairs Forum", "representative_ids": [public.pk, agent.pk]},
    ).json()
    assert {p["name"] for p in group["representatives"]} == {"Sara Funaro", "James Bond"}
    seen = api_as("revisore").get(f"/working-groups/{group['id']}").json()
    assert [p["name"] for p in seen["representatives"]] == ["Sara Funaro"]
    unknown = api.post(
        f"/memberships/{membership.pk}/working-groups", {"name": "X", "representative_ids": [99999]}
    )
    assert unknown.status_code == 422 and "representative_ids" in unknown.json()["errors"]


def test_representatives_are_replaced_through_the_api(api, membership, make_person):
    a, b = make_person(first_name="Anna"), make_person(first_name="Bruno")
    group = api.post(
        f"/memberships/{membership.pk}/working-groups",
        {"name": "Mobility", "representative_ids": [a.pk]},
    ).json()
    response = api.patch(
        f"/working-groups/{group['id']}",
        {"version": 1, "representative_ids": [b.pk], "until_year": 2024, "since_year": 2020},
    )
    assert response.status_code == 200, response.json()
    assert [p["id"] for p in response.json()["representatives"]] == [b.pk]
    backwards = api.patch(f"/working-groups/{group['id']}", {"version": 2, "until_year": 2019})
    assert backwards.status_code == 422 and "until_year" in backwards.json()["errors"]
    assert api.delete(f"/working-groups/{group['id']}").status_code == 204
