"""Bad input to a search or a list is refused with a clear error, never a 500, on SQLite as on
PostgreSQL: NUL and other control characters in a search or a suggestion (PostgreSQL's driver
refuses a NUL outright), huge or odd page numbers, odd ids in a query string."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.api.helpers import token_client

pytestmark = pytest.mark.django_db

BAD_TEXT = ["\x00", "fi\x00renze", "fi\x0brenze", "\x1f", "rete\x7f"]

# Every search box of the pages, and the pickers' suggestions.
SEARCH_PAGES = [
    "/partner/?q={q}",
    "/partner/persone/?q={q}",
    "/reti/membri/?q={q}",
    "/accordi/?q={q}",
    "/incontri/?q={q}",
    "/programmazione/capitoli/?q={q}",
]
SUGGESTIONS = [
    "/partner/suggerimenti/people/?q={q}",
    "/partner/suggerimenti/organisations/?q={q}",
    "/partner/suggerimenti/organisations/?parent={q}",
    "/programmazione/capitoli/capitoli.xlsx?q={q}",
]
API_SEARCHES = [
    "/organisations?q={q}",
    "/people?q={q}",
    "/agreements?q={q}",
    "/meetings?q={q}",
    "/network-members?q={q}",
]


@pytest.fixture
def registry(make_org: Callable[..., Any], make_person: Callable[..., Any]) -> None:
    """Something for each search to look through."""
    from ponti.partners.models import Position

    org = make_org(name="Comune di Firenze", country="IT", city="Firenze")
    Position.objects.create(person=make_person(last_name="Firenzi"), organisation=org, role="x")


def _get(client: Client, url: str, q: str) -> Any:
    from urllib.parse import quote

    return client.get(url.format(q=quote(q)))


@pytest.mark.parametrize("url", SEARCH_PAGES)
@pytest.mark.parametrize("q", BAD_TEXT, ids=repr)
def test_a_search_page_refuses_control_characters_with_a_clear_error(
    url: str, q: str, client: Client, personas: dict[str, Any], registry: None
) -> None:
    client.force_login(personas["amministratore"])
    response = _get(client, url, q)
    assert response.status_code == 400
    html = response.content.decode()
    assert "contiene un carattere di controllo" in html
    # What was typed stays in the box, and the page lists nothing rather than everything.
    assert "Comune di Firenze" not in html and "Firenzi" not in html


@pytest.mark.parametrize("url", SUGGESTIONS)
@pytest.mark.parametrize("q", BAD_TEXT, ids=repr)
def test_suggestions_refuse_control_characters(
    url: str, q: str, client: Client, personas: dict[str, Any], registry: None
) -> None:
    client.force_login(personas["amministratore"])
    response = _get(client, url, q)
    assert response.status_code == 400
    assert "carattere di controllo" in response.content.decode()


@pytest.mark.parametrize("url", API_SEARCHES)
@pytest.mark.parametrize("q", BAD_TEXT, ids=repr)
def test_api_searches_refuse_control_characters(
    url: str, q: str, personas: dict[str, Any], registry: None
) -> None:
    from urllib.parse import quote

    response = token_client(personas["amministratore"]).get(url.format(q=quote(q)))
    assert response.status_code == 422
    assert "q" in str(response.json())


def test_good_searches_still_find(client: Client, personas: dict[str, Any], registry: None) -> None:
    client.force_login(personas["ufficio"])
    assert "Comune di Firenze" in client.get("/partner/?q=firenze").content.decode()
    assert "Firenzi" in client.get("/partner/persone/?q=firenzi").content.decode()
    options = client.get("/partner/suggerimenti/people/?q=firenzi").content.decode()
    assert "Firenzi" in options


def test_the_people_list_pages_keep_the_search(
    client: Client, personas: dict[str, Any], make_person: Callable[..., Any]
) -> None:
    for i in range(30):
        make_person(first_name=f"Anna{i:02d}", last_name="Rossi & Bianchi")
    client.force_login(personas["ufficio"])
    html = client.get("/partner/persone/?q=rossi+%26+bianchi").content.decode()
    assert "30 persone trovate" in html
    assert "?q=rossi+%26+bianchi&amp;page=2" in html


def test_the_duplicate_check_with_a_nul_or_an_odd_id_is_no_500(
    client: Client, personas: dict[str, Any], registry: None
) -> None:
    client.force_login(personas["ufficio"])
    for data in (
        {"name": "Comune di\x00 Firenze", "city": "Firenze"},
        {"name": "Comune di Firenze", "pk": "abc"},
        {"name": "Comune di Firenze", "pk": "²"},
        {"name": "Comune di Firenze", "pk": "9" * 40},
    ):
        response = client.post("/partner/verifica/", data, headers={"HX-Trigger-Name": "name"})
        assert response.status_code == 200, data
    # A good name still warns about the duplicate.
    html = client.post(
        "/partner/verifica/",
        {"name": "Comune di Firenze", "city": "Firenze"},
        headers={"HX-Trigger-Name": "name"},
    ).content.decode()
    assert "Comune di Firenze" in html


def test_the_budget_lines_export_ignores_odd_numbers(
    client: Client, personas: dict[str, Any]
) -> None:
    client.force_login(personas["amministratore"])
    for query in ("objective=²&year=²", "objective=" + "9" * 40, "year=" + "9" * 40):
        response = client.get(f"/programmazione/capitoli/capitoli.xlsx?{query}")
        assert response.status_code == 200, query


# --- huge and odd page numbers -----------------------------------------------------------------

PAGES = ["99999999999999999999", "9" * 5000, "-1", "0", "1e400", "abc", "２"]


@pytest.fixture
def lists(
    ente: Any, make_org: Callable[..., Any], make_person: Callable[..., Any]
) -> dict[str, str]:
    """One of each record, and the address of every paginated list."""
    from ponti.agreements.models import Agreement
    from ponti.meetings.models import Meeting
    from ponti.networks.models import Membership, NetworkMember

    org = make_org(name="Comune di Lione")
    person = make_person()
    network = make_org(name="Eurocities", kind="network")
    NetworkMember.objects.create(network=network, member=org)
    membership = Membership.objects.create(ente=ente, network=network, confidentiality="interno")
    agreement = Agreement.objects.create(
        kind="amicizia", title="Patto", ente=ente, confidentiality="interno"
    )
    meeting = Meeting.objects.create(
        ente=ente,
        title="Incontro",
        status="confermato",
        starts_at=datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.UTC),
        confidentiality="interno",
    )
    return {
        "organisations": "/partner/",
        "people": "/partner/persone/",
        "organisation history": f"/partner/{org.pk}/storia/",
        "person history": f"/partner/persone/{person.pk}/storia/",
        "members": "/reti/membri/",
        "membership history": f"/reti/{membership.pk}/storia/",
        "agreements": "/accordi/",
        "agreement history": f"/accordi/{agreement.pk}/storia/",
        "meetings": "/incontri/",
        "meeting history": f"/incontri/{meeting.pk}/storia/",
        "visit requests": "/incontri/richieste/",
        "budget lines": "/programmazione/capitoli/",
        "change log": "/registro-modifiche/",
    }


@pytest.mark.parametrize("number", PAGES)
def test_no_list_fails_on_a_huge_or_odd_page_number(
    number: str, client: Client, personas: dict[str, Any], lists: dict[str, str]
) -> None:
    """The page number is clamped (past the end: the last page; not a number: the first)."""
    client.force_login(personas["amministratore"])
    for name, url in lists.items():
        response = client.get(url, {"page": number})
        assert response.status_code == 200, (name, response.status_code)


@pytest.mark.parametrize(
    "query", ["offset=99999999999999999999", "offset=-1", "limit=100000", "limit=0", "offset=abc"]
)
def test_api_lists_refuse_a_huge_offset_or_limit_with_422(
    query: str, personas: dict[str, Any], lists: dict[str, str]
) -> None:
    api = token_client(personas["amministratore"])
    for path in ("/organisations", "/people", "/agreements", "/meetings", "/network-members"):
        response = api.get(f"{path}?{query}")
        assert response.status_code == 422, (path, response.status_code)
