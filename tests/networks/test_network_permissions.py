"""Every role × every networks page and API operation: who may read, who may change."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import ROLES
from tests.networks.conftest import EDITORS


@pytest.fixture
def world(membership: Any, make_org: Any, make_person: Any) -> dict[str, Any]:
    from ponti.networks.models import Fee, MembershipRole, NetworkMember, WorkingGroup

    member = make_org(name="Leipzig", country="DE")
    return {
        "m": membership,
        "role": MembershipRole.objects.create(
            membership=membership, kind="comitato_esecutivo", start_year=2015
        ),
        "group": WorkingGroup.objects.create(
            membership=membership, name="Culture Forum", kind="forum"
        ),
        "fee": Fee.objects.create(membership=membership, year=2025, amount=Decimal("100")),
        "nm": NetworkMember.objects.create(network=membership.network, member=member),
    }


def pages(w: dict[str, Any]) -> dict[str, list[str]]:
    m = w["m"].pk
    return {
        "read": [
            "/reti/",
            f"/reti/{m}/",
            f"/reti/{m}/storia/",
            "/reti/membri/",
            f"/reti/membri/?network={w['m'].network_id}&country=DE",
            f"/partner/{w['m'].network_id}/",
        ],
        "edit": [
            "/reti/nuova/",
            f"/reti/{m}/modifica/",
            f"/reti/{m}/elimina/",
            f"/reti/{m}/ruoli/nuovo/",
            f"/reti/{m}/ruoli/{w['role'].pk}/",
            f"/reti/{m}/gruppi/nuovo/",
            f"/reti/{m}/gruppi/{w['group'].pk}/",
            f"/reti/{m}/quote/nuova/",
            f"/reti/{m}/quote/{w['fee'].pk}/",
            "/reti/membri/nuovo/",
        ],
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_the_pages_its_role_allows(client, personas, world, role):
    client.force_login(personas[role])
    for kind, urls in pages(world).items():
        allowed = ROLES if kind == "read" else EDITORS
        for url in urls:
            status = client.get(url).status_code
            expected = 200 if role in allowed else 403
            assert status == expected, f"{role} GET {url}: {status}, expected {expected}"


def test_anonymous_users_are_sent_to_login(client, world):
    for urls in pages(world).values():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("role", ["segreteria", "responsabile", "revisore"])
def test_it_rejects_a_read_only_role_posting_changes(client, personas, world, role):
    client.force_login(personas[role])
    m = world["m"]
    posts = [
        (f"/reti/{m.pk}/modifica/", {"network": m.network_id, "status": "cessata"}),
        (f"/reti/{m.pk}/quote/nuova/", {"year": 2026, "amount": "5"}),
        (f"/reti/{m.pk}/quote/{world['fee'].pk}/elimina/", {}),
        (f"/reti/{m.pk}/ruoli/{world['role'].pk}/elimina/", {}),
        (f"/reti/membri/{world['nm'].pk}/elimina/", {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    m.refresh_from_db()
    assert m.status == "attiva" and m.fees.count() == 1 and m.roles.count() == 1


def test_the_nav_shows_reti_to_every_role(client, personas):
    for role in ROLES:
        client.force_login(personas[role])
        assert 'href="/reti/"' in client.get("/").content.decode(), role


def test_a_riservato_membership_is_hidden_from_roles_without_clearance(
    client, personas, membership
):
    membership.confidentiality = "riservato"
    membership.save()
    for role, expected in [("ufficio", 200), ("responsabile", 404), ("revisore", 404)]:
        client.force_login(personas[role])
        assert client.get(f"/reti/{membership.pk}/").status_code == expected, role


# --- the API --------------------------------------------------------------------------------


def api_reads(w: dict[str, Any]) -> list[str]:
    m = w["m"].pk
    return [
        "/memberships",
        f"/memberships/{m}",
        f"/memberships/{m}/roles",
        f"/membership-roles/{w['role'].pk}",
        f"/memberships/{m}/working-groups",
        f"/working-groups/{w['group'].pk}",
        f"/memberships/{m}/fees",
        f"/fees/{w['fee'].pk}",
        "/network-members",
        f"/network-members/{w['nm'].pk}",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_through_the_api(api_as, world, role):
    client = api_as(role)
    for path in api_reads(world):
        response = client.get(path)
        assert response.status_code == 200, f"{role} GET {path}: {response.status_code}"


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_change_through_the_api(api_as, world, role):
    client = api_as(role)
    m = world["m"]
    writes = [
        ("post", f"/memberships/{m.pk}/fees", {"year": 2024, "amount": 10}),
        ("patch", f"/fees/{world['fee'].pk}", {"version": 1, "paid": True}),
        (
            "post",
            f"/memberships/{m.pk}/roles",
            {"kind": "vicepresidenza", "start_date": "2018-11-30"},
        ),
        ("patch", f"/membership-roles/{world['role'].pk}", {"version": 1, "detail": "rieletta"}),
        ("post", f"/memberships/{m.pk}/working-groups", {"name": "Mobility Forum"}),
        ("patch", f"/memberships/{m.pk}", {"version": m.version, "status": "sospesa"}),
        ("delete", f"/network-members/{world['nm'].pk}", None),
    ]
    for method, path, body in writes:
        response = getattr(client, method)(path, body) if body is not None else client.delete(path)
        if role in EDITORS:
            assert response.status_code in {200, 201, 204}, (
                f"{role} {method} {path}: {response.json()}"
            )
        else:
            assert response.status_code == 403, f"{role} {method} {path}: {response.status_code}"


def test_without_credentials_the_api_answers_401(client, world):
    for path in api_reads(world):
        assert client.get("/api/v1" + path).status_code == 401, path


def test_a_fee_paid_on_a_date_through_the_api(api, world):
    response = api.patch(
        f"/fees/{world['fee'].pk}", {"version": 1, "paid": True, "paid_on": "2025-03-31"}
    )
    assert response.status_code == 200, response.json()
    world["fee"].refresh_from_db()
    assert world["fee"].paid_on == datetime.date(2025, 3, 31)
