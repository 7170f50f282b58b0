"""The change log in the browser: the auditor filters it by the keyboard, a bad date is
explained next to its field and kept as typed, and both pages pass axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_an_auditor_filters_the_change_log(
    page: Page, login: Any, assert_accessible: Any, personas: Any, ente: Any
) -> None:
    from ponti.core.audit import acting_as, in_channel
    from ponti.meetings.models import Meeting

    with acting_as(personas["ufficio"]), in_channel("api"):
        Meeting.objects.create(ente=ente, title="Visita del Console di Francia")
    with acting_as(personas["consigliere"]), in_channel("web"):
        Meeting.objects.create(ente=ente, title="Incontro con Kyoto")
    main = page.locator("main")
    login(page, "revisore")

    page.goto("/registro-modifiche/")
    expect(main.get_by_role("heading", level=1)).to_have_text("Registro delle modifiche")
    main.get_by_label("Tipo di record").select_option(label="Incontro")
    main.get_by_label("Canale").select_option("api")
    main.get_by_label("Dal giorno").fill("01/01/2020")
    main.get_by_label("Dal giorno").press("Enter")
    expect(main.get_by_role("status")).to_have_text("1 evento")
    expect(main.get_by_text("«Visita del Console di Francia»")).to_be_visible()
    expect(main.get_by_text("«Incontro con Kyoto»")).to_have_count(0)
    expect(main.get_by_label("Canale")).to_have_value("api")
    export = main.get_by_role("link", name="Esporta in CSV").get_attribute("href") or ""
    assert "channel=api" in export and "kind=meetings.meeting" in export
    assert export.endswith("export=csv")
    assert_accessible(page, "change log, filtered")

    main.get_by_label("Al giorno (incluso)").fill("31/02/2020")
    main.get_by_role("button", name="Filtra").click()
    date_to = main.get_by_label("Al giorno (incluso)")
    expect(date_to).to_have_value("31/02/2020")
    expect(date_to).to_have_attribute("aria-invalid", "true")
    expect(main.get_by_text("Scrivi la data come gg/mm/aaaa, es. 31/05/2024.")).to_be_visible()
    expect(main.get_by_label("Canale")).to_have_value("api")
    assert_accessible(page, "change log, a bad date")
