"""The data migrations to imprecise dates: what was a year, a month or a day stays so."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("agreements", "0003_versioned"),
    ("meetings", "0002_versioned"),
    ("partners", "0007_versioned"),
]
AFTER = [
    ("agreements", "0004_imprecise_dates"),
    ("meetings", "0003_imprecise_dates"),
    ("partners", "0008_position_imprecise_dates"),
]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_old_years_months_and_days_become_imprecise_dates(ente: Any, make_org: Any) -> None:
    from ponti.partners.models import Person

    org = make_org(name="Kassel", country="DE")
    person = Person.objects.create(first_name="Ada", last_name="Rossi")
    old = _migrate(BEFORE)
    try:
        Agreement = old.get_model("agreements", "Agreement")
        common = {"ente_id": ente.pk, "kind": "gemellaggio", "confidentiality": "interno"}
        by_year = Agreement.objects.create(title="Anno", signed_year=1958, **common)
        by_day = Agreement.objects.create(
            title="Giorno", signed_on=datetime.date(1962, 5, 4), **common
        )
        unknown = Agreement.objects.create(title="Ignota", **common)
        Meeting = old.get_model("meetings", "Meeting")
        rome = datetime.timezone(datetime.timedelta(hours=2))
        meetings = {
            "esatta": Meeting.objects.create(
                ente_id=ente.pk,
                title="Esatta",
                date_precision="esatta",
                starts_at=datetime.datetime(2019, 7, 3, 23, 30, tzinfo=rome),
            ),
            "giorno": Meeting.objects.create(
                ente_id=ente.pk,
                title="Giorno",
                date_precision="giorno",
                starts_at=datetime.datetime(2019, 7, 4, 0, 0, tzinfo=rome),
            ),
            "mese": Meeting.objects.create(
                ente_id=ente.pk, title="Mese", date_precision="mese", year=2019, month=7
            ),
            "anno": Meeting.objects.create(
                ente_id=ente.pk, title="Anno", date_precision="anno", year=2012
            ),
            "periodo": Meeting.objects.create(
                ente_id=ente.pk, title="Periodo", date_precision="periodo", period="anni '90"
            ),
        }
        Position = old.get_model("partners", "Position")
        position = Position.objects.create(
            person_id=person.pk,
            organisation_id=org.pk,
            role="Sindaca",
            start_date=datetime.date(1998, 3, 2),
        )
    finally:
        _migrate(AFTER)
        # Then every later migration (known bonds, …) too: the next tests need today's schema.
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    from ponti.agreements.models import Agreement as NewAgreement
    from ponti.meetings.models import Meeting as NewMeeting
    from ponti.partners.models import Position as NewPosition

    def pair(a: Any) -> tuple[Any, str]:
        return a.signed_on, a.signed_precision

    assert pair(NewAgreement.objects.get(pk=by_year.pk)) == (datetime.date(1958, 1, 1), "year")
    assert pair(NewAgreement.objects.get(pk=by_day.pk)) == (datetime.date(1962, 5, 4), "day")
    assert pair(NewAgreement.objects.get(pk=unknown.pk)) == (None, "unknown")
    assert NewAgreement.objects.get(pk=unknown.pk).start_precision == "unknown"
    got = {k: NewMeeting.objects.get(pk=m.pk) for k, m in meetings.items()}
    # The day in the meeting's own time zone (Europe/Rome), not in UTC.
    assert (got["esatta"].date, got["esatta"].date_precision) == (datetime.date(2019, 7, 3), "day")
    assert not got["esatta"].all_day
    assert (got["giorno"].date, got["giorno"].all_day) == (datetime.date(2019, 7, 4), True)
    assert (got["mese"].date, got["mese"].date_precision) == (datetime.date(2019, 7, 1), "month")
    assert (got["anno"].date, got["anno"].date_precision) == (datetime.date(2012, 1, 1), "year")
    assert (got["periodo"].date, got["periodo"].date_precision) == (None, "unknown")
    assert got["periodo"].when_text == "anni '90"
    moved = NewPosition.objects.get(pk=position.pk)
    assert (moved.start_precision, moved.end_precision) == ("day", "unknown")
