"""Files as offices have them: every delimiter and encoding, XLSX and ODS, headers in either
language or mapped by hand, and the bad inputs of the issue, each refused with a clear reason."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import errors_of, ods, xlsx

TWINS = "italian_city;partner_city;partner_country_iso2;year;source\n"


@pytest.fixture
def ufficio(personas: dict[str, Any]) -> Any:
    return personas["ufficio"]


def agreement_titles() -> list[str]:
    from ponti.agreements.models import Agreement

    return sorted(Agreement.objects.values_list("title", flat=True))


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ((TWINS + ";Kassel;DE;1958;x\n").encode(), "utf8.csv"),
        (b"\xef\xbb\xbf" + (TWINS + ";Kassel;DE;1958;x\n").encode(), "bom.csv"),
        ((TWINS.replace(";", ",") + ",Kassel,DE,1958,x\n").encode(), "comma.csv"),
        ((TWINS.replace(";", "\t") + "\tKassel\tDE\t1958\tx\n").encode(), "tab.txt"),
        ((TWINS + ";Köln;Deutschland;1958;x\n").encode("cp1252"), "windows.csv"),
    ],
)
def test_it_reads_every_csv_an_office_writes(
    run_import: Any, ufficio: Any, ente: Any, data: bytes, name: str
) -> None:
    batch = run_import("agreements", data, ufficio, ente, filename=name)
    assert batch.status == "done", errors_of(batch)
    assert batch.counts["nuovo"] == 1


def test_it_reads_xlsx_and_ods_with_blank_rows_and_columns(
    run_import: Any, ufficio: Any, ente: Any
) -> None:
    rows = [
        ["Partner", "", "Paese", "Anno"],
        ["Kassel", "", "Germania", 1958],
        ["", "", "", ""],
        ["Reims", "", "FR", 1954],
    ]
    batch = run_import("agreements", xlsx(rows), ufficio, ente, filename="accordi.xlsx")
    assert batch.status == "done", errors_of(batch)
    assert batch.counts["nuovo"] == 2
    batch = run_import(
        "agreements",
        ods([["partner_city", "country"], ["Kraków", "PL"]]),
        ufficio,
        ente,
        filename="a.ods",
    )
    assert batch.status == "done", errors_of(batch)
    assert batch.counts["nuovo"] == 1


def test_a_year_and_an_excel_serial_day_are_read_as_such(
    run_import: Any, ufficio: Any, ente: Any
) -> None:
    from ponti.agreements.models import Agreement

    data = b"partner;paese;firma\nKassel;DE;1958\nReims;FR;19908\n"
    batch = run_import("agreements", data, ufficio, ente)
    assert batch.status == "done", errors_of(batch)
    kassel = Agreement.objects.get(partners__name="Kassel")
    assert (kassel.signed_on.isoformat(), kassel.signed_precision) == ("1958-01-01", "year")
    reims = Agreement.objects.get(partners__name="Reims")
    assert (reims.signed_on.isoformat(), reims.signed_precision) == ("1954-07-03", "day")


def test_a_formula_without_its_value_is_refused_naming_the_cell(
    run_import: Any, ufficio: Any, ente: Any
) -> None:
    data = xlsx([["partner", "paese", "anno"], ["Kassel", "DE", "=1900+58"]])
    batch = run_import("agreements", data, ufficio, ente, filename="f.xlsx")
    assert batch.status == "failed"
    assert (
        "Riga 2, colonna C: la formula «=1900+58» non ha un valore calcolato"
        in batch.file_errors[0]
    )
    assert agreement_titles() == []


def test_countries_in_any_language_are_accepted_and_unknown_ones_refused(
    run_import: Any, ufficio: Any, ente: Any
) -> None:
    data = b"partner;paese\nKassel;Germania\nDresden;Deutschland\nBonn;DE\nAtlantide;Atlantide\n"
    batch = run_import("agreements", data, ufficio, ente)
    assert batch.status == "refused"  # the dry run found it: nothing to confirm
    row = batch.rows.get(number=5)
    assert row.errors == [
        "paese: «Atlantide» non è un paese riconosciuto: scrivi il nome in italiano o in inglese, o il codice ISO (DE)."
    ]
    assert agreement_titles() == []  # all or nothing
    fixed = run_import("agreements", data.replace(b"Atlantide;Atlantide\n", b""), ufficio, ente)
    assert fixed.status == "done" and fixed.counts["nuovo"] == 3


def test_the_same_row_twice_is_refused_naming_the_first(
    run_import: Any, ufficio: Any, ente: Any
) -> None:
    data = b"partner;paese\nKassel;DE\nKassel;Germania\n"
    batch = run_import("agreements", data, ufficio, ente)
    assert batch.rows.get(number=3).errors == [
        "partner: lo stesso accordo è già alla riga 2 del file."
    ]
    assert agreement_titles() == []


def test_data_under_a_merged_or_blank_header_is_refused(
    run_import: Any, ufficio: Any, ente: Any
) -> None:
    data = xlsx([["partner", None, "paese"], ["Kassel", "gemellaggio", "DE"]])
    batch = run_import("agreements", data, ufficio, ente, filename="m.xlsx")
    assert batch.rows.get(number=2).errors == [
        "B: la colonna ha dati ma nessun nome nell'intestazione (celle unite o mancanti?)"
    ]


def test_two_headers_for_one_column_are_refused(run_import: Any, ufficio: Any, ente: Any) -> None:
    batch = run_import(
        "agreements", b"partner;partner_city;paese\nKassel;Kassel;DE\n", ufficio, ente
    )
    assert batch.status == "mapping"
    assert "Le colonne «partner» e «partner_city» indicano lo stesso dato" in batch.file_errors[0]


def test_an_unknown_header_is_mapped_by_hand_and_the_mapping_can_be_saved(
    run_import: Any, ufficio: Any, ente: Any
) -> None:
    from ponti.core.importing import services

    data = b"gemellata;nazione estera\nKassel;DE\n"
    batch = run_import("agreements", data, ufficio, ente, write=False)
    assert batch.status == "mapping"
    assert batch.unknown_columns == ["gemellata", "nazione estera"]
    mapping = {"gemellata": "partner", "nazione estera": "paese"}
    batch = services.remap(batch, mapping, user=ufficio, background=False)
    assert batch.status == "checked"
    saved = services.save_mapping(
        user=ufficio, ente=ente, kind="agreements", name="Elenco regionale", mapping=mapping
    )
    again = run_import("agreements", data, ufficio, ente, mapping=saved.mapping)
    assert again.status == "done" and again.counts["nuovo"] == 1


def test_headers_are_read_in_english_too(run_import: Any, ufficio: Any, ente: Any) -> None:
    batch = run_import(
        "agreements", b"Partner;Country;Year;Source\nKassel;Germany;1958;x\n", ufficio, ente
    )
    assert batch.status == "done", errors_of(batch)


def test_wrong_encoding_and_a_foreign_file_are_refused(
    run_import: Any, ufficio: Any, ente: Any
) -> None:
    batch = run_import("agreements", b"%PDF-1.4 binary\x00\x01", ufficio, ente, filename="x.csv")
    assert batch.status == "failed"
    assert "non è un CSV" in batch.file_errors[0]


def test_a_file_over_the_row_limit_is_refused_before_anything_is_checked(
    run_import: Any, ufficio: Any, ente: Any, settings: Any
) -> None:
    settings.PONTI_IMPORT_MAX_ROWS = 10
    data = ("partner;paese\n" + "".join(f"Città {n};DE\n" for n in range(11))).encode()
    batch = run_import("agreements", data, ufficio, ente)
    assert batch.status == "failed"
    assert batch.file_errors == ["Il file ha più di 10 righe: dividilo in più file."]
