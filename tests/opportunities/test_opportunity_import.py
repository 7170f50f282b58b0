"""Importing calls: the portal's two shapes, the list's own export, re-imports, undo, bad files."""

from __future__ import annotations

import copy
import datetime
import io
import json
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.imports.helpers import run, undo
from tests.opportunities.conftest import brussels

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def _bulk() -> dict[str, Any]:
    return json.loads((FIXTURES / "grantsTenders_shaped.json").read_text())


def _bytes(document: Any) -> bytes:
    return json.dumps(document).encode()


def test_the_bulk_file_imports_topics_and_skips_tenders(personas: Any, ente: Any) -> None:
    from ponti.opportunities.models import Opportunity

    report = run("opportunities", _bytes(_bulk()), personas["ufficio"], ente, filename="g.json")
    assert report.status == "done", report
    assert report.counts == {"nuovo": 3, "invariato": 1}
    assert any("gara d'appalto" in w for w in report.warnings())
    assert any("99999999" in w for w in report.warnings())  # kept, with a warning
    town = Opportunity.objects.get(topic_identifier="CERV-2026-CITIZENS-TOWN-TT")
    assert town.programme.abbreviation == "CERV"
    assert town.title == town.title_en == "Town-Twinning (test fixture)"
    assert town.opens_on == datetime.date(2026, 1, 15)
    assert [d.due_at for d in town.deadlines.all()] == [brussels(2026, 9, 15)]
    assert town.portal_status == "Open" and town.decision == "da_valutare"
    assert town.url.endswith("/topic-details/CERV-2026-CITIZENS-TOWN-TT")
    mission = Opportunity.objects.get(topic_identifier="HORIZON-MISS-2026-01-CIT-01")
    assert mission.deadline_model == "two-stage"
    assert [d.stage for d in mission.deadlines.all()] == [1, 2]
    unknown = Opportunity.objects.get(topic_identifier="FUTURE-PROG-2026-TEST-01")
    assert unknown.programme is None and unknown.programme_code == "99999999"


def test_the_search_api_pages_import_with_budget_and_grant(personas: Any, ente: Any) -> None:
    from ponti.opportunities.models import Opportunity

    data = (FIXTURES / "sedia_search_page_shaped.json").read_bytes()
    report = run("opportunities", data, personas["ufficio"], ente, filename="page.json")
    assert report.status == "done", report
    nt = Opportunity.objects.get(topic_identifier="CERV-2026-CITIZENS-TOWN-NT")
    assert (nt.budget, nt.grant_size) == (3000000, 150000)
    assert nt.portal_status == "Open for submission"
    assert nt.deadlines.get().due_at == brussels(2026, 9, 15)  # 15:00 UTC is 17:00 in Brussels
    assert Opportunity.objects.get(topic_identifier="CREA-CULT-2026-COOP-1").programme.code == (
        "43251814"
    )


def test_a_re_import_keeps_the_offices_fields_and_shows_a_moved_deadline(
    personas: Any, ente: Any
) -> None:
    from ponti.opportunities import services
    from ponti.opportunities.models import Opportunity

    user = personas["ufficio"]
    run("opportunities", _bytes(_bulk()), user, ente, filename="g.json")
    town = Opportunity.objects.get(topic_identifier="CERV-2026-CITIZENS-TOWN-TT")
    services.decide(town, "interessante", user=user)
    services.update_opportunity(
        town, user=user, data={"notes": "Con Reims", "owner": user, "title": "Gemellaggio"},
        expected_version=town.version,
    )  # fmt: skip
    again = run("opportunities", _bytes(_bulk()), user, ente, filename="g.json")
    assert again.counts == {"invariato": 4}, again
    moved = _bulk()
    moved["fundingData"]["GrantTenderObj"][0]["deadlineDatesLong"] = [
        int(brussels(2026, 9, 22).timestamp() * 1000)
    ]
    dry = run("opportunities", _bytes(moved), user, ente, dry_run=True, filename="g.json")
    assert dry.counts == {"aggiornato": 1, "invariato": 3}, dry
    assert "Scadenze cambiate: «15/09/2026 17:00» → «22/09/2026 17:00»" in dry.rows[1].changes
    done = run("opportunities", _bytes(moved), user, ente, filename="g.json")
    assert done.status == "done"
    town.refresh_from_db()
    assert Opportunity.objects.count() == 3
    assert (town.decision, town.notes, town.owner, town.title) == (
        "interessante", "Con Reims", user, "Gemellaggio",
    )  # fmt: skip
    assert [d.due_at for d in town.deadlines.all()] == [brussels(2026, 9, 22)]
    assert town.deadlines_changed_at is not None
    assert town.previous_deadlines == ["15/09/2026 17:00"]
    undone = undo(done, user)
    assert undone.status == "undone", undone
    town.refresh_from_db()
    assert [d.due_at for d in town.deadlines.all()] == [brussels(2026, 9, 15)]
    assert town.deadlines_changed_at is None


@pytest.mark.parametrize(
    "document, message",
    [
        ({"fundingData": {"GrantTenderObj": {"not": "a list"}}}, "fundingData.GrantTenderObj"),
        ({"hello": "world"}, "Funding & Tenders Portal"),
        ({"fundingData": {"GrantTenderObj": ["text"]}}, "non è un oggetto"),
    ],
)
def test_a_malformed_portal_file_is_refused_whole(
    personas: Any, ente: Any, document: Any, message: str
) -> None:
    report = run("opportunities", _bytes(document), personas["ufficio"], ente, filename="g.json")
    assert report.status == "failed"
    assert any(message in e for e in report.file_errors), report


def test_broken_json_and_json_for_a_kind_without_a_reader_are_explained(
    personas: Any, ente: Any
) -> None:
    broken = run("opportunities", b'{"fundingData": ', personas["ufficio"], ente, filename="g.json")
    assert broken.status == "failed" and "JSON non è leggibile" in broken.file_errors[0]
    other = run("agreements", _bytes(_bulk()), personas["ufficio"], ente, filename="g.json")
    assert other.status == "failed" and "non si importa da un file JSON" in other.file_errors[0]


def test_a_deadline_before_the_opening_refuses_the_row_and_nothing_is_written(
    personas: Any, ente: Any
) -> None:
    from ponti.opportunities.models import Opportunity

    bad = _bulk()
    bad["fundingData"]["GrantTenderObj"][1]["deadlineDatesLong"] = [
        int(brussels(2026, 1, 10).timestamp() * 1000)
    ]
    report = run("opportunities", _bytes(bad), personas["ufficio"], ente, filename="g.json")
    assert report.status == "refused", report
    assert any("precede l'apertura" in e for e in report.errors())
    assert not Opportunity.objects.exists()


def test_the_lists_export_imports_back_unchanged(
    client: Any, personas: Any, ente: Any, make_opportunity: Any
) -> None:
    make_opportunity(deadlines=[brussels(2026, 9, 15)], budget=1000000, grant_size=30000)
    client.force_login(personas["ufficio"])
    for fmt in ("csv", "xlsx", "ods"):
        exported = b"".join(client.get(f"/opportunita/?export={fmt}").streaming_content)
        report = run("opportunities", exported, personas["ufficio"], ente, filename=f"e.{fmt}")
        assert report.counts == {"invariato": 1}, (fmt, report)


def test_thousands_of_topics_import_in_seconds_and_again_give_the_same_count(
    personas: Any, ente: Any
) -> None:
    from ponti.opportunities.models import Opportunity

    template = _bulk()["fundingData"]["GrantTenderObj"][0]
    items = []
    for n in range(600):
        item = copy.deepcopy(template)
        item["identifier"] = f"CERV-2026-CITIZENS-TEST-{n:04d}"
        items.append(item)
    data = _bytes({"fundingData": {"GrantTenderObj": items}})
    started = time.monotonic()
    first = run("opportunities", data, personas["ufficio"], ente, filename="g.json")
    seconds = time.monotonic() - started
    assert first.counts == {"nuovo": 600}, first.file_errors
    second = run("opportunities", data, personas["ufficio"], ente, filename="g.json")
    assert second.counts == {"invariato": 600}
    assert Opportunity.objects.count() == 600
    print(f"600 portal topics: dry run and import in {seconds:.1f} s")
    assert seconds < 60


def test_the_command_imports_a_portal_file(personas: Any, ente: Any, tmp_path: Path) -> None:
    from ponti.opportunities.models import Opportunity

    path = tmp_path / "grantsTenders.json"
    path.write_bytes(_bytes(_bulk()))
    out = io.StringIO()
    call_command("import", "opportunities", str(path), "--ente", ente.name, stdout=out)
    assert Opportunity.objects.filter(ente=ente).count() == 3
    assert "Nuovo: 3" in out.getvalue()
