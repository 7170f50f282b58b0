"""Networks in a real browser: the office registers Florence's Eurocities membership, its
vice-presidency, a forum, a fee, then looks for German university partners among the members.
axe-core checks every networks page, with its errors shown too."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import label, tick

pytestmark = pytest.mark.browser


@pytest.fixture
def eurocities(make_org: Any, make_person: Any, ente: Any) -> dict[str, Any]:
    from ponti.agreements.models import Agreement
    from ponti.core.models import Sector
    from ponti.networks.models import NetworkMember

    network = make_org(name="Eurocities", kind="network", country="BE", city="Bruxelles")
    universita = Sector.objects.get(code="universita")
    members = {}
    for name, country in [("Leipzig", "DE"), ("Dresden", "DE"), ("Lyon", "FR")]:
        org = make_org(name=name, country=country, city=name)
        org.sectors.add(universita)
        NetworkMember.objects.create(network=network, member=org)
        members[name] = org
    agreement = Agreement.objects.create(
        ente=ente, kind="amicizia", title="Patto di amicizia con Dresda"
    )
    agreement.partners.add(members["Dresden"])
    person = make_person(first_name="Sara", last_name="Funaro")
    return {"network": network, "members": members, "person": person}


def test_the_office_records_a_membership_and_explores_the_members(
    page: Page, login: Any, assert_accessible: Any, eurocities: dict[str, Any]
) -> None:
    main = page.locator("main")
    login(page, "ufficio")

    # The list: no membership yet, Eurocities among the registry's other networks.
    page.get_by_role("navigation", name="Menu principale").get_by_role("link", name="Reti").click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Reti di città")
    expect(main.get_by_role("status")).to_contain_text("L'ente non ha adesioni registrate.")
    assert_accessible(page, "networks list, empty")

    # Register the membership: since 2003, only the year is known.
    main.get_by_role("link", name="Nuova adesione").click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Nuova adesione a una rete")
    assert_accessible(page, "membership form")
    main.get_by_label(label("Rete")).select_option(label="Eurocities")
    main.get_by_label(label("Aderente dall'anno")).fill("2003")
    main.get_by_role("button", name="Salva").click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Eurocities")
    expect(page.get_by_role("status").filter(has_text="registrata")).to_be_visible()
    detail_url = page.url
    assert re.search(r"/reti/\d+/$", detail_url), detail_url
    assert_accessible(page, "membership detail, new")

    # A role ending before it begins is refused, with the field's error.
    main.get_by_role("link", name="Aggiungi ruolo").click()
    main.get_by_label(label("Ruolo")).select_option(label="Vicepresidenza")
    main.get_by_label(label("Dal"), exact=False).first.fill("2018-11-30")
    main.get_by_label(label("Al"), exact=False).first.fill("2018-01-01")
    main.get_by_role("button", name="Salva").click()
    expect(main.get_by_text("La fine del ruolo non può precedere l'inizio.")).to_be_visible()
    assert_accessible(page, "role form with an error")
    main.get_by_label(label("Al"), exact=False).first.fill("")
    main.get_by_label(label("Dettaglio")).fill("elezione a Edimburgo")
    main.get_by_role("button", name="Salva").click()
    expect(page).to_have_url(re.compile(r"/reti/\d+/#roles$"))
    timeline = main.locator("ol.ponti-timeline").first
    expect(timeline).to_contain_text("Vicepresidenza, elezione a Edimburgo · 30 novembre 2018")
    expect(timeline).to_contain_text("Adesione · 2003")

    # A forum joined, with its representative from the registry.
    main.get_by_role("link", name="Aggiungi gruppo o forum").click()
    assert_accessible(page, "working group form")
    main.get_by_label(label("Nome")).fill("Culture Forum")
    main.get_by_label(label("Tipo")).select_option(label="Forum")
    main.get_by_label(label("Rappresentanti")).fill(f"{eurocities['person'].pk} Sara Funaro")
    main.get_by_role("button", name="Salva").click()
    groups = main.locator("#working-groups + .table-responsive table")
    expect(groups.get_by_role("row").nth(1).get_by_role("cell")).to_have_text(
        ["Culture Forum", "Forum", "—", "Sara Funaro"]
    )

    # The 2025 fee, then the same year again: refused, nothing typed is lost.
    main.get_by_role("link", name="Aggiungi quota").click()
    assert_accessible(page, "fee form")
    main.get_by_label(label("Anno")).fill("2025")
    main.get_by_label(label("Importo (€)")).fill("1500")
    main.get_by_role("button", name="Salva").click()
    expect(main.locator("#fees-unpaid")).to_have_text("1.500,00 €")
    main.get_by_role("link", name="Aggiungi quota").click()
    main.get_by_label(label("Anno")).fill("2025")
    main.get_by_label(label("Importo (€)")).fill("1750")
    main.get_by_role("button", name="Salva").click()
    expect(main.get_by_text("La quota del 2025 è già registrata: modificala.")).to_be_visible()
    expect(main.get_by_label(label("Importo (€)"))).to_have_value("1750")
    assert_accessible(page, "fee form with an error")
    page.goto(detail_url)
    assert_accessible(page, "membership detail, with roles, forum and fee")

    # The edit form and the history.
    main.get_by_role("link", name="Modifica", exact=True).click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Modifica l'adesione a «Eurocities»")
    assert_accessible(page, "membership edit form")
    page.goto(detail_url)
    main.get_by_role("link", name="Tutta la storia").click()
    expect(main.get_by_role("heading", level=1)).to_contain_text("Eurocities")
    assert_accessible(page, "membership history")

    # Deleting asks first; cancelled here.
    page.goto(detail_url)
    main.get_by_role("link", name="Elimina", exact=True).click()
    expect(main.get_by_role("heading", level=1)).to_have_text(
        "Eliminare l'adesione di Città Metropolitana di Firenze a «Eurocities»?"
    )
    assert_accessible(page, "membership delete confirmation")
    main.get_by_role("link", name="Annulla").click()

    # Explore the members: in Germany, università, not yet our partners.
    page.goto(detail_url)
    main.get_by_role("link", name="Esplora i membri").click()
    expect(main.get_by_role("heading", level=1)).to_have_text(
        "Membri delle reti: potenziali partner"
    )
    results = page.locator("#results")
    expect(results).to_contain_text("3 organizzazioni trovate")
    assert_accessible(page, "members explorer")
    main.get_by_label(label("Paese")).select_option("DE")
    main.get_by_label(label("Settore")).select_option(label="Università")
    tick(main, "Solo chi non è ancora nostro partner")
    main.get_by_role("button", name="Filtra").click()
    expect(page).to_have_url(re.compile(r"not_partner=on"))
    expect(results).to_contain_text("1 organizzazione trovata")
    expect(results.get_by_role("link", name="Leipzig")).to_be_visible()
    expect(results.get_by_role("link", name="Dresden")).to_have_count(0)
    assert_accessible(page, "members explorer, filtered")

    # Adding a member, and the network's page with the ente's membership.
    main.get_by_role("link", name="Aggiungi un membro").click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Nuovo membro di una rete")
    assert_accessible(page, "network member form")
    page.goto(f"/partner/{eurocities['network'].pk}/")
    panel = main.locator("section[aria-labelledby=panel-networks]")
    expect(
        panel.get_by_role("link", name="Adesione di Città Metropolitana di Firenze")
    ).to_be_visible()
    expect(panel).to_contain_text("3 membri nel registro.")
    assert_accessible(page, "network organisation page with the networks panel")
    page.get_by_role("navigation", name="Menu principale").get_by_role("link", name="Reti").click()
    expect(main.get_by_role("table")).to_contain_text("Vicepresidenza")
    assert_accessible(page, "networks list")


def test_a_reader_sees_the_membership_without_edit_controls(
    page: Page, login: Any, assert_accessible: Any, eurocities: dict[str, Any], ente: Any
) -> None:
    from ponti.networks.models import Membership, MembershipRole

    membership = Membership.objects.create(
        ente=ente, network=eurocities["network"], since_year=2003, confidence="low"
    )
    MembershipRole.objects.create(membership=membership, kind="comitato_esecutivo", start_year=2015)
    login(page, "revisore")
    page.goto(f"/reti/{membership.pk}/")
    main = page.locator("main")
    expect(main.locator("#to-verify")).to_have_text("da verificare")
    expect(main.get_by_role("link", name="Modifica")).to_have_count(0)
    expect(main.get_by_role("link", name="Aggiungi quota")).to_have_count(0)
    assert_accessible(page, "membership detail, read-only, to verify")
    page.goto(f"/partner/{eurocities['members']['Leipzig'].pk}/")
    expect(main.locator("section[aria-labelledby=panel-networks]")).to_contain_text("Eurocities")
    assert_accessible(page, "member organisation page with the networks panel")
