"""Export → import of the same file changes nothing: agreements and known bonds, in each format
and either language; an edit the import does not apply is refused by name."""

from __future__ import annotations

from typing import Any

import pytest

TWINS = (
    "italian_city;partner_city;partner_country_iso2;year;source\n"
    ";Kassel;DE;1958;https://it.wikipedia.org/wiki/Firenze\n"
    ";Reims;FR;1954;x\n"
    "Prato;Ebensee;AT;1987;x\n"
)


@pytest.fixture
def imported(run_import: Any, personas: dict[str, Any], ente: Any) -> Any:
    batch = run_import("agreements", TWINS.encode(), personas["ufficio"], ente)
    assert batch.status == "done", batch.file_errors
    return personas["ufficio"]


def download(client: Any, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(("fmt", "language"), [("csv", "it"), ("xlsx", "en"), ("ods", "it")])
def test_the_agreements_export_imports_back_unchanged(
    client: Any, imported: Any, ente: Any, run_import: Any, fmt: str, language: str
) -> None:
    client.force_login(imported)
    client.cookies["django_language"] = language
    data = download(client, f"/accordi/?export={fmt}")
    batch = run_import("agreements", data, imported, ente, filename=f"accordi.{fmt}")
    assert batch.status == "done", (batch.file_errors, [r.errors for r in batch.rows.all()])
    assert batch.counts == {"nuovo": 0, "aggiornato": 0, "invariato": 2, "errore": 0}


def test_the_known_bonds_export_imports_back_unchanged(
    client: Any, imported: Any, ente: Any, run_import: Any
) -> None:
    from ponti.agreements.bonds import KnownBond

    client.force_login(imported)
    data = download(client, "/accordi/legami-noti/?export=csv")
    assert b"Ebensee" in data
    batch = run_import("agreements", data, imported, ente, filename="legami.csv")
    assert batch.status == "done", (batch.file_errors, [r.errors for r in batch.rows.all()])
    assert batch.counts["nuovo"] == 0, [(r.label, r.changes) for r in batch.rows.all()]
    assert KnownBond.objects.count() == 1


def test_an_edited_title_is_updated_and_an_edited_state_refused(
    client: Any, imported: Any, ente: Any, run_import: Any
) -> None:
    from ponti.agreements.models import Agreement

    client.force_login(imported)
    text = download(client, "/accordi/?export=csv").decode("utf-8-sig")
    kassel = Agreement.objects.get(partners__name="Kassel")
    edited = text.replace(kassel.title, "Gemellaggio Firenze – Kassel (1958)")
    batch = run_import("agreements", edited.encode(), imported, ente)
    assert batch.status == "done" and batch.counts["aggiornato"] == 1
    kassel.refresh_from_db()
    assert kassel.title == "Gemellaggio Firenze – Kassel (1958)"
    refused = run_import(
        "agreements", edited.replace(";Attivo;", ";Sospeso;").encode(), imported, ente
    )
    assert refused.status == "refused"
    errors = [e for row in refused.rows.all() for e in row.errors]
    assert any("lo stato si cambia" in e or "si cambia dalla pagina" in e for e in errors), errors
