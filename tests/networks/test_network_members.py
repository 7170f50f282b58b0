"""The members of a network: added and removed by editors; shown on the partner page."""

from __future__ import annotations

from ponti.networks.models import Membership, NetworkMember


def test_an_editor_adds_a_member_and_a_duplicate_is_refused(
    client, personas, make_network, make_org
):
    network, leipzig = make_network(), make_org(name="Leipzig", country="DE")
    client.force_login(personas["consigliere"])
    response = client.post(
        "/reti/membri/nuovo/",
        {"network": network.pk, "member": f"{leipzig.pk} Leipzig", "since_year": "1991"},
    )
    assert (
        response.status_code == 302
        and response["Location"] == f"/reti/membri/?network={network.pk}"
    )
    assert NetworkMember.objects.get().since_year == 1991
    html = client.post(
        "/reti/membri/nuovo/", {"network": network.pk, "member": leipzig.pk}
    ).content.decode()
    assert "già membro della rete" in html
    assert NetworkMember.objects.count() == 1


def test_a_network_is_not_a_member_of_itself_and_a_city_has_no_members(api, make_network, make_org):
    network, city = make_network(), make_org(name="Reims")
    itself = api.post("/network-members", {"network_id": network.pk, "member_id": network.pk})
    assert itself.status_code == 422 and "member_id" in itself.json()["errors"]
    not_a_network = api.post("/network-members", {"network_id": city.pk, "member_id": network.pk})
    assert not_a_network.status_code == 422 and "network_id" in not_a_network.json()["errors"]


def test_the_api_adds_changes_and_removes_a_member(api, make_network, make_org):
    network, leipzig = make_network(), make_org(name="Leipzig", country="DE")
    created = api.post("/network-members", {"network_id": network.pk, "member_id": leipzig.pk})
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    duplicate = api.post("/network-members", {"network_id": network.pk, "member_id": leipzig.pk})
    assert duplicate.status_code == 422 and "member_id" in duplicate.json()["errors"]
    changed = api.patch(
        f"/network-members/{pk}", {"version": 1, "since_year": 1991, "source": "eurocities.eu"}
    )
    assert changed.status_code == 200 and changed.json()["since_year"] == 1991
    assert (
        api.patch(f"/network-members/{pk}", {"version": 2, "network_id": 1}).status_code == 422
    )  # not changeable
    assert api.delete(f"/network-members/{pk}").status_code == 204
    assert not NetworkMember.objects.exists()


def test_a_riservato_member_is_hidden_from_a_revisore(api_as, make_network, make_org):
    network = make_network()
    NetworkMember.objects.create(
        network=network, member=make_org(name="Canale", confidentiality="riservato")
    )
    assert api_as("ufficio").get("/network-members").json()["count"] == 1
    assert api_as("revisore").get("/network-members").json()["count"] == 0


def test_the_network_page_shows_the_entes_membership_and_the_members(
    client, personas, membership, make_org
):
    NetworkMember.objects.create(network=membership.network, member=make_org(name="Leipzig"))
    client.force_login(personas["revisore"])
    html = client.get(f"/partner/{membership.network_id}/").content.decode()
    panel = html.split('id="panel-networks"')[1].split("</section>")[0]
    assert f'href="/reti/{membership.pk}/"' in panel and "dal 2003" in panel
    assert "1 membro nel registro." in panel and "Registra l" not in panel


def test_a_network_without_our_membership_offers_to_register_it(client, personas, make_network):
    network = make_network()
    client.force_login(personas["ufficio"])
    html = client.get(f"/partner/{network.pk}/").content.decode()
    assert (
        "L&#x27;ente non aderisce a questa rete." in html
        or "L'ente non aderisce a questa rete." in html
    )
    assert f"/reti/nuova/?network={network.pk}" in html
    form = client.get(f"/reti/nuova/?network={network.pk}").content.decode()
    assert f'<option value="{network.pk}" selected>' in form


def test_a_member_page_says_which_networks_and_an_editor_removes_it(
    client, personas, make_network, make_org
):
    leipzig = make_org(name="Leipzig", country="DE")
    nm = NetworkMember.objects.create(network=make_network(), member=leipzig, since_year=1991)
    client.force_login(personas["ufficio"])
    html = client.get(f"/partner/{leipzig.pk}/").content.decode()
    assert "Membro di" in html and "Eurocities" in html and "(dal 1991)" in html
    response = client.post(f"/reti/membri/{nm.pk}/elimina/", {"next": f"/partner/{leipzig.pk}/"})
    assert response["Location"] == f"/partner/{leipzig.pk}/"
    assert not NetworkMember.objects.exists()
    evil = NetworkMember.objects.create(network=nm.network, member=leipzig)
    response = client.post(f"/reti/membri/{evil.pk}/elimina/", {"next": "https://evil.example/"})
    assert response["Location"].startswith("/reti/membri/")


def test_a_city_in_no_network_shows_nothing_to_a_reader(client, personas, make_org):
    city = make_org(name="Reims")
    client.force_login(personas["revisore"])
    assert 'id="panel-networks"' not in client.get(f"/partner/{city.pk}/").content.decode()
    assert Membership.objects.count() == 0
