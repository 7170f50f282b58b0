"""Two people edit the same follow-up action in two browsers: the second save is refused, the
page says who changed what, what was typed is still in the form, and saving again is a
choice. axe-core on the conflict page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.security.builders import OVERRIDES, build

pytestmark = pytest.mark.browser


def test_a_second_editor_sees_the_conflict_and_keeps_what_they_typed(
    page: Page,
    browser: Browser,
    browser_context_args: dict[str, Any],
    login: Any,
    assert_accessible: Any,
    ente: Any,
    personas: dict[str, Any],
) -> None:
    from ponti.meetings.models import FollowUpAction

    action = build(
        FollowUpAction,
        ente=ente,
        **OVERRIDES["meetings.followupaction"](ente),
        owner=personas["ufficio"],
        description="Mandare il catalogo",
        confidentiality="interno",
    )
    url = f"/incontri/azioni/{action.pk}/"

    other = browser.new_context(**browser_context_args).new_page()
    login(other, "consigliere")
    other.goto(url)
    login(page, "ufficio")
    page.goto(url)

    # The first editor saves.
    other.locator("#id_description").fill("Mandare il catalogo della mostra")
    other.get_by_role("button", name="Salva").click()
    expect(other.get_by_text("Azione salvata.")).to_be_visible()

    # The second, from the page read before, is refused.
    main = page.locator("main")
    main.locator("#id_description").fill("Mandare il catalogo e il programma")
    main.get_by_role("button", name="Salva").click()
    conflict = main.locator("#conflict")
    expect(conflict).to_contain_text("qualcun altro ha modificato")
    expect(conflict).to_contain_text("consigliere")
    expect(conflict).to_contain_text("Mandare il catalogo della mostra")
    expect(main.locator("#id_description")).to_have_value("Mandare il catalogo e il programma")
    assert_accessible(page, "conflict: follow-up action")

    # Saving again, having seen the change, is a decision.
    main.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Azione salvata.")).to_be_visible()
    action.refresh_from_db()
    assert action.description == "Mandare il catalogo e il programma"
    assert action.version == 3
