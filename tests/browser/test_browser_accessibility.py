"""Keyboard access, and axe-core on the pages the other flows do not reach."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import label, tick

pytestmark = pytest.mark.browser


def test_the_first_tab_reaches_the_skip_link_which_moves_focus_to_main(
    page: Page, login: Any
) -> None:
    login(page, "ufficio")
    page.goto("/partner/")
    skip = page.get_by_role("link", name="Vai al contenuto principale")
    hidden = skip.bounding_box()
    assert hidden is not None and hidden["width"] <= 1, "the skip link shows before it has focus"

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/partner/#main$"))
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab goes on from the content, not from the top of the page.
    page.keyboard.press("Tab")
    expect(page.locator("main :focus")).to_have_count(1)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Ponti: le relazioni internazionali della Città metropolitana"),
        ("/accessibilita/", "Dichiarazione di accessibilità"),
        ("/privacy/", "Informativa sul trattamento dei dati personali"),
    ],
)
def test_public_pages_are_accessible(
    page: Page, assert_accessible: Any, path: str, heading: str
) -> None:
    page.goto(path)
    expect(page.locator("main").get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page, f"public {path}")


def test_the_profile_page_with_personal_tokens_is_accessible(
    page: Page, login: Any, assert_accessible: Any
) -> None:
    login(page, "ufficio")
    page.get_by_role("navigation", name="Menu principale").get_by_role(
        "link", name="Profilo e token"
    ).click()
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Il tuo profilo")
    expect(main).to_contain_text("«Authorization: Bearer <token>»")
    assert_accessible(page, "profile")
    for name in ("script di importazione", "foglio di calcolo"):
        main.get_by_label(label("Nome del token")).fill(name)
        main.get_by_role("button", name="Crea token").click()
        expect(main.get_by_label("Il tuo nuovo token")).to_have_value(re.compile(r"\S{20,}"))
    tokens = main.get_by_role("table", name="I tuoi token")
    expect(tokens.get_by_role("row")).to_have_count(3)
    expect(tokens.get_by_role("button", name="Revoca script di importazione")).to_be_visible()
    assert_accessible(page, "profile with tokens")


def test_the_people_pages_are_accessible(
    page: Page, login: Any, assert_accessible: Any, make_org: Any, make_person: Any
) -> None:
    from ponti.partners.models import Position

    org = make_org(name="Consolato generale di Francia", kind="consulate_career", city="Firenze")
    person = make_person(
        honorific="S.E.",
        first_name="Émilie",
        last_name="Lefèvre",
        email="emilie.lefevre@example.org",
        title="Console generale",
        languages="fr, it",
    )
    Position.objects.create(
        person=person,
        organisation=org,
        role="Console generale",
        start_date=datetime.date(2023, 9, 1),
    )
    make_person(first_name="Paolo", last_name="Bianchi")
    main = page.locator("main")
    login(page, "ufficio")

    page.get_by_role("navigation", name="Menu principale").get_by_role(
        "link", name="Persone"
    ).click()
    expect(main).to_contain_text("2 persone trovate")
    assert_accessible(page, "person list")
    main.get_by_label("Cerca per nome o e-mail").fill("lefevre")
    main.get_by_role("button", name="Cerca").click()
    expect(main).to_contain_text("1 persona trovata")
    expect(
        main.get_by_role("cell", name="Console generale, Consolato generale di Francia")
    ).to_be_visible()

    main.get_by_role("link", name="S.E. Émilie Lefèvre").click()
    expect(main.get_by_role("heading", level=1)).to_have_text("S.E. Émilie Lefèvre")
    expect(main.get_by_role("link", name="Consolato generale di Francia")).to_be_visible()
    assert_accessible(page, "person detail")

    main.get_by_role("link", name="Modifica", exact=True).click()
    expect(main.get_by_label(label("Cognome"))).to_have_value("Lefèvre")
    assert_accessible(page, "person edit form")

    page.goto("/partner/persone/nuova/")
    expect(main.get_by_role("heading", level=1)).to_have_text("Nuova persona")
    main.get_by_role("button", name="Salva").click()
    expect(main.get_by_role("alert")).to_be_visible()
    expect(main.get_by_label(label("Cognome"))).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "person create form, validation errors")


def test_merging_a_duplicate_is_accessible(
    page: Page, login: Any, assert_accessible: Any, make_org: Any, make_person: Any
) -> None:
    from ponti.partners.models import Position

    kept = make_org(name="Ville de Strasbourg", city="Strasbourg")
    duplicate = make_org(
        name="Ville de Strasbourg (doppione)", city="Strasbourg", address="1 Parc de l'Étoile"
    )
    Position.objects.create(
        person=make_person(first_name="Jeanne", last_name="Barseghian"),
        organisation=duplicate,
        role="Sindaca",
    )
    main = page.locator("main")
    login(page, "ufficio")

    page.goto(f"/partner/{duplicate.pk}/")
    main.get_by_role("link", name="Unisci un duplicato").click()
    expect(main.get_by_role("heading", level=1)).to_contain_text("Ville de Strasbourg (doppione)")
    # The likely duplicate is offered by name, with where it is (never an ID to type).
    results = main.locator("#merge-results")
    expect(results.get_by_label("Ville de Strasbourg", exact=True)).to_be_visible()
    expect(results).to_contain_text("Strasbourg, Francia")
    assert_accessible(page, "merge form")
    results.get_by_label("Ville de Strasbourg", exact=True).focus()
    page.keyboard.press("Space")
    expect(results.get_by_label("Ville de Strasbourg", exact=True)).to_be_checked()
    tick(main, "Confermo l'unione: non si può annullare.")
    main.get_by_role("button", name="Unisci").click()
    expect(page).to_have_url(re.compile(rf"/partner/{kept.pk}/$"))
    expect(page.get_by_role("status").filter(has_text="è stata unita")).to_be_visible()
    expect(main).to_contain_text("Duplicati uniti in questa scheda: Ville de Strasbourg (doppione)")
    current = main.locator("h3:text-is('Incarichi in corso') + table")
    expect(current.get_by_role("link", name="Jeanne Barseghian", exact=True)).to_be_visible()
    merge = main.locator("li").filter(has_text="Unito il duplicato")
    for field, old, new in [
        ("Duplicato unito", "Ville de Strasbourg (doppione)", "Ville de Strasbourg"),
        ("Collegamenti spostati", "—", "incarichi: 1"),
        ("Campi completati dal duplicato", "—", "indirizzo"),
    ]:
        row = merge.get_by_role("row").filter(has=page.get_by_role("rowheader", name=field))
        expect(row.get_by_role("cell")).to_have_text([old, new])
    assert_accessible(page, "organisation detail, after a merge")
