"""A read-only role sees the registry but cannot change it, in the pages as on the server."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_a_reviewer_reads_a_partner_but_cannot_edit_it(
    page: Page, login: Any, assert_accessible: Any, make_org: Any
) -> None:
    org = make_org(name="Città di Reims", country="FR", city="Reims")
    main = page.locator("main")
    login(page, "revisore")

    page.goto(f"/partner/{org.pk}/")
    expect(main.get_by_role("heading", level=1)).to_have_text("Città di Reims")
    expect(main.get_by_role("link", name="Modifica", exact=True)).to_have_count(0)
    expect(main.get_by_role("link", name="Elimina")).to_have_count(0)
    expect(main.get_by_role("link", name="Aggiungi persona e incarico")).to_have_count(0)
    expect(main.get_by_role("heading", name="Storia delle modifiche")).to_be_visible()
    assert_accessible(page, "organisation detail, read-only")

    response = page.goto(f"/partner/{org.pk}/modifica/")
    assert response is not None and response.status == 403
    expect(main.get_by_role("heading", level=1)).to_have_text("Accesso negato")
    expect(main.get_by_role("textbox")).to_have_count(0)
    assert_accessible(page, "403 forbidden")
