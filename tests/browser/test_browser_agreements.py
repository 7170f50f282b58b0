"""An agreement's life in the browser: a friendship pact from proposal to active, its
anniversary and expiry in Scadenze, a forbidden step refused, a document shared, and the
auditor reading without editing. Every page is checked by axe-core."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import label

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _step(page: Page, target: str, **fields: str) -> None:
    main = page.locator("main")
    main.get_by_label("Passaggio").select_option(target)
    if fields:
        main.locator("details summary").click()
        for name, value in fields.items():
            main.get_by_label(label(name)).fill(value)
    main.get_by_role("button", name="Conferma il passaggio").click()


def test_a_friendship_pact_from_proposal_to_active(
    page: Page,
    login: Any,
    assert_accessible: Any,
    make_org: Any,
    make_person: Any,
    tmp_path: Any,
    settings: Any,
) -> None:
    from ponti.partners.models import Position

    settings.MEDIA_ROOT = tmp_path
    today = datetime.date.today()
    signed = today.replace(year=today.year - 10) + datetime.timedelta(
        days=30
    )  # 10th anniversary next month
    gifu = make_org(name="Gifu", kind="city", country="JP", city="Gifu")
    mayor = make_person(first_name="Yoshihide", last_name="Shibahashi")
    Position.objects.create(
        person=mayor, organisation=gifu, role="Sindaco", start_date=datetime.date(2000, 1, 1)
    )
    main = page.locator("main")

    login(page, "ufficio")
    page.get_by_role("navigation", name="Menu principale").get_by_role(
        "link", name="Accordi"
    ).click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Accordi e gemellaggi")
    assert_accessible(page, "agreement list")
    main.get_by_role("link", name="Nuovo accordo").click()
    assert_accessible(page, "agreement create form")
    main.get_by_label(label("Tipo")).select_option("amicizia")
    main.get_by_label(label("Titolo")).fill("Patto di amicizia Firenze – Gifu")
    main.get_by_label(label("Partner")).fill(f"{gifu.pk} Gifu")
    main.get_by_label(label("Fine validità")).fill(
        (today + datetime.timedelta(days=60)).isoformat()
    )
    main.get_by_role("button", name="Salva").click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Patto di amicizia Firenze – Gifu")
    expect(main.locator("#agreement-status")).to_have_text("Proposta")
    assert_accessible(page, "agreement detail, proposal")

    _step(page, "negoziazione")
    expect(main.locator("#agreement-status")).to_have_text("In negoziazione")
    _step(
        page,
        "approvato",
        **{
            "Numero dell'atto": "45",
            "Data dell'atto": (signed - datetime.timedelta(days=20)).isoformat(),
        },
    )
    expect(page.get_by_role("alert")).to_contain_text(
        "Obbligatori"
    )  # the body of the act is missing
    main.locator("details summary").click()
    main.get_by_label(label("Passaggio")).select_option("approvato")
    main.get_by_label(label("Organo che approva")).select_option("consiglio")
    main.get_by_label(label("Numero dell'atto")).fill("45")
    main.get_by_label(label("Data dell'atto")).fill(
        (signed - datetime.timedelta(days=20)).isoformat()
    )
    main.get_by_role("button", name="Conferma il passaggio").click()
    expect(main.locator("#agreement-status")).to_have_text("Approvato")
    _step(
        page,
        "firmato",
        **{"Data della firma": signed.isoformat(), "Luogo della firma": "Palazzo Vecchio"},
    )
    expect(main.locator("#agreement-status")).to_have_text("Firmato")

    # Signatories: the registry's mayor, in the position held on the signing day.
    main.get_by_label(label("Parte")).select_option("partner")
    main.get_by_label(label("Persona del registro")).fill(f"{mayor.pk} Yoshihide Shibahashi")
    main.get_by_role("button", name="Aggiungi firmatario").click()
    expect(main.get_by_role("link", name="Yoshihide Shibahashi")).to_be_visible()
    expect(main).to_contain_text("Sindaco (Gifu)")

    _step(page, "attivo")
    expect(main.locator("#agreement-status")).to_have_text("Attivo")
    expect(main.locator("#timeline li")).to_have_count(4)
    assert_accessible(page, "agreement detail, active")

    # A forbidden step, forced into the form: refused with a clear message.
    page.evaluate("""() => { const s = document.querySelector('#id_target');
        const o = document.createElement('option'); o.value = 'proposta'; o.text = 'proposta'; s.add(o); s.value = 'proposta'; }""")
    main.get_by_role("button", name="Conferma il passaggio").click()
    expect(page.get_by_role("alert")).to_contain_text("non consentito")
    expect(main.locator("#agreement-status")).to_have_text("Attivo")

    # A document, downloaded later by another role.
    pdf = tmp_path / "patto-gifu.pdf"
    pdf.write_bytes(PDF)
    main.get_by_label(label("Titolo")).last.fill("Testo firmato")
    main.get_by_label(label("File (PDF, ODT o DOCX)")).set_input_files(str(pdf))
    main.get_by_role("button", name="Carica").click()
    expect(main.get_by_role("link", name="Testo firmato")).to_be_visible()
    agreement_url = page.url

    # Scadenze: its expiry and its anniversary.
    page.get_by_role("navigation", name="Menu principale").get_by_role(
        "link", name="Scadenze"
    ).click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Scadenze")
    expect(
        main.get_by_role("link", name="Patto di amicizia Firenze – Gifu", exact=True)
    ).to_be_visible()
    expect(
        main.get_by_role("link", name=re.compile("10 anni: Patto di amicizia Firenze"))
    ).to_be_visible()
    assert_accessible(page, "due items")

    # The auditor reads, downloads, but cannot edit.
    page.get_by_role("button", name="Esci").click()
    login(page, "revisore")
    page.goto(agreement_url)
    expect(main.get_by_role("heading", level=1)).to_have_text("Patto di amicizia Firenze – Gifu")
    expect(main.get_by_role("link", name="Modifica")).to_have_count(0)
    expect(main.get_by_role("button", name="Conferma il passaggio")).to_have_count(0)
    with page.expect_download() as download:
        main.get_by_role("link", name="Testo firmato").click()
    assert download.value.path().read_bytes() == PDF
    assert_accessible(page, "agreement detail, auditor")
    response = page.goto(agreement_url + "modifica/")
    assert response is not None and response.status == 403


def test_a_twinning_in_force_since_1958_is_registered_and_its_act_completed_later(
    page: Page, login: Any, assert_accessible: Any, make_org: Any
) -> None:
    kassel = make_org(name="Kassel", kind="city", country="DE", city="Kassel")
    main = page.locator("main")
    login(page, "ufficio")
    page.goto("/accordi/nuovo/")
    main.get_by_label(label("Tipo")).select_option("gemellaggio")
    main.get_by_label(label("Titolo")).fill("Gemellaggio Firenze – Kassel")
    main.get_by_label(label("Partner")).fill(f"{kassel.pk} Kassel")
    main.get_by_label(label("Stato")).select_option("attivo")
    main.get_by_label(label("Data della firma")).fill("luglio 1958")
    main.get_by_label(label("Affidabilità dei dati")).select_option("low")
    main.get_by_label(label("Fonte")).fill("https://it.wikipedia.org/wiki/Gemellaggio")
    main.get_by_role("button", name="Salva").click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Gemellaggio Firenze – Kassel")
    expect(main.locator("#agreement-status")).to_have_text("Attivo")
    expect(main).to_contain_text("luglio 1958")
    expect(main.locator(".ponti-badge-verify")).to_have_text("da verificare")
    assert_accessible(page, "historic agreement, low confidence")

    main.get_by_role("link", name="Modifica").first.click()
    main.get_by_label(label("Organo che approva")).select_option("consiglio")
    main.get_by_label(label("Numero dell'atto")).fill("112")
    main.get_by_label(label("Data dell'atto")).fill("1958-05-20")
    main.get_by_label(label("Affidabilità dei dati")).select_option("high")
    main.get_by_role("button", name="Salva").click()
    expect(main.locator("#agreement-status")).to_have_text("Attivo")
    expect(main).to_contain_text("n. 112")
    expect(main.locator(".ponti-badge-verify")).to_have_count(0)
