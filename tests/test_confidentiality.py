"""Riservato records are seen only by the roles cleared for them, everywhere."""

from __future__ import annotations

import pytest

from ponti.core.confidentiality import Confidentiality, can_see, clearance


@pytest.mark.parametrize(
    ("role", "level"),
    [
        ("amministratore", 2),
        ("ufficio", 2),
        ("consigliere", 2),
        ("segreteria", 2),
        ("responsabile", 1),
        ("revisore", 1),
    ],
)
def test_each_role_has_its_clearance(personas, role, level):
    assert clearance(personas[role]) == level


def test_anonymous_users_see_only_public_records(db, make_org):
    from django.contrib.auth.models import AnonymousUser

    assert clearance(AnonymousUser()) == 0
    assert can_see(AnonymousUser(), make_org(confidentiality="pubblico"))
    assert not can_see(AnonymousUser(), make_org(confidentiality="interno"))


def test_a_riservato_organisation_is_hidden_from_a_revisore(client, personas, make_org):
    secret = make_org(
        name="Ambasciata riservata", kind="embassy", confidentiality=Confidentiality.RISERVATO
    )
    client.force_login(personas["revisore"])
    assert client.get(f"/partner/{secret.pk}/").status_code == 404
    assert client.get(f"/partner/{secret.pk}/storia/").status_code == 404
    assert "Ambasciata riservata" not in client.get("/partner/?q=ambasciata").content.decode()
    assert (
        "Ambasciata riservata"
        not in client.get("/partner/suggerimenti/organisations/?q=ambasciata").content.decode()
    )
    home = client.get("/").content.decode()
    assert "Ambasciata riservata" not in home


def test_a_riservato_organisation_is_shown_to_the_consigliere(client, personas, make_org):
    secret = make_org(
        name="Ambasciata riservata", kind="embassy", confidentiality=Confidentiality.RISERVATO
    )
    client.force_login(personas["consigliere"])
    assert client.get(f"/partner/{secret.pk}/").status_code == 200
    assert "Ambasciata riservata" in client.get("/partner/?q=ambasciata").content.decode()


def test_a_riservato_person_is_hidden_from_the_organisation_page_of_a_revisore(
    client, personas, make_org, make_person
):
    from ponti.partners.models import Position

    org = make_org(name="Consolato", kind="consulate_honorary")
    agent = make_person(first_name="Segreto", last_name="Agente", confidentiality="riservato")
    Position.objects.create(person=agent, organisation=org, role="Console")
    client.force_login(personas["revisore"])
    page = client.get(f"/partner/{org.pk}/").content.decode()
    assert "Agente" not in page
    assert client.get(f"/partner/persone/{agent.pk}/").status_code == 404
    assert "Agente" not in client.get("/partner/persone/?q=agente").content.decode()
