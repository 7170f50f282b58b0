"""Planning in a real browser, on the seed's objective 1901/0159 (the planning demo).

As the Responsabile: open the objective, set a target, import amounts (a refused file first,
then a good one) and see the totals and the chart change; generate the DUP sheet and the
progress report. As the Revisore: read everything, change nothing. axe-core on every page.
"""

from __future__ import annotations

import io
import re
import subprocess
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import label

pytestmark = pytest.mark.browser

GOOD_CSV = "tipo;capitolo;anno;impegnato_accertato\nS;1452;2023;7.500,00\n"
BAD_CSV = "tipo;capitolo;anno;impegnato_accertato\nS;1452;2023;abc\nS;1452;2031;10\n"


@pytest.fixture
def dup(ente: Any) -> Any:
    from ponti.planning.demo import load_planning
    from ponti.planning.models import Objective

    load_planning()
    return Objective.objects.get(code="1901/0159")


def pdf_text(data: bytes) -> str:
    command = ["pdftotext", "-layout", "-", "-"]
    done = subprocess.run(command, input=data, capture_output=True, check=True)  # noqa: S603
    return done.stdout.decode()


def test_the_responsabile_plans_imports_and_generates_the_documents(
    page: Page, login: Any, assert_accessible: Any, dup: Any, tmp_path: Any
) -> None:
    main = page.locator("main")
    login(page, "responsabile")

    # The tree, then the objective with the example notice and the seed's totals.
    page.get_by_role("navigation", name="Menu principale").get_by_role(
        "link", name="Obiettivi"
    ).click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Obiettivi del DUP")
    assert_accessible(page, "planning objectives tree")
    main.get_by_role("link", name="LA CITTÀ METROPOLITANA NEL MONDO").click()
    expect(main.get_by_role("heading", level=1)).to_have_text(
        "1901/0159 - LA CITTÀ METROPOLITANA NEL MONDO"
    )
    expect(main.get_by_text("Importi di esempio", exact=False).first).to_be_visible()
    spesa = main.locator("#totals-spesa")
    expect(spesa.locator("table")).to_contain_text("23.320,00")  # impegnato 2023: 16.200 + 7.120
    expect(spesa.locator("svg[role=img]")).to_contain_text("23.320")
    assert_accessible(page, "planning objective 1901/0159")

    # A target for 2023 on "Delegazioni ricevute".
    main.get_by_role(
        "link", name=re.compile("Obiettivi attesi e valori · Delegazioni ricevute")
    ).click()
    expect(main.get_by_role("heading", level=1)).to_contain_text("Delegazioni ricevute")
    assert_accessible(page, "planning indicator values")
    main.get_by_label(label("Obiettivo atteso 2023")).fill("abc")
    main.get_by_role("button", name="Salva").click()
    expect(main.get_by_label(label("Obiettivo atteso 2023"))).to_have_value("abc")
    assert_accessible(page, "planning indicator values, error")
    main.get_by_label(label("Obiettivo atteso 2023")).fill("9")
    main.get_by_role("button", name="Salva").click()
    expect(main.get_by_role("heading", level=1)).to_have_text(
        "1901/0159 - LA CITTÀ METROPOLITANA NEL MONDO"
    )
    from ponti.planning.models import IndicatorValue

    assert IndicatorValue.objects.get(indicator__name="Delegazioni ricevute", year=2023).target == 9

    # Import amounts: a refused file saves nothing; a good one changes the totals and the chart.
    page.get_by_role("navigation", name="Menu principale").get_by_role(
        "link", name="Bilancio"
    ).click()
    assert_accessible(page, "planning budget lines")
    main.get_by_role("link", name="Importa gli importi").click()
    # The import engine's page, with the kind chosen; the check runs in the background.
    expect(main.get_by_label("Dati da importare")).to_have_value("budget")
    assert_accessible(page, "planning import")
    bad, good = tmp_path / "sbagliato.csv", tmp_path / "importi.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    good.write_text(GOOD_CSV, encoding="utf-8")
    main.get_by_label(label("File")).set_input_files(str(bad))
    main.get_by_role("button", name="Verifica il file").click()
    expect(main).to_contain_text("Righe da correggere")
    expect(main).to_contain_text("abc")
    expect(main).to_contain_text("2031")
    expect(main.get_by_role("button", name=re.compile("^Conferma"))).to_have_count(0)
    assert_accessible(page, "planning import, refused file")
    page.goto("/importazioni/nuova/?tipo=budget")
    main.get_by_label(label("File")).set_input_files(str(good))
    main.get_by_role("button", name="Verifica il file").click()
    expect(main).to_contain_text("Verificata: pronta da confermare")
    assert_accessible(page, "planning import, dry run")
    main.get_by_role("button", name=re.compile("^Conferma: scrivi")).click()
    expect(main.get_by_role("status").first).to_contain_text("Importata")

    page.goto(f"/programmazione/obiettivi/{dup.pk}/")
    expect(spesa.locator("table")).to_contain_text("23.700,00")  # 16.200 + 7.500
    expect(spesa.locator("svg[role=img]")).to_contain_text("23.700")

    # The DUP sheet: HTML in the browser, PDF downloaded and read back.
    main.get_by_role("link", name="HTML · scheda DUP").click()
    expect(page.get_by_text("OBIETTIVO STRATEGICO", exact=True)).to_be_visible()
    expect(page.get_by_text("IMPORTI DI ESEMPIO", exact=False).first).to_be_visible()
    assert_accessible(page, "planning DUP sheet HTML")
    page.go_back()
    with page.expect_download() as download:
        main.get_by_role("link", name="PDF · scheda DUP").click()
    sheet = download.value.path().read_bytes()
    assert sheet.startswith(b"%PDF")
    text = pdf_text(sheet)
    assert (
        text.index("OBIETTIVO STRATEGICO")
        < text.index("OBIETTIVO OPERATIVO")
        < text.index("RISORSE FINANZIARIE 2022-2023-2024")
    )
    assert "23.700,00" in text and "IMPORTI DI ESEMPIO" in text

    # The progress report for 2023: PDF, and DOCX (editable).
    with page.expect_download() as download:
        main.get_by_role("link", name="PDF · stato di attuazione 2023").click()
    report = pdf_text(download.value.path().read_bytes())
    assert "23.700,00" in report and "Delegazioni ricevute" in report
    with page.expect_download() as download:
        main.get_by_role("link", name="DOCX · stato di attuazione 2023").click()
    from docx import Document

    document = Document(io.BytesIO(download.value.path().read_bytes()))
    words = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    assert "23.700,00" in words

    # The other pages an editor opens: a new objective's form, a line, its amounts with an error.
    page.goto("/programmazione/obiettivi/nuovo/")
    assert_accessible(page, "planning objective form")
    page.goto("/programmazione/capitoli/")
    main.get_by_role("link", name="1452", exact=True).click()
    assert_accessible(page, "planning budget line")
    main.get_by_role("link", name="Modifica gli importi 2024").click()
    main.get_by_label(label("Impegnato")).fill("12,345")
    main.get_by_role("button", name="Salva").click()
    expect(main.get_by_label(label("Impegnato"))).to_have_value("12,345")
    expect(main).to_contain_text("più di 2 decimali")
    assert_accessible(page, "planning amount form, error")
    page.goto("/programmazione/classificazione/")
    expect(main).to_contain_text("Relazioni internazionali e Cooperazione allo sviluppo")
    assert_accessible(page, "planning budget classification")


def test_the_revisore_reads_but_changes_nothing(
    page: Page, login: Any, assert_accessible: Any, dup: Any
) -> None:
    main = page.locator("main")
    login(page, "revisore")
    page.goto(f"/programmazione/obiettivi/{dup.pk}/")
    expect(main.get_by_role("heading", level=1)).to_have_text(
        "1901/0159 - LA CITTÀ METROPOLITANA NEL MONDO"
    )
    expect(main.locator("#totals-entrata table")).to_contain_text("32.000,00")
    for name in ("Modifica", "Elimina", "Aggiungi indicatore", "Aggiungi sotto-obiettivo"):
        expect(main.get_by_role("link", name=name, exact=True)).to_have_count(0)
    expect(main.get_by_role("link", name=re.compile("Obiettivi attesi e valori"))).to_have_count(0)
    expect(main.get_by_role("link", name="PDF · scheda DUP")).to_be_visible()
    assert_accessible(page, "planning objective as revisore")

    page.get_by_role("navigation", name="Menu principale").get_by_role(
        "link", name="Bilancio"
    ).click()
    expect(main.get_by_role("link", name="Importa gli importi")).to_have_count(0)
    expect(main.get_by_role("link", name="Nuovo capitolo")).to_have_count(0)
    main.get_by_role("link", name="1450", exact=True).click()
    expect(main.get_by_role("link", name=re.compile("gli importi"))).to_have_count(0)
    assert_accessible(page, "planning budget line as revisore")

    indicator = dup.indicators.get(metric="delegations_received")
    for url in (
        f"/programmazione/indicatori/{indicator.pk}/valori/",
        "/programmazione/capitoli/importa/",
        f"/programmazione/obiettivi/{dup.pk}/modifica/",
    ):
        response = page.goto(url)
        assert response is not None and response.status == 403, url
    assert_accessible(page, "planning 403 for revisore")


def test_the_administrator_forms_the_classification_and_english(
    page: Page, login: Any, assert_accessible: Any, dup: Any, tmp_path: Any
) -> None:
    main = page.locator("main")
    login(page, "admin")

    # Forms an editor opens, empty and with errors.
    page.goto(f"/programmazione/obiettivi/{dup.pk}/indicatori/nuovo/")
    expect(main.get_by_role("heading", level=1)).to_have_text("Nuovo indicatore")
    main.get_by_role("button", name="Salva").click()
    expect(main.locator(".invalid-feedback, .form-feedback").first).to_be_visible()
    assert_accessible(page, "planning indicator form, error")
    page.goto(f"/programmazione/capitoli/nuovo/?objective={dup.pk}")
    expect(main.get_by_role("heading", level=1)).to_have_text("Nuovo capitolo di bilancio")
    assert_accessible(page, "planning budget line form")
    page.goto(f"/programmazione/obiettivi/{dup.pk}/elimina/")
    assert_accessible(page, "planning objective delete confirmation")

    # The classification: from its page to the import engine's, the kind chosen; a dry run of
    # a changed label (in the background), then confirmed.
    page.goto("/programmazione/classificazione/")
    main.get_by_role("link", name="Importa da CSV").click()
    expect(main.get_by_label("Dati da importare")).to_have_value("budget-codes")
    assert_accessible(page, "planning classification import")
    changed = tmp_path / "classificazione.csv"
    changed.write_text(
        "level,side,code,name,parent_code\n"
        "programma,spesa,1901,Relazioni internazionali e Cooperazione allo sviluppo (rev.),19\n",
        encoding="utf-8",
    )
    main.get_by_label(label("File")).set_input_files(str(changed))
    main.get_by_role("button", name="Verifica il file").click()
    expect(main).to_contain_text("Verificata: pronta da confermare")
    assert_accessible(page, "planning classification import, dry run")
    main.get_by_role("button", name=re.compile("^Conferma: scrivi")).click()
    expect(main.get_by_role("status").first).to_contain_text("Importata")
    page.goto("/programmazione/classificazione/")
    expect(main).to_contain_text("(rev.)")

    # The progress report as a page, and the objective in English.
    page.goto(f"/programmazione/obiettivi/{dup.pk}/stato-di-attuazione/2023.html")
    expect(page.get_by_text("Delegazioni ricevute").first).to_be_visible()
    assert_accessible(page, "planning progress report HTML")
    page.goto(f"/programmazione/obiettivi/{dup.pk}/")
    page.get_by_role("form", name="Lingua").get_by_role("button", name="English").click()
    expect(page.locator("html main[lang=en]")).to_be_visible()
    expect(main.locator("#totals-spesa")).to_contain_text("Expenditure totals")
    assert_accessible(page, "planning objective (English)")
    page.goto("/programmazione/capitoli/")
    assert_accessible(page, "planning budget lines (English)")
