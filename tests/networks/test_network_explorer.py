"""The members explorer: "Eurocities members in Germany with the università sector, not yet our
partners", on the page and in the API."""

from __future__ import annotations

import pytest

from ponti.agreements.models import Agreement


@pytest.fixture
def eurocities(make_network, make_org, ente, other_ente):
    from ponti.core.models import Sector, Tag
    from ponti.networks.models import NetworkMember

    network = make_network(name="Eurocities")
    other_network = make_network(name="Climate Alliance", country="DE", city="Francoforte sul Meno")
    universita = Sector.objects.get(code="universita")
    tag = Tag.objects.create(name="Eurocities")
    orgs = {
        "leipzig": make_org(name="Leipzig", country="DE", city="Leipzig"),
        "dresden": make_org(name="Dresden", country="DE", city="Dresden"),
        "bonn": make_org(name="Bonn", country="DE", city="Bonn"),  # no università sector
        "lyon": make_org(name="Lyon", country="FR", city="Lyon"),  # not in Germany
        "kassel": make_org(name="Kassel", country="DE", city="Kassel"),  # only in Climate Alliance
        "gent": make_org(
            name="Heidelberg", country="DE", city="Heidelberg"
        ),  # partner of another ente
    }
    for key, org in orgs.items():
        if key != "bonn":
            org.sectors.add(universita)
        org.tags.add(tag)
        NetworkMember.objects.create(
            network=other_network if key == "kassel" else network, member=org
        )
    # Dresden is already our partner; Heidelberg is a partner of another ente, not ours.
    for partner, owner in [(orgs["dresden"], ente), (orgs["gent"], other_ente)]:
        agreement = Agreement.objects.create(
            ente=owner, kind="amicizia", title=f"Patto con {partner.name}"
        )
        agreement.partners.add(partner)
    return network, orgs


def test_the_page_finds_german_university_members_not_yet_partners(client, personas, eurocities):
    network, _orgs = eurocities
    client.force_login(personas["ufficio"])
    query = f"?network={network.pk}&country=DE&sector=universita&not_partner=on"
    html = client.get("/reti/membri/" + query).content.decode()
    table = html.split('id="member-table"')[1]
    assert "Leipzig" in table and "Heidelberg" in table
    for name in ["Dresden", "Bonn", "Lyon", "Kassel"]:
        assert name not in table, name
    assert "2 organizzazioni trovate" in html


def test_without_the_filter_a_partner_is_shown_as_such(client, personas, eurocities):
    network, _orgs = eurocities
    client.force_login(personas["ufficio"])
    html = client.get(f"/reti/membri/?network={network.pk}&country=DE").content.decode()
    dresden_row = html.split("Dresden</a>")[1].split("</tr>")[0]
    assert "già partner" in dresden_row
    assert "4 organizzazioni trovate" in html


def test_the_api_gives_the_same_answer(api, eurocities):
    network, orgs = eurocities
    params = {
        "network_id": network.pk,
        "country": "DE",
        "sector": "universita",
        "not_yet_partner": "true",
    }
    body = api.get("/network-members", params).json()
    assert body["count"] == 2
    assert {m["member_name"] for m in body["items"]} == {"Leipzig", "Heidelberg"}
    assert all(not m["is_partner"] and "universita" in m["member_sectors"] for m in body["items"])
    everyone = api.get("/network-members", {"network_id": network.pk, "country": "DE"}).json()
    assert {m["member_name"]: m["is_partner"] for m in everyone["items"]}["Dresden"] is True


def test_a_partnership_above_the_users_clearance_is_not_revealed(api_as, eurocities):
    network, orgs = eurocities
    Agreement.objects.filter(partners=orgs["dresden"]).update(confidentiality="riservato")
    params = {"network_id": network.pk, "country": "DE", "not_yet_partner": "true"}
    names = {
        m["member_name"] for m in api_as("revisore").get("/network-members", params).json()["items"]
    }
    assert "Dresden" in names


def test_the_explorer_filters_by_kind_and_search_and_pages(client, personas, eurocities, make_org):
    from ponti.networks.models import NetworkMember

    network, _orgs = eurocities
    for n in range(30):
        NetworkMember.objects.create(
            network=network, member=make_org(name=f"Città {n:02d}", country="PL")
        )
    client.force_login(personas["revisore"])
    html = client.get(f"/reti/membri/?network={network.pk}&country=PL").content.decode()
    assert "30 organizzazioni trovate" in html and "Pagina 1 di 2" in html
    assert (
        "Città 29"
        in client.get(f"/reti/membri/?network={network.pk}&country=PL&page=2").content.decode()
    )
    html = client.get("/reti/membri/?q=leipz").content.decode()
    assert "1 organizzazione trovata" in html
    assert "0 organizzazioni trovate" in client.get("/reti/membri/?kind=embassy").content.decode()


def test_htmx_gets_only_the_results(client, personas, eurocities):
    client.force_login(personas["ufficio"])
    response = client.get("/reti/membri/?country=FR", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Lyon" in html and "<form" not in html and "<html" not in html


def test_bad_filter_values_are_ignored_not_a_500(client, personas, eurocities):
    client.force_login(personas["ufficio"])
    response = client.get("/reti/membri/?network=abc&sector=nessuno&country=ZZ&page=999")
    assert response.status_code == 200
