"""GDPR pages in a real browser: export, review of retention, erasure; each passes axe-core."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import tick

pytestmark = pytest.mark.browser


def _old(person: Any) -> Any:
    person.__class__.objects.filter(pk=person.pk).update(
        gdpr_date=datetime.date(2015, 1, 1),
        updated_at=datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC),
    )
    return person


def test_an_administrator_reviews_exports_and_erases_a_person(
    page: Page, login: Any, assert_accessible: Any, make_person: Any, ente: Any
) -> None:
    from ponti.meetings.models import Meeting, Participant

    person = _old(make_person(first_name="Ottavia", last_name="Quercioli", kind="citizen"))
    meeting = Meeting.objects.create(
        ente=ente,
        title="Forum delle città",
        status="svolto",
        starts_at=datetime.datetime(2016, 5, 2, 9, tzinfo=datetime.UTC),
    )
    Participant.objects.create(meeting=meeting, side="controparte", person=person, role="Ospite")
    main = page.locator("main")
    login(page, "admin")

    page.goto("/partner/persone/")
    main.get_by_role("link", name="Revisione della conservazione").click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Persone da rivedere")
    expect(main.get_by_role("link", name="Ottavia Quercioli", exact=True)).to_be_visible()
    assert_accessible(page, "retention review")

    main.get_by_role("link", name="Conserva Ottavia Quercioli").click()
    main.get_by_role("button", name="Conserva").click()
    expect(main.locator(".invalid-feedback")).to_be_visible()
    assert_accessible(page, "keep a person, with an error")
    main.get_by_label("Perché conservare i dati").fill("Nuovo gemellaggio in preparazione")
    main.get_by_role("button", name="Conserva").click()
    expect(main.get_by_text("Nessuna persona da rivedere.")).to_be_visible()

    page.goto(f"/partner/persone/{person.pk}/")
    with page.expect_download() as download:
        main.get_by_role("link", name="Dati personali (PDF)").click()
    assert download.value.suggested_filename == f"dati-personali-{person.pk}.pdf"

    main.get_by_role("link", name="Cancella i dati (GDPR)").click()
    expect(main.get_by_role("heading", level=1)).to_contain_text("Cancellare i dati")
    expect(main.get_by_text("Persona rimossa #")).to_be_visible()
    assert_accessible(page, "erasure confirmation")
    main.get_by_role("button", name="Pseudonimizza").click()
    expect(main.get_by_text("Conferma per procedere.")).to_be_visible()
    tick(main, "Ho verificato: la cancellazione è definitiva e non si può annullare.")
    main.get_by_role("button", name="Pseudonimizza").click()
    expect(main.get_by_role("heading", level=1)).to_have_text(f"Persona rimossa #{person.pk}")
    assert_accessible(page, "a pseudonymised person")


def test_a_reviewer_sees_no_gdpr_actions(page: Page, login: Any, make_person: Any) -> None:
    person = make_person()
    main = page.locator("main")
    login(page, "revisore")
    page.goto(f"/partner/persone/{person.pk}/")
    expect(main.get_by_role("link", name="Dati personali (PDF)")).to_have_count(0)
    expect(main.get_by_role("link", name="Cancella i dati (GDPR)")).to_have_count(0)
    response = page.goto(f"/partner/persone/{person.pk}/cancella/")
    assert response is not None and response.status == 403
