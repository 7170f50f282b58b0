"""The office's day with the partner registry, in a real browser, every page checked by axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import label, tick

pytestmark = pytest.mark.browser


def expect_change(page: Page, field: str, old: str, new: str) -> None:
    """A history table has a row for this field going from `old` to `new`."""
    row = (
        page.locator("table.ponti-changes tr")
        .filter(has=page.get_by_role("rowheader", name=field, exact=True))
        .filter(has=page.get_by_role("cell", name=new, exact=True))
    )
    expect(row.get_by_role("cell")).to_have_text([old, new])


def test_office_finds_registers_edits_a_partner_and_reads_its_history(
    page: Page, login: Any, assert_accessible: Any, make_org: Any
) -> None:
    make_org(name="Fès", kind="city", country="MA", city="Fès")
    main = page.locator("main")

    login(page, "ufficio", check=True)
    expect(main.get_by_role("heading", level=1)).to_contain_text("ufficio")
    assert_accessible(page, "home")

    # Search, accent-insensitive: "Fes" finds "Fès".
    page.get_by_role("navigation", name="Menu principale").get_by_role(
        "link", name="Organizzazioni"
    ).click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Registro dei partner")
    assert_accessible(page, "organisation list")
    main.get_by_label("Cerca", exact=True).fill("Fes")
    main.get_by_role("button", name="Cerca", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]q=Fes\b"))
    results = page.locator("#results")
    expect(results).to_contain_text("1 organizzazione trovata")
    expect(results.get_by_role("link", name="Fès")).to_be_visible()
    assert_accessible(page, "organisation list, search results")

    # Register a new organisation.
    main.get_by_role("link", name="Nuova organizzazione").click()
    expect(page).to_have_url(re.compile(r"/partner/nuovo/$"))
    expect(main.get_by_role("heading", level=1)).to_have_text("Nuova organizzazione")
    assert_accessible(page, "organisation create form")
    main.get_by_label(label("Nome")).fill("Métropole de Lyon")
    main.get_by_label(label("Tipo")).select_option("metro_region")
    main.get_by_label(label("Paese")).select_option("FR")
    main.get_by_label(label("Città")).fill("Lione")
    main.get_by_label(label("Latitudine")).fill("45.76")
    main.get_by_label(label("Longitudine")).fill("4.83")
    tick(main, "Cultura")
    expect(main.get_by_label("Cultura", exact=True)).to_be_checked()
    main.get_by_role("button", name="Salva").click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Métropole de Lyon")
    expect(page.get_by_role("status").filter(has_text="creata")).to_be_visible()
    org_url = page.url
    assert re.search(r"/partner/\d+/$", org_url), org_url
    assert_accessible(page, "organisation detail, just created")

    # A new person and their position, from the organisation's page.
    main.get_by_role("link", name="Aggiungi persona e incarico").click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Aggiungi persona e incarico")
    assert_accessible(page, "position form")
    main.get_by_label(label("Nome")).fill("Bruno")
    main.get_by_label(label("Cognome")).fill("Bernard")
    main.get_by_label(label("E-mail")).fill("bruno.bernard@example.org")
    main.get_by_label(label("Ruolo")).fill("Presidente")
    main.get_by_label(label("Dal")).fill("2020-07-04")
    main.get_by_role("button", name="Salva").click()
    expect(page).to_have_url(org_url)
    current = main.locator("h3:text-is('Incarichi in corso') + table")
    row = current.get_by_role("row").filter(
        has=page.get_by_role("link", name="Bruno Bernard", exact=True)
    )
    expect(row.get_by_role("cell")).to_have_text(
        ["Bruno Bernard", "Presidente", "4 luglio 2020", "—", re.compile("Modifica")]
    )
    assert_accessible(page, "organisation detail, with a position")

    # Find it in the list (from the header's search box, accent-insensitive the other way).
    page.get_by_role("searchbox", name="Cerca nel registro dei partner").fill("metropole")
    page.get_by_role("searchbox", name="Cerca nel registro dei partner").press("Enter")
    results = page.locator("#results")
    expect(results).to_contain_text("1 organizzazione trovata")
    results.get_by_role("link", name="Métropole de Lyon").click()
    expect(page).to_have_url(org_url)

    # Edit it.
    main.get_by_role("link", name="Modifica", exact=True).click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Modifica «Métropole de Lyon»")
    expect(main.get_by_label(label("Città"))).to_have_value("Lione")
    assert_accessible(page, "organisation edit form")
    main.get_by_label(label("Città")).fill("Lyon")
    main.get_by_label(label("Sito web")).fill("https://www.grandlyon.com/")
    main.get_by_role("button", name="Salva").click()
    expect(page).to_have_url(org_url)
    expect(page.get_by_role("status").filter(has_text="Modifiche salvate")).to_be_visible()
    expect(main.get_by_role("link", name="https://www.grandlyon.com/")).to_be_visible()

    # Its history: on the page, then in full, with each changed field's old and new value.
    expect(main.get_by_role("heading", name="Storia delle modifiche")).to_be_visible()
    expect_change(page, "Città", "Lione", "Lyon")
    main.get_by_role("link", name="Tutta la storia").click()
    expect(page).to_have_url(re.compile(r"/partner/\d+/storia/$"))
    expect(main.get_by_role("heading", level=1)).to_contain_text("Métropole de Lyon")
    expect_change(page, "Città", "Lione", "Lyon")
    expect_change(page, "Sito web", "—", "https://www.grandlyon.com/")
    expect_change(page, "Paese", "—", "Francia")
    expect_change(page, "Settori di interesse", "—", "Cultura")
    expect_change(page, "Ruolo", "—", "Presidente")
    assert_accessible(page, "organisation history")
