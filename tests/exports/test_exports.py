"""Every list exports CSV, XLSX and ODS (pages and API): what the reader may see, with the
list's filters, in the reader's language, cells safe to open and typed, streamed."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.http import StreamingHttpResponse
from django.test import Client

from tests.api.helpers import token_client
from tests.exports.helpers import body, csv_rows, ods_rows, rows_of, xlsx_rows
from tests.security.matrix_world import build, word

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx", "ods"]
# list page → the kind of marker its rows carry (tests.security.matrix_world)
PAGES = {
    "/partner/?": "org",
    "/partner/persone/?": "per",
    "/accordi/?": "agr",
    "/incontri/?": "mtg",
    "/incontri/azioni/?tutte=1&": "act",
    "/incontri/doni/?": "gft",
    "/reti/?": "mem",
    "/programmazione/capitoli/?": "bdl",
}
API = {
    "/organisations/export": "org",
    "/people/export": "per",
    "/agreements/export": "agr",
    "/meetings/export": "mtg",
    "/actions/export": "act",
    "/gifts/export": "gft",
    "/memberships/export": "mem",
    "/budget-lines/export": "bdl",
}


@pytest.fixture
def world(ente: Any, other_ente: Any, make_user: Any) -> dict[str, Any]:
    """The security matrix's world, read by an ufficio of Florence with clearance «interno»
    (who owns Florence's actions, since "Le mie azioni" lists the reader's own)."""
    from ponti.meetings.models import FollowUpAction

    owners = {
        "fi": make_user("ufficio", username="owner-fi", enti=[ente]),
        "po": make_user("ufficio", username="owner-po", enti=[other_ente]),
    }
    build({"fi": ente, "po": other_ente}, owners)
    reader = make_user("ufficio", username="lettore", enti=[ente], clearance="interno")
    FollowUpAction.objects.filter(ente=ente).update(owner=reader)
    return {"reader": reader, "ente": ente}


def _expected(kind: str) -> tuple[set[str], set[str]]:
    """(markers the reader sees, markers the reader must not see) of one kind."""
    levels = ["pubblico", "interno", "riservato"]
    if kind in ("org", "per"):  # the shared registry: clearance only
        return {word(kind, "", lv) for lv in levels[:2]}, {word(kind, "", "riservato")}
    shown = {word(kind, "fi", lv) for lv in levels[:2]}
    hidden = {word(kind, "fi", "riservato")} | {word(kind, "po", lv) for lv in levels}
    return shown, hidden


def _text(rows: list[list[Any]]) -> str:
    return "\n".join(str(cell) for row in rows for cell in row)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("url", list(PAGES))
def test_each_list_page_exports_only_what_the_reader_may_see(
    url: str, fmt: str, world: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(world["reader"])
    response = client.get(f"{url}export={fmt}")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)  # streamed: memory stays flat
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    rows = rows_of(response)
    assert rows[0][0] == "ID"
    text = _text(rows[1:])
    shown, hidden = _expected(PAGES[url])
    assert {m for m in shown if m in text} == shown
    assert not {m for m in hidden if m in text}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("url", list(API))
def test_each_api_list_exports_only_what_the_reader_may_see(
    url: str, fmt: str, world: dict[str, Any]
) -> None:
    response = token_client(world["reader"]).get(url, {"format": fmt})
    assert response.status_code == 200, body(response)[:300]
    rows = rows_of(response)
    assert rows[0][0] == "ID"
    text = _text(rows[1:])
    shown, hidden = _expected(API[url])
    assert {m for m in shown if m in text} == shown
    assert not {m for m in hidden if m in text}


def test_an_api_export_refuses_an_unknown_format(world: dict[str, Any]) -> None:
    response = token_client(world["reader"]).get("/agreements/export", {"format": "pdf"})
    assert response.status_code == 422


def test_the_exports_keep_the_lists_filters(
    world: dict[str, Any], make_org: Any, ente: Any
) -> None:
    from ponti.agreements.models import Agreement

    kyoto = make_org(name="Città di Kyoto", country="JP", kind="city")
    make_org(name="Università di Lione", country="FR", kind="university")
    Agreement.objects.create(
        ente=ente, kind="gemellaggio", title="Gemellaggio Kyoto", status="attivo"
    ).partners.add(kyoto)
    client = Client()
    client.force_login(world["reader"])
    orgs = csv_rows(body(client.get("/partner/?kind=university&export=csv")))
    assert [r[1] for r in orgs[1:]] == ["Università di Lione"]
    agreements = csv_rows(body(client.get("/accordi/?kind=gemellaggio&export=csv")))
    assert [r[1] for r in agreements[1:]] == ["Gemellaggio Kyoto"]
    assert agreements[1][4] == "Città di Kyoto" and agreements[1][5] == "Giappone"
    found = csv_rows(body(client.get("/accordi/?q=Kyoto&export=csv")))
    assert [r[1] for r in found[1:]] == ["Gemellaggio Kyoto"]
    api = token_client(world["reader"])
    by_api = csv_rows(body(api.get("/agreements/export", {"kind": "gemellaggio"})))
    assert [r[1] for r in by_api[1:]] == ["Gemellaggio Kyoto"]
    assert len(csv_rows(body(api.get("/agreements/export", {"limit": 1})))) > 2  # no paging


def test_a_refused_search_exports_nothing(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["reader"])
    response = client.get("/partner/", {"q": "a\x0bb", "export": "csv"})
    assert response.status_code == 400 and not response.streaming


@pytest.fixture
def attacked(ente: Any, make_org: Any) -> Any:
    from ponti.agreements.models import Agreement

    org = make_org(name='=HYPERLINK("https://evil.example","x")', country="FR")
    agreement = Agreement.objects.create(
        ente=ente, kind="amicizia", title="+SUM(1+1)", status="attivo", confidentiality="interno"
    )
    agreement.partners.add(org)
    return agreement


@pytest.mark.parametrize("fmt", FORMATS)
def test_formula_cells_are_neutralised_in_every_format(
    fmt: str, attacked: Any, personas: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(personas["ufficio"])
    orgs = rows_of(client.get(f"/partner/?export={fmt}"))
    assert orgs[1][1] == '\'=HYPERLINK("https://evil.example","x")'
    agreements = rows_of(client.get(f"/accordi/?export={fmt}"))
    assert agreements[1][1] == "'+SUM(1+1)"
    assert agreements[1][4].startswith("'=HYPERLINK")
    if fmt == "xlsx":
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body(client.get("/accordi/?export=xlsx")))).active
        assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def _english(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.mark.parametrize("fmt", FORMATS)
def test_headers_and_labels_are_in_the_readers_language(
    fmt: str, attacked: Any, personas: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(personas["ufficio"])
    italian = rows_of(client.get(f"/accordi/?export={fmt}"))
    assert italian[0][:4] == ["ID", "Titolo", "Tipo", "Stato"]
    assert italian[1][2:4] == ["Patto di amicizia", "Attivo"]
    assert "Riservatezza" in italian[0] and italian[1][-1] == "Interno"
    _english(client)
    english = rows_of(client.get(f"/accordi/?export={fmt}"))
    assert english[0][:4] == ["ID", "Title", "Type", "Status"]
    assert english[1][3] == "Active"
    assert "Confidentiality" in english[0] and english[1][-1] == "Internal"
    assert english[1][5] == "France"


def test_the_csv_follows_the_readers_spreadsheet_conventions(
    personas: dict[str, Any], ente: Any
) -> None:
    """Italian Excel splits on ";" and reads "40,50"; English Excel splits on "," and reads
    "40.50". Dates are ISO in both."""
    from ponti.meetings.models import Gift

    Gift.objects.create(
        ente=ente,
        direction="ricevuto",
        description="Vaso, in ceramica",
        estimated_value=Decimal("40.50"),
        given_on=datetime.date(2025, 5, 4),
        confidentiality="interno",
    )
    client = Client()
    client.force_login(personas["ufficio"])
    italian = body(client.get("/incontri/doni/?export=csv")).decode("utf-8")
    assert italian.startswith("\ufeffID;Data;Dono;")
    assert ";2025-05-04;Vaso, in ceramica;Ricevuto;;;40,50;" in italian
    _english(client)
    english = body(client.get("/incontri/doni/?export=csv")).decode("utf-8")
    assert english.startswith("\ufeffID,Date,Gift,")
    assert ',2025-05-04,"Vaso, in ceramica",Received,,,40.50,' in english


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_dates_are_date_cells_and_amounts_numbers(
    fmt: str, personas: dict[str, Any], ente: Any
) -> None:
    from ponti.meetings.models import Gift

    Gift.objects.create(
        ente=ente,
        direction="dato",
        description="Libro",
        estimated_value=Decimal("1234.56"),
        given_on=datetime.date(2025, 5, 4),
        confidentiality="interno",
    )
    client = Client()
    client.force_login(personas["ufficio"])
    content = body(client.get(f"/incontri/doni/?export={fmt}"))
    rows = xlsx_rows(content) if fmt == "xlsx" else ods_rows(content)
    row = rows[1]
    assert row[1] in (datetime.date(2025, 5, 4), datetime.datetime(2025, 5, 4))
    assert row[6] == pytest.approx(1234.56) and not isinstance(row[6], str)
    assert isinstance(row[0], int | float)


def test_several_values_are_joined_and_links_the_reader_may_not_see_are_not_named(
    personas: dict[str, Any], make_user: Any, ente: Any, make_org: Any
) -> None:
    from ponti.agreements.models import Agreement

    agreement = Agreement.objects.create(
        ente=ente, kind="mou", title="Rete", status="attivo", confidentiality="pubblico"
    )
    agreement.partners.add(
        make_org(name="Lione", confidentiality="pubblico"),
        make_org(name="Kyoto", country="JP", confidentiality="pubblico"),
        make_org(name="Segretissima", confidentiality="riservato"),
    )
    reader = make_user("ufficio", username="interno", enti=[ente], clearance="interno")
    client = Client()
    client.force_login(reader)
    (row,) = csv_rows(body(client.get("/accordi/?export=csv")))[1:]
    assert row[4] == "Kyoto; Lione" and row[5] == "Francia; Giappone"


def test_the_csv_is_written_in_pieces(personas: dict[str, Any], ente: Any) -> None:
    from ponti.agreements.models import Agreement

    Agreement.objects.bulk_create(
        Agreement(ente=ente, kind="altro", title=f"Accordo {n}", status="proposta")
        for n in range(1200)
    )
    client = Client()
    client.force_login(personas["ufficio"])
    response = client.get("/accordi/?export=csv")
    pieces = list(response.streaming_content)
    assert len(pieces) >= 3  # 500 rows a piece: never the whole file at once
    assert len(csv_rows(b"".join(pieces))) == 1201
