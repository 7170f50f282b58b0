"""Searching in the browser: a refused search says why, where, and keeps what was typed; a
reader without clearance finds nothing through a riservato person's name."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_a_search_with_a_control_character_is_refused_accessibly(
    page: Page, login: Any, assert_accessible: Any, make_person: Any
) -> None:
    make_person(first_name="Paolo", last_name="Bianchi")
    main = page.locator("main")
    login(page, "ufficio")
    response = page.goto("/partner/persone/?q=bian%01chi")
    assert response is not None and response.status == 400
    search = main.get_by_label("Cerca per nome o e-mail")
    expect(search).to_have_attribute("aria-invalid", "true")
    expect(search).to_have_value("bian\x01chi")
    expect(main).to_contain_text("carattere di controllo (U+0001)")
    expect(main).to_contain_text("0 persone trovate")
    assert_accessible(page, "people search refused")
    # Correcting the text searches again.
    search.fill("bianchi")
    main.get_by_role("button", name="Cerca").click()
    expect(main).to_contain_text("1 persona trovata")


def test_an_organisation_is_not_found_by_a_hidden_persons_name(
    page: Page, login: Any, make_org: Any, make_person: Any
) -> None:
    from ponti.partners.models import Position

    org = make_org(name="Consolato onorario di Malta", kind="consulate_honorary", country="MT")
    consul = make_person(first_name="Carmelo", last_name="Zammit", confidentiality="riservato")
    Position.objects.create(person=consul, organisation=org, role="Console onorario")
    main = page.locator("main")
    for role, found in (("ufficio", "1 organizzazione trovata"), ("revisore", "0 organizzazioni")):
        page.context.clear_cookies()
        login(page, role)
        page.goto("/partner/")
        main.get_by_role("textbox", name="Cerca").fill("zammit")
        main.get_by_role("button", name="Cerca").click()
        expect(main.locator("#results")).to_contain_text(found)
