"""The organisation form as people use it: checked while typing, never losing what was typed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import label, tick

pytestmark = pytest.mark.browser


def open_new_form(page: Page, login: Any) -> None:
    login(page, "ufficio")
    page.goto("/partner/nuovo/")
    expect(page.locator("main h1")).to_have_text("Nuova organizzazione")
    # Survives only as long as this document: proves that nothing below reloads the page.
    page.evaluate("window.pontiSamePage = true")


def assert_not_submitted(page: Page) -> None:
    assert page.evaluate("window.pontiSamePage === true"), "the form was submitted"
    expect(page.locator("main").get_by_role("alert")).to_have_count(0)


def test_leaving_an_invalid_field_shows_its_error_without_submitting(
    page: Page, login: Any, assert_accessible: Any
) -> None:
    open_new_form(page, login)
    main = page.locator("main")

    wikidata = main.get_by_label(label("ID Wikidata"))
    wikidata.fill("X123")
    wikidata.press("Tab")
    expect(page.locator("#id_wikidata_id-feedback")).to_contain_text("Q seguito da un numero")
    expect(wikidata).to_have_attribute("aria-invalid", "true")
    expect(wikidata).to_have_attribute("aria-describedby", "id_wikidata_id-errors")

    latitude = main.get_by_label(label("Latitudine"))
    latitude.fill("95")
    latitude.press("Tab")
    expect(page.locator("#id_latitude-feedback")).to_contain_text("90")

    assert_not_submitted(page)
    # Only the field just left is judged: the empty required name says nothing yet.
    expect(page.locator("#id_name-feedback")).to_be_empty()
    assert_accessible(page, "organisation create form, inline errors")

    latitude.fill("43.77")
    latitude.press("Tab")
    expect(page.locator("#id_latitude-feedback")).to_be_empty()
    expect(latitude).not_to_have_attribute("aria-invalid", "true")
    wikidata.fill("Q2044")
    wikidata.press("Tab")
    expect(page.locator("#id_wikidata_id-feedback")).to_be_empty()
    assert_not_submitted(page)


def test_typing_the_name_of_a_registered_organisation_warns_of_a_duplicate(
    page: Page, login: Any, assert_accessible: Any, make_org: Any
) -> None:
    existing = make_org(name="Comune di Bordeaux", country="FR", city="Bordeaux")
    open_new_form(page, login)
    main = page.locator("main")

    main.get_by_label(label("Nome")).press_sequentially("Comune di Bordeaux")
    warning = page.locator("#id_name-feedback")
    expect(warning).to_contain_text("organizzazioni simili")
    expect(warning.get_by_role("link", name="Comune di Bordeaux")).to_have_attribute(
        "href", f"/partner/{existing.pk}/"
    )
    expect(warning).to_contain_text("(Bordeaux, Francia)")
    expect(main.get_by_label(label("Nome"))).not_to_have_attribute("aria-invalid", "true")
    assert_not_submitted(page)
    assert_accessible(page, "organisation create form, duplicate warning")

    # Saving anyway asks for a confirmation first.
    main.get_by_label(label("Tipo")).select_option("city")
    main.get_by_label(label("Paese")).select_option("FR")
    main.get_by_label(label("Città")).fill("Bordeaux")
    main.get_by_role("button", name="Salva").click()
    expect(main.locator("#duplicate-warning")).to_contain_text("organizzazioni simili")
    confirm = main.get_by_label("Confermo: non è un duplicato")
    expect(confirm).not_to_be_checked()
    tick(main, "Confermo: non è un duplicato")
    expect(confirm).to_be_checked()
    assert_accessible(page, "organisation create form, duplicate confirmation")
    main.get_by_role("button", name="Salva").click()
    expect(page.get_by_role("status").filter(has_text="creata")).to_be_visible()
    expect(page).not_to_have_url(re.compile(rf"/partner/{existing.pk}/$"))


def test_a_validation_error_keeps_everything_the_user_typed(
    page: Page, login: Any, assert_accessible: Any
) -> None:
    open_new_form(page, login)
    main = page.locator("main")
    typed = {
        "Nome": "Università di Tubinga",
        "Nomi in altre lingue": "de: Universität Tübingen\nen: University of Tübingen",
        "Sito web": "https://uni-tuebingen.de/",
        "ID Wikidata": "Q153978",
        "Città": "Tubinga",
        "Indirizzo": "Geschwister-Scholl-Platz",
        "Latitudine": "95",
        "Longitudine": "9.06",
        "Etichette": "università, Baden-Württemberg",
        "Descrizione": "Partner del progetto\nErasmus+ dal 2019.",
    }
    chosen = {"Tipo": "university", "Paese": "DE", "Riservatezza": "pubblico"}
    for name, value in typed.items():
        main.get_by_label(label(name)).fill(value)
    for name, value in chosen.items():
        main.get_by_label(label(name)).select_option(value)
    for sector in ("Università", "Ricerca e innovazione"):
        tick(main, sector)
    main.get_by_role("button", name="Salva").click()

    expect(main.get_by_role("alert")).to_contain_text("nulla di quanto hai scritto è andato perso")
    latitude = main.get_by_label(label("Latitudine"))
    expect(latitude).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_latitude-errors")).to_contain_text("90")
    for name, value in typed.items():
        expect(main.get_by_label(label(name))).to_have_value(value)
    for name, value in chosen.items():
        expect(main.get_by_label(label(name))).to_have_value(value)
    for sector in ("Università", "Ricerca e innovazione"):
        expect(main.get_by_label(sector, exact=True)).to_be_checked()
    expect(main.get_by_label("Cultura", exact=True)).not_to_be_checked()
    assert_accessible(page, "organisation create form, validation errors")
