"""The partner list's export in a real browser: the filtered list, downloaded as a file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.exports.helpers import csv_rows, xlsx_rows

pytestmark = pytest.mark.browser


def test_the_partner_list_downloads_its_filtered_export(
    page: Page, login: Any, assert_accessible: Any, make_org: Any
) -> None:
    make_org(name="Università di Lione", kind="university", confidentiality="pubblico")
    make_org(name="Città di Kyoto", kind="city", country="JP", confidentiality="pubblico")
    main = page.locator("main")
    login(page, "ufficio")
    page.goto("/partner/?kind=university")
    exports = main.get_by_role("navigation", name="Esporta questo elenco")
    expect(exports.get_by_role("link", name="Esporta CSV")).to_be_visible()
    assert_accessible(page, "partner list with its exports")

    with page.expect_download() as download:
        exports.get_by_role("link", name="Esporta CSV").click()
    assert re.fullmatch(r"organizzazioni-\d{4}-\d{2}-\d{2}\.csv", download.value.suggested_filename)
    rows = csv_rows(Path(download.value.path()).read_bytes())
    assert rows[0][:3] == ["ID", "Nome", "Tipo"]
    assert [r[1] for r in rows[1:]] == ["Università di Lione"]

    with page.expect_download() as download:
        exports.get_by_role("link", name="Esporta XLSX").click()
    rows = xlsx_rows(Path(download.value.path()).read_bytes())
    assert [r[1] for r in rows[1:]] == ["Università di Lione"]
