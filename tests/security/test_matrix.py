"""The security matrix: role × ente × clearance × output.

Every reader gets every output (pages, API lists and details, exports, dossiers, the ICS
feed, the e-mails of `ponti scadenze`, the change log, search and suggestions, the Django
admin), and no output may carry the marker of a record the reader may not see. The API lists
must carry every marker the reader may see, so the test cannot pass by showing nothing.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from tests import reporting
from tests.api.helpers import token_client
from tests.security.matrix_world import Marker, build, visible

pytestmark = pytest.mark.django_db

# reader: (places as (ente code, role, clearance or None for the role's))
READERS: dict[str, list[tuple[str, str, str | None]]] = {
    "amministratore": [("fi", "amministratore", None)],
    "ufficio": [("fi", "ufficio", None)],
    "consigliere": [("fi", "consigliere", None)],
    "segreteria": [("fi", "segreteria", None)],
    "responsabile": [("fi", "responsabile", None)],
    "revisore": [("fi", "revisore", None)],
    "ufficio-interno": [("fi", "ufficio", "interno")],
    "ufficio-pubblico": [("fi", "ufficio", "pubblico")],
    "ufficio-prato": [("po", "ufficio", None)],
    "admin-prato": [("po", "amministratore", None)],
    "due-cappelli": [("fi", "revisore", None), ("po", "ufficio", None)],
}

# What the API lists return, by kind of marker.
API_LISTS = {
    "agr": "/agreements?limit=100",
    "mtg": "/meetings?limit=100",
    "mem": "/memberships?limit=100",
    "obj": "/objectives?limit=100",
    "bdl": "/budget-lines?limit=100",
    "act": "/actions?limit=100",
    "gft": "/gifts?limit=100",
    "vis": "/visit-requests?limit=100",
    "opp": "/opportunities?limit=100",
}


# The exports of every list (pages and API), each a door of its own.
EXPORT_PAGES = [
    "/partner/?",
    "/partner/persone/?",
    "/accordi/?",
    "/incontri/?",
    "/incontri/azioni/?tutte=1&",
    "/incontri/doni/?",
    "/reti/?",
    "/programmazione/capitoli/?",
    "/opportunita/?",
]
EXPORT_API = [
    "/organisations/export",
    "/people/export",
    "/agreements/export",
    "/meetings/export",
    "/actions/export",
    "/gifts/export",
    "/memberships/export",
    "/budget-lines/export",
    "/opportunities/export",
]


def _ods_text(content: bytes) -> str:
    from tests.exports.helpers import ods_rows

    return "\n".join(str(cell) for row in ods_rows(content) for cell in row)


def _xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    )


def _pdf_text(content: bytes) -> str:
    if not content.startswith(b"%PDF"):
        return content.decode("utf-8", "replace")
    done = subprocess.run(
        ["/usr/bin/pdftotext", "-", "-"], input=content, capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode("utf-8", "replace")


def _docx_text(content: bytes) -> str:
    if not content.startswith(b"PK"):
        return content.decode("utf-8", "replace")
    from docx import Document

    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def _text(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        return _xlsx_text(content)
    if "opendocument.spreadsheet" in kind:
        return _ods_text(content)
    if "pdf" in kind:
        return _pdf_text(content)
    if "wordprocessingml" in kind:
        return _docx_text(content)
    return content.decode("utf-8", "replace")


def _outputs(world: dict[str, Any]) -> dict[str, Callable[[Client, Any], str]]:
    hub = world["hub"]
    pages = [
        "/",
        "/partner/?q=Zq",
        "/partner/persone/?q=Zq",
        f"/partner/{hub.pk}/",
        f"/partner/{hub.pk}/storia/",
        "/partner/suggerimenti/organisations/?q=Zq",
        "/partner/suggerimenti/people/?q=Zq",
        "/accordi/",
        "/accordi/?q=Zq",
        "/accordi/scadenze/",
        # Every list's export, in each format (core.exports).
        *[f"{url}export={fmt}" for url in EXPORT_PAGES for fmt in ("csv", "xlsx", "ods")],
        "/incontri/",
        "/incontri/calendario/?vista=elenco&data=2026-03-01",
        "/incontri/calendario/?vista=mese&data=2026-03-01",
        "/incontri/azioni/",
        "/incontri/doni/",
        "/incontri/richieste/",
        "/reti/",
        "/reti/membri/",
        "/opportunita/",
        "/opportunita/?q=Zq",
        "/opportunita/?call_status=open",
        "/opportunita/nuova/",
        "/programmazione/",
        "/programmazione/capitoli/",
        "/programmazione/capitoli/capitoli.xlsx",
        "/programmazione/capitoli/?export=xlsx",
        "/registro-modifiche/",
        f"/report/dossier/partner/{hub.pk}.pdf",
        f"/report/dossier/partner/{hub.pk}.docx",
        "/admin/",
        "/admin/meetings/meeting/",
        "/admin/agreements/agreement/",
        # Pickers: the choices of the forms (a reader who may not add gets a 403, no markers).
        "/incontri/nuovo/",
        "/accordi/nuovo/",
        "/programmazione/obiettivi/nuovo/",
        "/programmazione/capitoli/nuovo/",
        "/reti/nuova/",
        # Known bonds between organisations, and their exports.
        "/accordi/legami-noti/",
        *[f"/accordi/legami-noti/?export={fmt}" for fmt in ("csv", "xlsx", "ods")],
        # Imports: the list of batches, each batch's report, its CSV.
        "/importazioni/",
        *[f"/importazioni/{pk}/" for pk in world["batches"]],
        *[f"/importazioni/{pk}/?export=csv" for pk in world["batches"]],
    ]
    api = [
        *API_LISTS.values(),
        "/organisations?q=Zq&limit=100",
        "/people?q=Zq&limit=100",
        f"/organisations/{hub.pk}",
        f"/organisations/{hub.pk}/positions",
        f"/organisations/{hub.pk}/history",
        "/due-items",
        "/opportunities/saved-searches",
        "/network-members?limit=100",
        *[f"{url}?format={fmt}" for url in EXPORT_API for fmt in ("csv", "xlsx", "ods")],
        "/known-bonds?limit=100",
        "/known-bonds/export?format=csv",
        "/imports",
        *[f"/imports/{pk}" for pk in world["batches"]],
        *[f"/imports/{pk}/rows?limit=100" for pk in world["batches"]],
    ]
    # Each opportunity's partners to invite and CERV check (page sections and API), which
    # name agreements, networks, meetings and bonds: within the reader's clearance only.
    from ponti.opportunities.models import Opportunity

    for pk in Opportunity.objects.order_by("pk").values_list("pk", flat=True):
        pages.append(f"/opportunita/{pk}/?check=1&partner={hub.pk}")
        api.append(f"/opportunities/{pk}/partners?limit=200")
    out: dict[str, Callable[[Client, Any], str]] = {}
    for pk in Opportunity.objects.order_by("pk").values_list("pk", flat=True):
        out[f"api POST /opportunities/{pk}/eligibility"] = lambda c, a, pk=pk: _text(
            a.post(f"/opportunities/{pk}/eligibility", {"partner_ids": [hub.pk]})
        )
    for url in pages:
        out[f"page {url}"] = lambda c, a, url=url: _text(c.get(url))
    for url in api:
        out[f"api {url}"] = lambda c, a, url=url: _text(a.client.get("/api/v1" + url))
    return out


def _detail_urls(marker: Marker) -> list[str]:
    record = marker.record
    if record is None:
        return []
    if marker.kind == "org":
        return [f"/partner/{record.pk}/", f"/api/v1/organisations/{record.pk}"]
    if marker.kind == "per":
        return [f"/partner/persone/{record.pk}/", f"/api/v1/people/{record.pk}"]
    return []


@pytest.fixture
def world(ente: Any, other_ente: Any, make_user: Any) -> dict[str, Any]:
    owners = {
        "fi": make_user("ufficio", username="owner-fi", enti=[ente]),
        "po": make_user("ufficio", username="owner-po", enti=[other_ente]),
    }
    markers, hub = build({"fi": ente, "po": other_ente}, owners)
    batches = _import_batches(markers, {"fi": ente, "po": other_ente}, owners)
    _known_bonds(markers, hub)
    return {
        "markers": markers,
        "hub": hub,
        "enti": {"fi": ente, "po": other_ente},
        "batches": batches,
    }


def _known_bonds(markers: list[Any], hub: Any) -> None:
    """A known bond between the public hub and each organisation marker: the bonds' list, API
    and exports name both sides, so a riservato organisation's bond must stay hidden."""
    from ponti.agreements.bonds import KnownBond, ordered

    for marker in markers:
        if marker.kind == "org":
            first, second = ordered(hub.pk, marker.record.pk)
            KnownBond.objects.create(first_id=first, second_id=second, source="matrix")


def _import_batches(markers: list[Any], enti: dict[str, Any], owners: dict[str, Any]) -> list[int]:
    """An import batch of each ente whose report names that ente's agreements (every level): a
    batch is read only by who may import that kind in that ente and reads as much as its author."""
    from django.core.files.base import ContentFile

    from ponti.core.importing.models import ImportBatch, ImportRow

    ids = []
    for code, ente in enti.items():
        batch = ImportBatch(
            ente=ente, user=owners[code], kind="agreements", filename="m.csv", status="checked"
        )
        batch.file.save("m.csv", ContentFile(b"partner;paese\n"), save=False)
        batch.save()
        words = [
            m.word
            for m in markers
            if m.kind == "agr" and m.ente_id == ente.pk and m.level != "riservato"
        ]
        ImportRow.objects.bulk_create(
            ImportRow(batch=batch, number=n + 2, status="nuovo", label=w)
            for n, w in enumerate(words)
        )
        ids.append(batch.pk)
    return ids


def _reader(name: str, world: dict[str, Any], make_user: Any) -> Any:
    from ponti.accounts.services import place_in_ente

    (first, *others) = READERS[name]
    code, role, clearance = first
    user = make_user(role, username=name, enti=[world["enti"][code]], clearance=clearance)
    for code, role, clearance in others:
        place_in_ente(user, world["enti"][code], role, clearance)
    return type(user).objects.get(pk=user.pk)


def _record_details(world: dict[str, Any]) -> dict[str, list[str]]:
    """Detail pages and API details of every ente record, by marker word."""
    from ponti.agreements.models import Agreement
    from ponti.meetings.models import Meeting, VisitRequest
    from ponti.networks.models import Membership
    from ponti.opportunities.models import Opportunity
    from ponti.planning.models import BudgetLine, Objective

    urls: dict[str, list[str]] = {}
    for o in Opportunity.objects.all():
        urls[o.title.split()[-1]] = [
            f"/opportunita/{o.pk}/",
            f"/opportunita/{o.pk}/storia/",
            f"/api/v1/opportunities/{o.pk}",
        ]
    for a in Agreement.objects.all():
        urls[a.title.split()[-1]] = [f"/accordi/{a.pk}/", f"/api/v1/agreements/{a.pk}"]
    for m in Meeting.objects.all():
        urls[m.title.split()[-1]] = [
            f"/incontri/{m.pk}/",
            f"/api/v1/meetings/{m.pk}",
            f"/report/dossier/incontro/{m.pk}.docx",
        ]
    for m in Membership.objects.all():
        urls[m.notes.split()[-1]] = [f"/reti/{m.pk}/", f"/api/v1/memberships/{m.pk}"]
    for o in Objective.objects.all():
        urls[o.title.split()[-1]] = [
            f"/programmazione/obiettivi/{o.pk}/",
            f"/api/v1/objectives/{o.pk}",
        ]
    for b in BudgetLine.objects.all():
        urls[b.description.split()[-1]] = [
            f"/programmazione/capitoli/{b.pk}/",
            f"/api/v1/budget-lines/{b.pk}",
        ]
    for v in VisitRequest.objects.all():
        urls[v.purpose.split()[-1]] = [
            f"/incontri/richieste/{v.pk}/",
            f"/api/v1/visit-requests/{v.pk}",
        ]
    return urls


@pytest.mark.parametrize("reader_name", list(READERS))
def test_no_output_shows_a_reader_what_they_may_not_see(
    reader_name: str, world: dict[str, Any], make_user: Any, settings: Any
) -> None:
    reader = _reader(reader_name, world, make_user)
    client = Client()
    client.force_login(reader)
    api = token_client(reader)
    hidden = [m for m in world["markers"] if not visible(reader, m)]
    shown = [m for m in world["markers"] if visible(reader, m)]
    assert hidden or reader_name == "amministratore", "every reader but the fullest hides something"
    leaks: list[str] = []
    cases = 0
    for name, fetch in _outputs(world).items():
        text = fetch(client, api)
        cases += 1
        leaks += [f"{name}: {m.word}" for m in hidden if m.word in text]
    # Every record's own pages and API: a hidden one is a 404 (or 403), and never shows.
    for m in world["markers"]:
        urls = _detail_urls(m) + _record_details(world).get(m.word, [])
        for url in urls:
            response = client.get(url) if not url.startswith("/api/") else api.client.get(url)
            cases += 1
            if visible(reader, m):
                assert response.status_code == 200, (url, response.status_code)
            else:
                assert response.status_code in (403, 404), (url, response.status_code)
                if m.word in _text(response):
                    leaks.append(f"{url}: {m.word}")
    # The e-mails of the due-items job.
    mail.outbox.clear()
    call_command("scadenze", date="2026-11-25", stdout=io.StringIO())
    bodies = "\n".join(x.body for x in mail.outbox if reader.email in x.to)
    cases += 1
    leaks += [f"e-mail: {m.word}" for m in hidden if m.word in bodies]
    # The personal ICS feed.
    from ponti.meetings import services

    token = services.issue_calendar_feed(user=reader)
    feed = Client().get(f"/incontri/calendario/{token}.ics")
    cases += 1
    leaks += [f"ics: {m.word}" for m in hidden if m.word in _text(feed)]
    assert not leaks, f"{reader_name} saw {len(leaks)} hidden markers:\n" + "\n".join(leaks)
    # Not vacuous: each API list carries every marker of its kind the reader may see.
    for kind, url in API_LISTS.items():
        text = _text(api.client.get("/api/v1" + url))
        missing = [m.word for m in shown if m.kind == kind and m.word not in text]
        assert not missing, (reader_name, url, missing)
    reporting.count("security matrix", "readers")
    reporting.count("security matrix", "outputs", cases)
    reporting.count("security matrix", "marker checks", cases * len(world["markers"]))
