"""Importing people with their positions: GDPR source required, people recognised, undoable."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from .helpers import csv_bytes, real_export, run, undo, xlsx_bytes

HEADER = [
    "Nome",
    "Cognome",
    "E-mail",
    "Lingue",
    "Fonte dei dati",
    "Organizzazione",
    "Paese dell'organizzazione",
    "Ruolo",
    "Dal",
    "Al",
]


@pytest.fixture
def ufficio(personas: dict[str, Any]) -> Any:
    return personas["ufficio"]


def snapshot() -> list[tuple[Any, ...]]:
    from ponti.partners.models import Organisation, Person, Position

    return [
        *Person.objects.order_by("pk").values_list("pk", "first_name", "email", "version"),
        *Position.objects.order_by("pk").values_list("pk", "role", "start_date", "end_date"),
        *Organisation.objects.order_by("pk").values_list("pk", "name"),
    ]


def test_it_creates_people_with_positions_known_in_part(
    ufficio: Any, ente: Any, make_org: Any
) -> None:
    from ponti.partners.models import Organisation, Person

    make_org(name="Ville de Reims", country="FR")
    data = csv_bytes(
        HEADER,
        [
            "Anne",
            "Martin",
            "a.martin@example.fr",
            "fr; en",
            "sito del comune",
            "Ville de Reims",
            "Francia",
            "Sindaca",
            "1998",
            "03/2004",
        ],
        [
            "Jan",
            "Nowak",
            "",
            "",
            "biglietto da visita",
            "Kraków",
            "PL",
            "Console",
            "12/03/2010",
            "",
        ],
    )
    report = run("people", data, ufficio, ente)
    assert report.status == "done", report
    assert report.counts == {"nuovo": 2}
    anne = Person.objects.get(last_name="Martin")
    assert (anne.languages, anne.gdpr_source, anne.gdpr_basis) == (
        "fr, en",
        "sito del comune",
        "public_task",
    )
    position = anne.positions.get()
    assert str(position.start) == "1998" and position.end.as_input() == "03/2004"
    assert position.organisation.name == "Ville de Reims"
    jan = Person.objects.get(last_name="Nowak").positions.get()
    assert jan.start_date == datetime.date(2010, 3, 12)
    assert Organisation.objects.filter(name="Kraków", country="PL").count() == 1


def test_a_second_run_recognises_people_and_says_how(ufficio: Any, ente: Any) -> None:
    data = csv_bytes(
        HEADER,
        ["Anne", "Martin", "a.martin@example.fr", "", "sito", "Reims", "FR", "Sindaca", "1998", ""],
        ["Jan", "Nowak", "", "", "sito", "Kraków", "PL", "Console", "", ""],
    )
    assert run("people", data, ufficio, ente).counts == {"nuovo": 2}
    before = snapshot()
    again = run("people", data, ufficio, ente)
    assert again.counts == {"invariato": 2}, again
    assert snapshot() == before
    other = csv_bytes(
        ["First name", "Last name", "E-mail", "Source"],
        ["Anne", "Martin", "A.Martin@example.fr", "sito"],
    )
    assert run("people", other, ufficio, ente, dry_run=True).counts == {"invariato": 1}
    moved = csv_bytes(
        HEADER, ["Jan", "Nowak", "", "", "sito", "Cracovia", "Polonia", "Console", "2010", ""]
    )
    report = run("people", moved, ufficio, ente, filename="p.csv")
    assert report.counts == {"aggiornato": 1}, report
    assert "stesso nome" in report.warnings()[0]


def test_bad_rows_are_refused_and_nothing_is_written(ufficio: Any, ente: Any) -> None:
    before = snapshot()
    data = xlsx_bytes(
        HEADER,
        ["Anne", "Martin", "non-una-mail", "", "sito", "", "", "", "", ""],
        ["Jan", "Nowak", "", "", "", "", "", "", "", ""],
        ["Eva", "Kova", "", "", "sito", "Bratislava", "Slovacchia", "Console", "2010", "2004"],
        ["Ugo", "Neri", "", "", "sito", "Nessunluogo", "Atlantide", "Console", "", ""],
        ["Ada", "Lodi", "", "", "sito", "", "", "Console", "2001", ""],
        ["Anne", "Bis", "a@example.org", "", "sito", "", "", "", "ieri", ""],
    )
    report = run("people", data, ufficio, ente, filename="p.xlsx")
    assert report.status == "refused", report
    errors = {n: " ".join(r.errors) for n, r in report.rows.items()}
    assert "E-mail" in errors[2] and "non-una-mail" in errors[2]
    assert "Fonte dei dati" in errors[3] and "GDPR" in errors[3]
    assert "Al" in errors[4] and "precede" in errors[4]
    assert "Atlantide" in errors[5]
    assert "Organizzazione" in errors[6]
    assert "Dal" in errors[7] and "ieri" in errors[7]
    assert snapshot() == before


def test_the_id_updates_and_undo_restores(ufficio: Any, ente: Any, make_person: Any) -> None:
    from ponti.partners.models import Person

    person = make_person(first_name="Maria", last_name="Rossi", email="m@example.org")
    data = csv_bytes(
        ["ID", "Nome", "Cognome", "E-mail", "Telefono"],
        [person.pk, "Maria", "Rossi", "maria@example.org", "+39 055 123456"],
    )
    report = run("people", data, ufficio, ente)
    assert report.counts == {"aggiornato": 1}, report
    assert Person.objects.get(pk=person.pk).email == "maria@example.org"
    assert undo(report, ufficio).status == "undone"
    person = Person.objects.get(pk=person.pk)
    assert (person.email, person.phone) == ("m@example.org", "")


def test_undo_deletes_people_positions_and_organisations_created(ufficio: Any, ente: Any) -> None:
    before = snapshot()
    data = csv_bytes(HEADER, ["Jan", "Nowak", "", "", "sito", "Kraków", "PL", "Console", "", ""])
    report = run("people", data, ufficio, ente)
    assert report.status == "done"
    assert undo(report, ufficio).status == "undone"
    assert snapshot() == before


def test_a_role_that_may_not_add_people_is_refused(personas: dict[str, Any], ente: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(
            "people",
            csv_bytes(HEADER, ["A", "B", "", "", "sito", "", "", "", "", ""]),
            personas["revisore"],
            ente,
        )


def _people(make_person: Any, make_org: Any) -> list[Any]:
    from ponti.partners.models import Position

    org = make_org(name="Ville de Reims", country="FR")
    anne = make_person(
        first_name="Anne",
        last_name="Martin",
        honorific="Mme",
        title="Maire",
        languages="fr, en",
        email="a@example.fr",
        phone="+33 1 23",
        kind="institutional",
        gdpr_basis="public_task",
        gdpr_source="sito",
        gdpr_date=datetime.date(2024, 5, 2),
        notes="-",
        confidentiality="pubblico",
    )
    Position.objects.create(person=anne, organisation=org, role="Sindaca")
    return [anne, make_person(first_name="Jan", last_name="Nowak", gdpr_source="biglietto")]


def test_an_exported_file_imports_unchanged(
    ufficio: Any, ente: Any, make_person: Any, make_org: Any
) -> None:
    people = _people(make_person, make_org)
    before = snapshot()
    header = [
        "ID",
        "Appellativo",
        "Nome",
        "Cognome",
        "Titolo o qualifica",
        "Incarichi attuali",
        "Lingue",
        "E-mail",
        "Telefono",
        "Cellulare",
        "Tipo di persona",
        "Base giuridica (GDPR)",
        "Fonte dei dati",
        "Data di raccolta",
        "Note",
        "Riservatezza",
    ]
    rows = [
        [
            p.pk,
            p.honorific,
            p.first_name,
            p.last_name,
            p.title,
            "; ".join(f"{x.role}, {x.organisation.name}" for x in p.positions.all()),
            p.languages,
            p.email,
            p.phone,
            p.mobile,
            p.get_kind_display(),
            p.get_gdpr_basis_display(),
            p.gdpr_source,
            p.gdpr_date.isoformat(),
            "'-" if p.notes == "-" else p.notes,
            p.get_confidentiality_display(),
        ]
        for p in people
    ]
    report = run("people", csv_bytes(header, *rows), ufficio, ente)
    assert report.counts == {"invariato": 2}, report
    assert snapshot() == before


def test_the_real_export_imports_unchanged(
    ufficio: Any, ente: Any, make_person: Any, make_org: Any
) -> None:
    from django.utils import translation

    from ponti.partners import tables
    from ponti.partners.models import Person

    people = _people(make_person, make_org)
    before = snapshot()
    for language, fmt in (("it", "csv"), ("en", "xlsx"), ("it", "ods")):
        with translation.override(language):
            qs = tables.people_for_export(
                Person.objects.filter(pk__in=[p.pk for p in people]), ufficio
            )
            data = real_export("ponti.partners.tables", "PERSON_COLUMNS", qs, fmt)
        report = run("people", data, ufficio, ente, filename=f"export.{fmt}")
        assert report.counts == {"invariato": 2}, (fmt, report)
    assert snapshot() == before
