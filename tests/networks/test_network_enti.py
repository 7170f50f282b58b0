"""Memberships are relation records: each ente sees only its own, on the pages and in the API;
the members of a network are shared registry data, seen by every ente."""

from __future__ import annotations

from decimal import Decimal

import pytest


@pytest.fixture
def prato(make_user, other_ente):
    return make_user("ufficio", username="prato", enti=[other_ente])


@pytest.fixture
def theirs(make_membership, other_ente):
    from ponti.networks.models import Fee, MembershipRole

    membership = make_membership(ente=other_ente, since_year=2010)
    MembershipRole.objects.create(membership=membership, kind="presidenza", start_year=2020)
    Fee.objects.create(membership=membership, year=2025, amount=Decimal("1200"))
    return membership


def test_a_membership_of_another_ente_is_not_found(client, personas, theirs):
    client.force_login(personas["ufficio"])
    assert "Eurocities" not in client.get("/reti/").content.decode().split("Altre reti")[0]
    for url in [
        f"/reti/{theirs.pk}/",
        f"/reti/{theirs.pk}/modifica/",
        f"/reti/{theirs.pk}/quote/nuova/",
        f"/reti/{theirs.pk}/storia/",
    ]:
        assert client.get(url).status_code == 404, url


def test_the_api_hides_another_entes_membership_and_its_parts(api, theirs):
    assert api.get("/memberships").json()["count"] == 0
    fee, role = theirs.fees.get(), theirs.roles.get()
    for path in [
        f"/memberships/{theirs.pk}",
        f"/memberships/{theirs.pk}/fees",
        f"/fees/{fee.pk}",
        f"/membership-roles/{role.pk}",
        f"/memberships/{theirs.pk}/roles",
    ]:
        assert api.get(path).status_code == 404, path
    assert api.patch(f"/fees/{fee.pk}", {"version": 1, "paid": True}).status_code == 404
    assert api.delete(f"/membership-roles/{role.pk}").status_code == 404
    assert (
        api.post(f"/memberships/{theirs.pk}/fees", {"year": 2026, "amount": 1}).status_code == 404
    )


def test_two_enti_may_each_join_the_same_network(api, theirs, ente):
    response = api.post("/memberships", {"network_id": theirs.network_id, "since_year": 2003})
    assert response.status_code == 201, response.json()
    assert response.json()["ente_id"] == ente.pk


def test_the_history_of_a_part_is_shown_only_to_its_ente(prato, personas, theirs):
    from ponti.core.models import AuditEvent

    fee = theirs.fees.get()
    assert AuditEvent.objects.for_object(fee).visible_to(prato).exists()
    assert not AuditEvent.objects.for_object(fee).visible_to(personas["ufficio"]).exists()


def test_the_members_of_a_network_are_shared_by_every_ente(api, api_as, prato, theirs, make_org):
    from ponti.networks.models import NetworkMember

    NetworkMember.objects.create(
        network=theirs.network, member=make_org(name="Leipzig", country="DE")
    )
    assert api.get("/network-members").json()["count"] == 1


def test_a_user_of_several_enti_names_the_ente(make_user, ente, other_ente, make_network):
    from tests.api.helpers import token_client

    both = token_client(make_user("ufficio", username="both", enti=[ente, other_ente]))
    network = make_network()
    response = both.post("/memberships", {"network_id": network.pk})
    assert response.status_code == 422 and "ente_id" in response.json()["errors"]
    response = both.post("/memberships", {"network_id": network.pk, "ente_id": other_ente.pk})
    assert response.status_code == 201 and response.json()["ente_id"] == other_ente.pk


def test_the_page_form_asks_a_user_of_several_enti_which_one(
    client, make_user, ente, other_ente, make_network
):
    from ponti.networks.models import Membership

    client.force_login(make_user("ufficio", username="both", enti=[ente, other_ente]))
    network = make_network()
    assert 'name="ente"' in client.get("/reti/nuova/").content.decode()
    response = client.post(
        "/reti/nuova/",
        {
            "ente": other_ente.pk,
            "network": network.pk,
            "status": "attiva",
            "confidence": "high",
            "confidentiality": "interno",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get().ente == other_ente
