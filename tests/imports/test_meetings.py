"""Importing meetings: the demo's own list without editing, dates known in part, undoable."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from .helpers import csv_bytes, ods_bytes, real_export, run, undo

SAMPLE = (Path(__file__).parent / "data" / "florence_meetings_sample.csv").read_bytes()


@pytest.fixture
def comune(ente: Any) -> Any:
    from ponti.core.models import Ente

    return Ente.objects.create(
        name="Comune di Firenze", slug="comune-firenze", city="Firenze", kind="comune", parent=ente
    )


@pytest.fixture
def ufficio(make_user: Any, ente: Any, comune: Any) -> Any:
    return make_user("ufficio", enti=[ente, comune])


def snapshot() -> list[tuple[Any, ...]]:
    from ponti.meetings.models import Meeting, Participant
    from ponti.partners.models import Organisation

    return [
        *Meeting.objects.order_by("pk").values_list("pk", "title", "date", "period", "version"),
        *Participant.objects.order_by("pk").values_list("pk", "guest_name"),
        *Organisation.objects.order_by("pk").values_list("pk", "name"),
    ]


def test_the_demo_list_imports_without_editing(ufficio: Any, ente: Any, comune: Any) -> None:
    from ponti.meetings.models import Meeting

    report = run("meetings", SAMPLE, ufficio, ente, filename="florence.csv")
    assert report.status == "done", report
    assert report.counts == {"nuovo": 8}
    embassy = Meeting.objects.get(title="Incontro: Embassy of the United States in Italy")
    assert (embassy.ente, embassy.date, embassy.date_precision) == (
        comune,
        datetime.date(2002, 2, 27),
        "day",
    )
    assert embassy.status == "svolto" and embassy.is_dated
    assert embassy.counterparts.get().country == "US"
    assert sorted(embassy.participants.values_list("side", "guest_name")) == [
        ("controparte", "Melville Sembler"),
        ("nostro", "Leonardo Domenici"),
    ]
    argentina = Meeting.objects.get(title__contains="Argentina")
    assert (argentina.date, argentina.period) == (None, "1999-2009")
    peru = Meeting.objects.get(title__contains="Peru")
    assert (peru.date, peru.date_precision) == (datetime.date(2007, 4, 1), "month")
    kyoto = Meeting.objects.get(title__contains="Kyoto")
    assert kyoto.kind == "missione" and (kyoto.city, kyoto.country) == ("Kyoto", "JP")
    assert kyoto.ends_at.date() == datetime.date(2005, 10, 27)
    province = Meeting.objects.filter(title__contains="Consulate General").order_by("ente_id")
    assert [m.ente for m in province] == [ente, comune]
    assert any("Provincia di Firenze" in w for w in report.warnings())
    darmstadt = Meeting.objects.get(date=datetime.date(2010, 5, 22))
    assert darmstadt.kind == "delegazione"
    countries = set(darmstadt.counterparts.values_list("country", flat=True))
    assert countries <= {"DE", "CZ", "EH"} and darmstadt.counterparts.count() == 4
    # The round table names no country: not created, said in the report.
    table = Meeting.objects.get(kind="evento")
    assert table.counterparts.count() == 0


def test_a_second_run_creates_nothing(ufficio: Any, ente: Any) -> None:
    assert run("meetings", SAMPLE, ufficio, ente).status == "done"
    before = snapshot()
    again = run("meetings", SAMPLE, ufficio, ente)
    assert again.counts == {"invariato": 8}, again
    assert snapshot() == before


def test_an_ods_with_titles_and_dates_known_in_part(ufficio: Any, ente: Any) -> None:
    from ponti.meetings.models import Meeting

    header = ["Titolo", "Tipo", "Data", "Controparti", "Paese", "Luogo"]
    data = ods_bytes(
        header,
        [
            "Visita del sindaco di Reims",
            "Delegazione in entrata",
            "03/2019",
            "Reims",
            "Francia",
            "Palazzo Medici Riccardi",
        ],
        ["Missione a Kyoto", "missione", 2017, "Kyoto", "JP", ""],
    )
    report = run("meetings", data, ufficio, ente, filename="m.ods")
    assert report.counts == {"nuovo": 2}, report
    visit = Meeting.objects.get(title="Visita del sindaco di Reims")
    assert (visit.kind, str(visit.when), visit.ente) == ("delegazione", "marzo 2019", ente)
    assert Meeting.objects.get(title="Missione a Kyoto").date_precision == "year"


def test_bad_rows_are_refused_and_nothing_is_written(ufficio: Any, ente: Any) -> None:
    before = snapshot()
    header = ["Titolo", "Tipo", "Data", "Stato", "Controparti", "Paese", "Fuso orario"]
    data = csv_bytes(
        header,
        ["Uno", "Riunione segreta", "2019", "", "", "", ""],
        ["Due", "", "31/02/2019", "", "", "", ""],
        ["Tre", "", "2019", "Sognato", "", "", ""],
        ["Quattro", "", "2019", "", "Reims", "Atlantide", ""],
        ["Cinque", "", "", "", "", "", ""],
        ["Sei", "", "2019", "", "", "", "Marte/Olympus"],
        ["Sette", "", "2019", "", "", "", ""],
        ["Sette", "", "2019", "", "", "", ""],
    )
    report = run("meetings", data, ufficio, ente)
    assert report.status == "refused", report
    errors = {n: " ".join(r.errors) for n, r in report.rows.items()}
    assert "Tipo" in errors[2] and "Riunione segreta" in errors[2]
    assert "Data" in errors[3] and "31/02/2019" in errors[3]
    assert "Stato" in errors[4] and "Sognato" in errors[4]
    assert "Paese" in errors[5] and "Atlantide" in errors[5]
    assert "Indica quando" in errors[6]
    assert "Fuso orario" in errors[7]
    assert "riga 8" in errors[9]
    assert snapshot() == before


def test_undo_and_the_id_column(ufficio: Any, ente: Any) -> None:
    from ponti.meetings.models import Meeting

    before = snapshot()
    report = run("meetings", SAMPLE, ufficio, ente)
    assert undo(report, ufficio).status == "undone"
    assert snapshot() == before
    meeting = Meeting.objects.create(
        ente=ente,
        title="Vecchio",
        date=datetime.date(2019, 1, 1),
        date_precision="year",
        status="svolto",
    )
    data = csv_bytes(["ID", "Titolo", "Luogo", "Data"], [meeting.pk, "Nuovo", "Firenze", "2019"])
    report = run("meetings", data, ufficio, ente)
    assert report.counts == {"aggiornato": 1}, report
    assert Meeting.objects.get(pk=meeting.pk).title == "Nuovo"
    assert undo(report, ufficio).status == "undone"
    assert (Meeting.objects.get(pk=meeting.pk).title, Meeting.objects.get(pk=meeting.pk).place) == (
        "Vecchio",
        "",
    )


def test_a_role_that_may_not_add_meetings_is_refused(personas: dict[str, Any], ente: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run("meetings", SAMPLE, personas["revisore"], ente)


def test_an_exported_file_imports_unchanged(ufficio: Any, ente: Any, make_org: Any) -> None:
    from django.utils import timezone

    from ponti.meetings.models import Meeting

    reims = make_org(name="Reims", country="FR")
    day = Meeting.objects.create(
        ente=ente,
        title="Giorno",
        kind="incontro",
        status="svolto",
        confidentiality="interno",
        starts_at=timezone.make_aware(datetime.datetime(2024, 3, 1, 10, 30)),
        place="Sala",
        city="Firenze",
        country="IT",
        topics="cultura",
    )
    day.counterparts.set([reims])
    year = Meeting.objects.create(
        ente=ente,
        title="Anno",
        status="svolto",
        date=datetime.date(2010, 1, 1),
        date_precision="year",
    )
    period = Meeting.objects.create(
        ente=ente, title="Periodo", status="svolto", period="primavera 2012"
    )
    before = snapshot()
    header = [
        "ID",
        "Titolo",
        "Tipo",
        "Stato",
        "Data",
        "Inizio",
        "Fine",
        "Tutto il giorno",
        "Fuso orario",
        "Periodo",
        "Luogo",
        "Città",
        "Paese",
        "Controparti",
        "Accordi collegati",
        "Ambiti",
        "Temi",
        "Fonte",
        "Ente",
        "Riservatezza",
    ]
    rows = []
    for m in (day, year, period):
        m.refresh_from_db()
        rows.append(
            [
                m.pk,
                m.title,
                m.get_kind_display(),
                m.get_status_display(),
                m.when.as_input() if m.date else "",
                timezone.localtime(m.starts_at).strftime("%Y-%m-%d %H:%M") if m.starts_at else "",
                "",
                "sì" if m.all_day else "no",
                m.timezone,
                m.period,
                m.place,
                m.city,
                {"IT": "Italia", "": ""}[m.country],
                "; ".join(o.name for o in m.counterparts.all()),
                "",
                "",
                m.topics,
                m.source,
                m.ente.name,
                m.get_confidentiality_display(),
            ]
        )
    report = run("meetings", csv_bytes(header, *rows), ufficio, ente)
    assert report.counts == {"invariato": 3}, report
    assert snapshot() == before


def test_the_real_export_imports_unchanged(ufficio: Any, ente: Any) -> None:
    from ponti.meetings import tables
    from ponti.meetings.models import Meeting

    run("meetings", SAMPLE, ufficio, ente)
    before = snapshot()
    qs = tables.meetings_for_export(Meeting.objects.all(), ufficio)
    data = real_export("ponti.meetings.tables", "MEETING_COLUMNS", qs, "csv")
    report = run("meetings", data, ufficio, ente)
    assert report.counts == {"invariato": 8}, report
    assert snapshot() == before


def test_the_demo_meetings_are_recognised_not_duplicated(
    ufficio: Any, ente: Any, comune: Any
) -> None:
    from ponti.meetings.demo import load_meetings

    load_meetings()
    before = snapshot()
    report = run("meetings", SAMPLE, ufficio, ente)
    assert report.counts == {"invariato": 8}, report
    assert snapshot() == before
