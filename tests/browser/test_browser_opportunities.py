"""Opportunities in a real browser: the office registers a CERV Town-Twinning call with its
deadline, moves the decision, and filters the list by programme, status and deadline window.
axe-core checks every page on the way."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import label

pytestmark = pytest.mark.browser


def test_the_office_registers_a_call_moves_its_decision_and_filters_the_list(
    page: Page, login: Any, assert_accessible: Any, ente: Any
) -> None:
    main = page.locator("main")
    login(page, "ufficio")
    page.get_by_role("navigation", name="Menu principale").get_by_role(
        "link", name="Opportunità"
    ).click()
    expect(main.get_by_role("heading", level=1)).to_contain_text("Opportunità")
    assert_accessible(page, "opportunities list, empty")

    main.get_by_role("link", name="Nuova opportunità").click()
    assert_accessible(page, "opportunity form")
    main.get_by_label(label("Programma")).select_option(
        label="Citizens, Equality, Rights and Values programme (CERV), 2021-2027"
    )
    main.get_by_role("textbox", name="Titolo (obbligatorio)").fill("Gemellaggio con Reims e Kassel")
    main.get_by_label(label("Titolo in inglese")).fill("Town-Twinning 2026")
    main.get_by_label(label("Identificativo del topic")).fill("CERV-2026-CITIZENS-TOWN-TT")
    main.get_by_label(label("Apertura")).fill("2026-01-15")
    main.get_by_label(label("Scadenze")).fill("15/09/2030 17:00")
    main.get_by_label(label("Contributo atteso per progetto (€)")).fill("30.000,00")
    main.get_by_role("button", name="Salva").click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Gemellaggio con Reims e Kassel")
    assert re.search(r"/opportunita/\d+/$", page.url), page.url
    expect(main.locator("#deadlines")).to_contain_text("15 settembre 2030, 17:00")
    expect(main.locator("#call-status")).to_have_text("Aperto")
    assert_accessible(page, "opportunity detail, new")

    # A discard without a reason is refused; the call is judged interesting instead.
    main.get_by_label("Passaggio").select_option(value="scartata")
    main.get_by_role("button", name="Conferma il passaggio").click()
    expect(page.get_by_text("Indica perché l'opportunità è scartata.")).to_be_visible()
    main.get_by_label("Passaggio").select_option(value="interessante")
    main.get_by_role("button", name="Conferma il passaggio").click()
    expect(main.locator("#opportunity-decision")).to_have_text("Interessante")
    main.get_by_label("Passaggio").select_option(value="in_preparazione")
    main.get_by_role("button", name="Conferma il passaggio").click()
    expect(main.locator("#opportunity-decision")).to_have_text("Candidatura in preparazione")
    expect(main.locator("#timeline")).to_contain_text("Interessante")
    assert_accessible(page, "opportunity detail, in preparation")

    # The list, filtered: found by the English title, by status and by the deadline's window.
    page.goto("/opportunita/")
    main.get_by_role("textbox", name="Cerca").fill("town-twinning")
    main.get_by_label(label("Stato del bando")).select_option(label="Aperto")
    main.get_by_label(label("Scadenza dal")).fill("2030-09-01")
    main.get_by_label(label("Scadenza fino al")).fill("2030-09-30")
    main.get_by_role("button", name="Filtra").click()
    expect(main.locator("#opportunity-count")).to_have_text("1 opportunità")
    expect(main.locator("#opportunities")).to_contain_text("Candidatura in preparazione")
    assert_accessible(page, "opportunities list, filtered")
    main.get_by_label(label("Stato del bando")).select_option(label="Chiuso")
    main.get_by_role("button", name="Filtra").click()
    expect(main.get_by_role("status")).to_contain_text("Nessuna opportunità")
