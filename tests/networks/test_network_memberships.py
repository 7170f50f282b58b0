"""Memberships: created, edited with the version read (a stale edit is refused), deleted."""

from __future__ import annotations

import pytest

from ponti.networks.models import Membership


def form(network, **extra):
    data = {
        "network": network.pk,
        "status": "attiva",
        "since_year": "2003",
        "confidence": "high",
        "confidentiality": "interno",
    }
    data.update(extra)
    return data


def test_the_office_registers_a_membership(client, personas, make_network, ente):
    network = make_network()
    client.force_login(personas["ufficio"])
    response = client.post("/reti/nuova/", form(network, notes="Adesione deliberata nel 2003."))
    membership = Membership.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reti/{membership.pk}/"
    assert (membership.ente, membership.network, membership.since_year) == (ente, network, 2003)
    html = client.get(response["Location"]).content.decode()
    assert "2003" in html and "solo l'anno è noto" in html


def test_a_second_membership_of_the_ente_in_the_same_network_is_refused(
    client, api, personas, membership
):
    client.force_login(personas["ufficio"])
    html = client.post("/reti/nuova/", form(membership.network)).content.decode()
    assert "L&#x27;ente aderisce già a questa rete." in html
    response = api.post("/memberships", {"network_id": membership.network_id})
    assert response.status_code == 422 and "network_id" in response.json()["errors"]
    assert Membership.objects.count() == 1


def test_only_a_network_may_be_joined(api, make_org):
    city = make_org(name="Reims")
    response = api.post("/memberships", {"network_id": city.pk})
    assert response.status_code == 422 and "network_id" in response.json()["errors"]


def test_a_date_or_a_year_and_an_end_after_the_start(api, make_network):
    network = make_network()
    both = api.post(
        "/memberships", {"network_id": network.pk, "since": "2003-05-01", "since_year": 2003}
    )
    assert both.status_code == 422 and "since_year" in both.json()["errors"]
    backwards = api.post(
        "/memberships", {"network_id": network.pk, "since_year": 2010, "until": "2009-12-31"}
    )
    assert backwards.status_code == 422 and "until" in backwards.json()["errors"]


def test_a_stale_page_edit_shows_what_changed_and_keeps_the_typing(client, personas, membership):
    client.force_login(personas["ufficio"])
    page_version = membership.version
    api_edit = Membership.objects.get(pk=membership.pk)
    from ponti.networks import services

    services.update_membership(
        api_edit,
        user=personas["consigliere"],
        data={"status": "sospesa"},
        expected_version=page_version,
    )
    response = client.post(
        f"/reti/{membership.pk}/modifica/",
        form(membership.network, version=page_version, notes="La mia nota"),
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="conflict"' in html and "Sospesa" in html
    assert "La mia nota" in html
    membership.refresh_from_db()
    assert membership.status == "sospesa" and membership.notes == ""


def test_the_api_answers_409_with_the_changes_for_a_stale_version(api, api_as, membership):
    first = api.patch(f"/memberships/{membership.pk}", {"version": 1, "status": "sospesa"})
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = api_as("consigliere").patch(
        f"/memberships/{membership.pk}", {"version": 1, "notes": "x"}
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["current_version"] == 2 and body["changes"][0]["by"] == "ufficio"
    membership.refresh_from_db()
    assert membership.notes == ""


def test_the_api_creates_reads_and_deletes(api, make_network, ente):
    network = make_network()
    response = api.post(
        "/memberships",
        {
            "network_id": network.pk,
            "since": "2003-04-01",
            "confidence": "low",
            "notes": "  da verificare  ",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["to_verify"] is True and body["notes"] == "da verificare" and body["version"] == 1
    assert api.get(f"/memberships/{body['id']}").json()["network_name"] == "Eurocities"
    assert api.get("/memberships", {"status": "attiva"}).json()["count"] == 1
    assert api.delete(f"/memberships/{body['id']}").status_code == 204
    assert api.get(f"/memberships/{body['id']}").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"network_id": "1"},
        {"network_id": 1, "id": 3},
        {"network_id": 1, "status": "boh"},
        {"network_id": 1, "since_year": 1850},
        {"network_id": 1, "confidentiality": "segreto"},
    ],
)
def test_the_api_refuses_malformed_input_with_422(api, body):
    assert api.post("/memberships", body).status_code == 422


def test_a_low_confidence_membership_is_marked_da_verificare(client, personas, make_membership):
    membership = make_membership(confidence="low")
    client.force_login(personas["revisore"])
    assert 'id="to-verify"' in client.get(f"/reti/{membership.pk}/").content.decode()
    assert "da verificare" in client.get("/reti/").content.decode()


def test_deleting_a_membership_takes_its_roles_and_groups(client, personas, membership):
    from ponti.networks.models import MembershipRole, WorkingGroup

    MembershipRole.objects.create(membership=membership, kind="membro")
    WorkingGroup.objects.create(membership=membership, name="Culture Forum")
    client.force_login(personas["ufficio"])
    assert (
        "Saranno eliminati anche i ruoli"
        in client.get(f"/reti/{membership.pk}/elimina/").content.decode()
    )
    assert client.post(f"/reti/{membership.pk}/elimina/")["Location"] == "/reti/"
    assert not (
        Membership.objects.exists()
        or MembershipRole.objects.exists()
        or WorkingGroup.objects.exists()
    )
