"""The demo's real meetings: date precision respected, counterparts linked, idempotent."""

from __future__ import annotations

import datetime
from io import StringIO

from django.core.management import call_command

from ponti.meetings.models import Meeting, ScreeningCriterion


def run_demo() -> str:
    out = StringIO()
    call_command("demo", "--force", "--password", "demo-Ponti-2025!", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_every_row_is_loaded_once_and_counterparts_are_linked(db):
    output = run_demo()
    assert Meeting.objects.count() == 31, output
    again = run_demo()
    assert Meeting.objects.count() == 31 and "0 nuovi, 31 già presenti" in again
    kyoto = Meeting.objects.get(title="Incontro: City of Kyoto")
    assert [o.name for o in kyoto.counterparts.all()] == ["Kyoto"]
    consul = Meeting.objects.filter(
        title__contains="Consulate General of the United States", ente__slug="comune-firenze"
    ).get()
    assert consul.counterparts.get().kind == "consulate_career"
    assert ScreeningCriterion.objects.filter(ente__slug="comune-firenze").count() == 3
    assert (
        not Meeting.objects.exclude(counterparts__isnull=False)
        .exclude(title__contains="Round table")
        .exists()
    )


def test_a_year_only_row_shows_the_year(client, db):
    run_demo()
    m = Meeting.objects.get(title__contains="Consulate General of the PRC")
    assert (m.date, m.date_precision, m.starts_at) == (datetime.date(2003, 1, 1), "year", None)
    month = Meeting.objects.get(title="Incontro: Municipality of Arequipa")
    assert (month.date, month.date_precision, month.starts_at) == (
        datetime.date(2006, 10, 1),
        "month",
        None,
    )
    period = Meeting.objects.get(title="Incontro: Embassy of Argentina in Italy")
    assert (
        period.date_precision == "unknown"
        and period.period == "1999-2009"
        and period.starts_at is None
    )
    from ponti.accounts.models import User

    client.force_login(User.objects.get(username="ufficio"))
    page = client.get(f"/incontri/{m.pk}/").content.decode()
    assert "2003" in page and "solo l&#x27;anno è noto" in page.replace("'", "&#x27;")
    assert "gennaio 2003" not in page and "1 gennaio" not in page
    assert "ottobre 2006" in client.get(f"/incontri/{month.pk}/").content.decode()
    listing = client.get("/incontri/?year=2003").content.decode()
    assert "Consulate General of the PRC" in listing
