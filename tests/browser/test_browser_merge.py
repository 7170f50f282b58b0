"""Merging a duplicate as people do it: find the one that stays by its name, never its ID."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import label, tick

pytestmark = pytest.mark.browser


def test_merging_finds_the_organisation_that_stays_by_name(
    page: Page, login: Any, assert_accessible: Any, make_org: Any
) -> None:
    from ponti.partners.models import Organisation

    duplicate = make_org(name="Colonia", country="DE", city="Colonia")
    koln = make_org(name="Köln", country="DE", city="Köln", website="https://www.stadt-koeln.de/")
    make_org(name="Kölner Philharmonie", country="DE", kind="cultural")
    login(page, "ufficio")
    page.goto(f"/partner/{duplicate.pk}/")
    page.get_by_role("link", name="Unisci un duplicato").click()
    main = page.locator("main")
    expect(main.locator("h1")).to_contain_text("Colonia")
    # The likely duplicate is offered first, with why: Colonia is Köln's Italian name.
    results = main.locator("#merge-results")
    expect(results.get_by_label("Köln", exact=True)).to_be_visible()
    expect(results).to_contain_text("GeoNames")
    assert_accessible(page, "merge page, likely duplicates")

    # Searching by name (no ID anywhere) updates the results in place.
    page.evaluate("window.pontiSamePage = true")
    main.get_by_label(label("Cerca l'organizzazione che resta, per nome")).press_sequentially(
        "Kölner"
    )
    expect(results.get_by_label("Kölner Philharmonie")).to_be_visible()
    expect(results.get_by_label("Köln", exact=True)).to_have_count(0)
    assert page.evaluate("window.pontiSamePage === true")
    search = main.get_by_label(label("Cerca l'organizzazione che resta, per nome"))
    search.fill("")
    search.press_sequentially("koln")
    expect(results.get_by_label("Köln", exact=True)).to_be_visible()
    assert_accessible(page, "merge page, search results")

    # Choose with the keyboard, confirm, merge.
    results.get_by_label("Köln", exact=True).focus()
    page.keyboard.press("Space")
    main.get_by_role("button", name="Unisci").click()
    expect(main.locator("#target-errors, #id_confirm-feedback")).to_contain_text("obbligatorio")
    expect(results.get_by_label("Köln", exact=True)).to_be_checked()
    tick(main, "Confermo l'unione: non si può annullare.")
    main.get_by_role("button", name="Unisci").click()
    expect(page.get_by_role("status").filter(has_text="è stata unita")).to_be_visible()
    expect(page).to_have_url(f"{page.url.split('/partner/')[0]}/partner/{koln.pk}/")
    expect(main).to_contain_text("Duplicati uniti in questa scheda: Colonia")
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    assert_accessible(page, "organisation page after a merge")
