"""Importing organisations: recognised by ID or by the matcher, never duplicated, undoable."""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import csv_bytes, ods_bytes, real_export, run, undo, xlsx_bytes

HEADER = ["Nome", "Tipo", "Paese", "Città", "Nome in italiano", "Settori", "Fonte"]


@pytest.fixture
def ufficio(personas: dict[str, Any]) -> Any:
    return personas["ufficio"]


def snapshot() -> list[tuple[Any, ...]]:
    from ponti.partners.models import Organisation, OrganisationName

    return [
        *Organisation.objects.order_by("pk").values_list("pk", "name", "city", "version"),
        *OrganisationName.objects.order_by("pk").values_list("pk", "language", "name"),
    ]


def test_it_creates_organisations_with_names_and_sectors(ufficio: Any, ente: Any) -> None:
    from ponti.partners.models import Organisation

    data = csv_bytes(
        HEADER,
        ["Köln", "Città", "Germania", "Köln", "Colonia", "Cultura; universities", "wikipedia"],
        ["Universität Wien", "university", "AT", "Wien", "", "", ""],
        ["Maison de l'Europe", "ONG", "FR", "Reims", "", "", ""],
    )
    report = run("organisations", data, ufficio, ente)
    assert report.status == "done", report
    assert report.counts == {"nuovo": 3}
    cologne = Organisation.objects.get(name="Köln")
    assert (cologne.kind, cologne.country, cologne.source) == ("city", "DE", "wikipedia")
    assert list(cologne.other_names.values_list("language", "name")) == [("it", "Colonia")]
    assert sorted(cologne.sectors.values_list("code", flat=True)) == ["cultura", "universita"]
    assert Organisation.objects.get(name="Universität Wien").kind == "university"


def test_a_second_run_creates_nothing_and_names_in_other_languages_match(
    ufficio: Any, ente: Any
) -> None:
    data = csv_bytes(HEADER, ["Köln", "Città", "DE", "Köln", "Colonia", "", ""])
    assert run("organisations", data, ufficio, ente).counts == {"nuovo": 1}
    before = snapshot()
    again = run("organisations", data, ufficio, ente)
    assert again.counts == {"invariato": 1}, again
    # The same city in another language and another way of writing the country.
    other = csv_bytes(["Name", "Kind", "Country"], ["Cologne", "city", "Deutschland"])
    third = run("organisations", other, ufficio, ente)
    assert third.counts == {"invariato": 1}, third
    assert "Köln" in third.warnings()[0]
    assert snapshot() == before


def test_it_reads_xlsx_and_ods(ufficio: Any, ente: Any) -> None:
    from ponti.partners.models import Organisation

    rows = [["Kraków", "city", "PL", "50,0614", "19,9366"]]
    header = ["Nome", "Tipo", "Paese", "Latitudine", "Longitudine"]
    assert run(
        "organisations", xlsx_bytes(header, *rows), ufficio, ente, filename="a.xlsx"
    ).counts == {"nuovo": 1}
    assert str(Organisation.objects.get(name="Kraków").latitude) == "50.061400"
    ods = ods_bytes(header, ["Cracovia", "Città", "Polonia", 50.0614, 19.9366])
    report = run("organisations", ods, ufficio, ente, filename="b.ods")
    assert report.counts == {"invariato": 1}, report


def test_bad_rows_are_refused_with_the_reason_and_nothing_is_written(
    ufficio: Any, ente: Any
) -> None:
    before = snapshot()
    data = csv_bytes(
        HEADER,
        ["Lyon", "Città", "FR", "", "", "", ""],
        ["Atlantide", "Città", "Atlantis", "", "", "", ""],
        ["Gent", "Fortezza", "BE", "", "", "", ""],
        ["Tartu", "Città", "EE", "", "", "Astrologia", ""],
        ["Lione", "Città", "Francia", "", "", "", ""],
        ["Senza paese", "Città", "", "", "", "", ""],
    )
    report = run("organisations", data, ufficio, ente)
    assert report.status == "refused", report
    errors = {n: " ".join(r.errors) for n, r in report.rows.items()}
    assert "Paese" in errors[3] and "Atlantis" in errors[3] and "non è un paese" in errors[3]
    assert "Tipo" in errors[4] and "Fortezza" in errors[4] and "Città" in errors[4]
    assert "Settori" in errors[5] and "Astrologia" in errors[5]
    assert "riga 2" in errors[6]  # Lione is Lyon: the same organisation twice
    assert "Paese" in errors[7] and "obbligatorio" in errors[7]
    assert snapshot() == before


def test_the_id_column_updates_the_record_and_undo_puts_it_back(
    ufficio: Any, ente: Any, make_org: Any
) -> None:
    from ponti.core.models import Sector
    from ponti.partners.models import Organisation

    org = make_org(name="Reims", country="FR", city="Reims")
    org.sectors.set([Sector.objects.get(code="cultura")])
    before = snapshot()
    data = csv_bytes(
        ["ID", "Nome", "Città", "Settori", "Altri nomi"],
        [org.pk, "Reims", "Reims (Marne)", "Economia", "de: Reims; en: Rheims"],
    )
    report = run("organisations", data, ufficio, ente)
    assert report.counts == {"aggiornato": 1}, report
    org.refresh_from_db()
    assert org.city == "Reims (Marne)"
    assert list(org.sectors.values_list("code", flat=True)) == ["economia"]
    assert dict(org.other_names.values_list("language", "name")) == {"en": "Rheims"}
    undone = undo(report, ufficio)
    assert undone.status == "undone", undone.file_errors
    org = Organisation.objects.get(pk=org.pk)
    assert org.city == "Reims"
    assert list(org.sectors.values_list("code", flat=True)) == ["cultura"]
    assert [row[:3] for row in snapshot()] == [row[:3] for row in before]


def test_undo_deletes_what_was_created(ufficio: Any, ente: Any) -> None:
    before = snapshot()
    report = run(
        "organisations",
        csv_bytes(HEADER, ["Köln", "Città", "DE", "", "Colonia", "", ""]),
        ufficio,
        ente,
    )
    assert report.status == "done"
    assert undo(report, ufficio).status == "undone"
    assert snapshot() == before


def test_a_role_without_add_permission_is_refused(personas: dict[str, Any], ente: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(
            "organisations",
            csv_bytes(HEADER, ["Köln", "Città", "DE", "", "", "", ""]),
            personas["revisore"],
            ente,
        )


def test_a_hidden_or_uneditable_record_is_not_updated_by_id(
    make_user: Any, ente: Any, make_org: Any
) -> None:
    hidden = make_org(name="Segreta", confidentiality="riservato")
    cleared = make_user("ufficio", clearance="interno")
    report = run("organisations", csv_bytes(["ID", "Nome"], [hidden.pk, "Altro"]), cleared, ente)
    assert report.status == "refused"
    assert "ID" in report.errors()[0] and str(hidden.pk) in report.errors()[0]


def test_a_probable_duplicate_is_created_with_a_warning(
    ufficio: Any, ente: Any, make_org: Any
) -> None:
    make_org(name="Université de Strasbourg", kind="university", country="FR", city="Strasbourg")
    data = csv_bytes(["Nome", "Tipo", "Paese"], ["Universite de Strasburgo", "Università", "FR"])
    report = run("organisations", data, ufficio, ente, dry_run=True)
    assert report.counts == {"nuovo": 1}, report
    assert "Université de Strasbourg" in report.warnings()[0]


def export_rows(orgs: list[Any]) -> bytes:
    """The organisations as their export writes them in Italian (h/exports' tables.py)."""
    header = [
        "ID",
        "Nome",
        "Tipo",
        "Paese",
        "Città",
        "Indirizzo",
        "Latitudine",
        "Longitudine",
        "Sito web",
        "ID Wikidata",
        "Organizzazione madre",
        "Altri nomi",
        "Settori",
        "Etichette",
        "Descrizione",
        "Fonte",
        "Riservatezza",
    ]
    rows = []
    for o in orgs:
        rows.append(
            [
                o.pk,
                o.name,
                o.get_kind_display(),
                o.country_name,
                o.city,
                o.address,
                str(o.latitude).replace(".", ",") if o.latitude is not None else "",
                str(o.longitude).replace(".", ",") if o.longitude is not None else "",
                o.website,
                o.wikidata_id or "",
                o.parent.name if o.parent else "",
                "; ".join(f"{n.language}: {n.name}" for n in o.other_names.all()),
                "; ".join(s.name for s in o.sectors.all()),
                "; ".join(t.name for t in o.tags.all()),
                o.description,
                o.source,
                o.get_confidentiality_display(),
            ]
        )
    return csv_bytes(header, *rows)


def _registry(make_org: Any) -> list[Any]:
    from ponti.core.models import Sector, Tag
    from ponti.partners.models import OrganisationName

    parent = make_org(name="Governo federale tedesco", kind="government", country="DE", city="")
    org = make_org(
        name="Konsulat",
        kind="consulate_career",
        country="DE",
        city="Firenze",
        parent=parent,
        address="Via A, 1",
        latitude="43.771234",
        longitude="11.254321",
        website="https://example.org",
        wikidata_id="Q42",
        description="=non una formula",
        source="sito",
        confidentiality="pubblico",
    )
    org.sectors.set(Sector.objects.filter(code__in=["cultura", "economia"]))
    org.tags.set([Tag.objects.create(name="consolati")])
    OrganisationName.objects.create(organisation=org, language="it", name="Consolato")
    return [parent, org]


def test_an_exported_file_imports_unchanged(ufficio: Any, ente: Any, make_org: Any) -> None:
    from ponti.partners.models import Organisation

    orgs = _registry(make_org)
    before = snapshot()
    data = export_rows(
        list(Organisation.objects.filter(pk__in=[o.pk for o in orgs]).order_by("pk"))
    )
    report = run("organisations", data, ufficio, ente)
    assert report.counts == {"invariato": 2}, report
    assert snapshot() == before


def test_the_real_export_imports_unchanged(ufficio: Any, ente: Any, make_org: Any) -> None:
    from django.utils import translation

    from ponti.partners import tables
    from ponti.partners.models import Organisation

    orgs = _registry(make_org)
    before = snapshot()
    for language, fmt in (("it", "csv"), ("en", "xlsx"), ("it", "ods")):
        with translation.override(language):
            qs = tables.organisations_for_export(
                Organisation.objects.filter(pk__in=[o.pk for o in orgs]), ufficio
            )
            data = real_export("ponti.partners.tables", "ORGANISATION_COLUMNS", qs, fmt)
        report = run("organisations", data, ufficio, ente, filename=f"export.{fmt}")
        assert report.counts == {"invariato": 2}, (fmt, report)
    assert snapshot() == before
