"""Every role × every registry page: who may read, who may change, who is refused."""

from __future__ import annotations

import pytest

from tests.conftest import ROLES

READERS = set(ROLES)
EDITORS = {"amministratore", "ufficio", "consigliere"}
CURATORS = {"amministratore", "ufficio"}  # delete and merge


@pytest.fixture
def world(make_org, make_person):
    from ponti.partners.models import Position

    org = make_org(name="Kyoto", country="JP", city="Kyoto")
    other = make_org(name="Kioto", country="JP", city="Kyoto")
    person = make_person(first_name="Daisaku", last_name="Kadokawa")
    position = Position.objects.create(person=person, organisation=org, role="Sindaco")
    return {"org": org, "other": other, "person": person, "position": position}


def pages(w):
    o, p, pos = w["org"].pk, w["person"].pk, w["position"].pk
    return {
        "read": [
            "/",
            "/partner/",
            f"/partner/{o}/",
            f"/partner/{o}/storia/",
            "/partner/persone/",
            f"/partner/persone/{p}/",
            f"/partner/persone/{p}/storia/",
            "/partner/suggerimenti/organisations/?q=kyo",
            "/accounts/profilo/",
        ],
        "edit": [
            "/partner/nuovo/",
            f"/partner/{o}/modifica/",
            f"/partner/{o}/incarichi/nuovo/",
            "/partner/persone/nuova/",
            f"/partner/persone/{p}/modifica/",
            f"/partner/incarichi/{pos}/modifica/",
        ],
        "curate": [
            f"/partner/{o}/elimina/",
            f"/partner/{o}/unisci/",
            f"/partner/persone/{p}/elimina/",
        ],
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_the_pages_its_role_allows(client, personas, world, role):
    client.force_login(personas[role])
    for kind, urls in pages(world).items():
        allowed = {"read": READERS, "edit": EDITORS, "curate": CURATORS}[kind]
        for url in urls:
            status = client.get(url).status_code
            expected = 200 if role in allowed else 403
            assert status == expected, f"{role} GET {url}: {status}, expected {expected}"


def test_anonymous_users_are_sent_to_login(client, world):
    for urls in pages(world).values():
        for url in urls:
            if url == "/":
                continue
            response = client.get(url)
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_it_rejects_a_revisore_posting_an_edit(client, personas, world):
    client.force_login(personas["revisore"])
    response = client.post(f"/partner/{world['org'].pk}/modifica/", {"name": "Hacked"})
    assert response.status_code == 403
    world["org"].refresh_from_db()
    assert world["org"].name == "Kyoto"


def test_it_rejects_a_consigliere_deleting(client, personas, world):
    client.force_login(personas["consigliere"])
    assert client.post(f"/partner/{world['org'].pk}/elimina/").status_code == 403
    assert type(world["org"]).objects.filter(pk=world["org"].pk).exists()


def test_the_audit_log_page_is_for_administrators_and_auditors_only(client, personas):
    for role in ROLES:
        client.force_login(personas[role])
        status = client.get("/registro-modifiche/").status_code
        assert status == (200 if role in {"amministratore", "revisore"} else 403), role
