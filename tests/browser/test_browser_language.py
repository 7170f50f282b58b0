"""The IT/EN switch in the header: the same page, announced and shown in the other language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import dateformat, timezone, translation
from django.utils.dateparse import parse_datetime
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def month_names(iso: str) -> dict[str, str]:
    """The month of an ISO datetime as Django writes it in each language (its own catalogue)."""
    moment = timezone.localtime(parse_datetime(iso))
    names = {}
    for language in ("it", "en"):
        with translation.override(language):
            names[language] = dateformat.format(moment, "F")
    return names


def test_the_language_switch_shows_the_page_in_english_and_back(
    page: Page, login: Any, assert_accessible: Any, make_org: Any
) -> None:
    org = make_org(name="Fès", country="MA", city="Fès")
    login(page, "ufficio")
    page.goto(f"/partner/{org.pk}/")
    main = page.locator("html main#main")
    expect(main).to_have_attribute("lang", "it")
    created = main.locator("time").first
    months = month_names(created.get_attribute("datetime") or "")
    expect(created).to_contain_text(months["it"])

    page.get_by_role("form", name="Lingua").get_by_role("button", name="English").click()
    expect(page.locator("html main[lang=en]")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/partner/{org.pk}/$"))
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")
    expect(page.locator("div:has(> header.it-header-wrapper)")).to_have_attribute("lang", "en")
    expect(page.locator("footer.it-footer")).to_have_attribute("lang", "en")
    # Dates are written by Django with its own catalogue: the month is in English now.
    expect(created).to_contain_text(months["en"])
    assert_accessible(page, "organisation detail (English)")

    page.get_by_role("button", name="Italiano").click()
    expect(main).to_have_attribute("lang", "it")
    expect(page.get_by_role("button", name="Italiano")).to_have_attribute("aria-current", "true")
    expect(created).to_contain_text(months["it"])
