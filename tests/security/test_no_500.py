"""No 500 on bad input: every page of the URLconf, GET and POST, with hostile input.

A crawler, for an Amministratore and an Operatore (Ufficio relazioni internazionali) of the
same ente, over a world with one record of each kind:

- every URL pattern (pages and API) is filled with the world's ids, then with an id no
  database column holds (2**63: PostgreSQL's bigint overflows, SQLite's integer too);
- every page the user may open gets hostile query strings: each parameter its own forms name,
  and the common ones (page, q, data, offset, limit…), set to a NUL byte, a huge number, a far
  date (ISO and Italian), a digit int() cannot read followed by an overlong text;
- every form the pages render gets the same values in each field (multipart and urlencoded),
  and every address a multipart body without its boundary (and the API garbage JSON).

Whatever the database of the run (SQLite, or PostgreSQL with DATABASE_URL), no answer may be
a 5xx: a hostile request gets a clear 4xx, a page with its filters refused or a form
re-rendered with its errors. Each request runs in a savepoint, so that on PostgreSQL one
database error does not hide the next. Destructive POSTs come last. The Amministratore's
crawl is the full one (about 1,700 requests); the Operatore's sends NUL and huge numbers to
every page it may open (about 470).
"""

from __future__ import annotations

import re
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

BIGINT = 2**63  # one past PostgreSQL's bigint and SQLite's integer
HUGE = "99999999999999999999"
HOSTILE = {
    "nul": "a\x00b",
    "huge": HUGE,  # > 2**63
    "far_date": "9999-12-31",
    "far_date_it": "31/12/9999",
    # "²".isdigit() but int("²") fails; then an overlong text
    "odd": "\u00b2" + "x" * 3000,
}
API_HOSTILE = ("nul", "huge")  # the API's queries are schemathesis's too
# Read by some page or API list without a form naming them on the page.
COMMON_PARAMS = [
    "page", "q", "data", "vista", "year", "anno", "offset", "limit", "sort", "kind", "status",
    "ente", "ente_id", "date_from", "date_to", "next", "export", "format", "parent", "objective",
    "network", "partner", "member", "side", "segnalati", "tutte", "mine", "field", "target",
    "state", "role", "decision", "lang", "organisation_id", "person_id", "meeting_id", "line_id",
]  # fmt: skip
# POSTs that would end the crawl (logging out) or are not Ponti's own input.
SKIP_POST = re.compile(r"^/?(accounts/logout/|oidc/|i18n/)")
# POSTs that remove what later requests read: last.
DESTRUCTIVE = re.compile(r"(elimina|cancella|revoca|togli|chiudi|rimuovi|unisci|attivo|fatta)/")


# Documents and the API's own description: their ids are tried, not their query strings (each
# answer takes a second or more and reads no input).
SLOW = {
    "planning:objective_sheet", "planning:progress_report", "reports:meeting_dossier",
    "reports:partner_dossier", "partners:person_export", "api:openapi-json", "api:openapi-view",
}  # fmt: skip


# --- the world ---------------------------------------------------------------------------------


@pytest.fixture
def ids(
    world: Any, budget_line: Any, make_org: Any, personas: dict[str, Any], ente: Any
) -> dict[str, Any]:
    """The id of one record of each kind (the GDPR world, plus what it lacks)."""
    from ponti.accounts.models import ApiToken
    from ponti.agreements.models import Commitment
    from ponti.meetings.models import FollowUpAction, Participant, VisitRequest
    from ponti.networks.models import Fee, MembershipRole, NetworkMember
    from ponti.planning.models import Indicator, Movement, Objective

    membership = world.group.membership
    admin = personas["amministratore"]
    objective = Objective.objects.create(
        ente=ente, level="operativo", code="1901/0159", title="Nel mondo",
        start_year=2022, end_year=2024, confidentiality="interno",
    )  # fmt: skip
    budget_line.objective = objective
    budget_line.save()
    token, _raw = ApiToken.issue(admin, "crawler")
    return {
        "org": world.org.pk,
        "person": world.person.pk,
        "position": world.person.positions.get().pk,
        "agreement": world.signed.pk,
        "commitment": Commitment.objects.create(
            agreement=world.signed, description="Mostra", owner=admin
        ).pk,
        "document": world.document_pdf.pk,
        "membership": membership.pk,
        "network": membership.network_id,
        "member": NetworkMember.objects.create(
            network=membership.network, member=make_org(name="Lipsia")
        ).pk,
        "role": MembershipRole.objects.create(
            membership=membership, kind="vicepresidenza", start_year=2018
        ).pk,
        "group": world.group.pk,
        "fee": Fee.objects.create(membership=membership, year=2025, amount=1500).pk,
        "meeting": world.held.pk,
        "participant": Participant.objects.filter(meeting=world.held).first().pk,  # type: ignore[union-attr]
        "action": FollowUpAction.objects.filter(meeting=world.held).get().pk,
        "gift": world.held.gifts.get().pk,
        "visit": VisitRequest.objects.get(meeting=world.held).pk,
        "objective": objective.pk,
        "indicator": Indicator.objects.create(objective=objective, name="Delegazioni").pk,
        "line": budget_line.pk,
        "movement": Movement.objects.create(
            line=budget_line, year=2023, amount=1500, description="Quota", recorded_by=admin
        ).pk,
        "year": 2023,
        "user": personas["revisore"].pk,
        "ente": ente.pk,
        "token": token.pk,
        "batch": _batch(personas["ufficio"], ente),
        "bond": _bond(world.org, make_org(name="Ebensee", country="AT")),
        "opportunity": _opportunity(ente),
        "saved_search": _saved_search(personas["ufficio"], ente),
    }


def _opportunity(ente: Any) -> int:
    from ponti.opportunities.models import Opportunity

    return Opportunity.objects.create(ente=ente, title="Gemellaggio di città").pk


def _saved_search(user: Any, ente: Any) -> int:
    from ponti.opportunities.saved_searches import create_saved_search

    return create_saved_search(user=user, ente=ente, name="Bandi CERV", params={"q": "CERV"}).pk


def _batch(user: Any, ente: Any) -> int:
    from ponti.core.importing import services

    data = b"partner;paese\nKassel;DE\n"
    return services.start(
        user=user, ente=ente, kind="agreements", filename="a.csv", data=data, background=False
    ).pk


def _bond(one: Any, other: Any) -> int:
    from ponti.agreements.bonds import KnownBond, ordered

    first, second = ordered(one.pk, other.pk)
    return KnownBond.objects.create(first_id=first, second_id=second).pk


# Which record each URL parameter names, by URL name (or by parameter name alone).
BY_NAME: dict[str, dict[str, str]] = {
    "accounts:revoke_token": {"pk": "token"},
    "office:token_revoke": {"pk": "token"},
    "office:ente_edit": {"pk": "ente"},
    "office:place_remove": {"pk": "user", "ente_pk": "ente"},
    "partners:person_detail": {"pk": "person"},
    "partners:person_edit": {"pk": "person"},
    "partners:person_delete": {"pk": "person"},
    "partners:person_history": {"pk": "person"},
    "partners:person_export": {"pk": "person"},
    "partners:person_erase": {"pk": "person"},
    "partners:retention_keep": {"pk": "person"},
    "partners:position_edit": {"pk": "position"},
    "partners:position_delete": {"pk": "position"},
    "networks:member_delete": {"pk": "member"},
    "networks:role_edit": {"pk": "membership", "part_pk": "role"},
    "networks:role_delete": {"pk": "membership", "part_pk": "role"},
    "networks:group_edit": {"pk": "membership", "part_pk": "group"},
    "networks:group_delete": {"pk": "membership", "part_pk": "group"},
    "networks:fee_edit": {"pk": "membership", "part_pk": "fee"},
    "networks:fee_delete": {"pk": "membership", "part_pk": "fee"},
    "meetings:visit_detail": {"pk": "visit"},
    "meetings:visit_screening": {"pk": "visit"},
    "meetings:visit_decide": {"pk": "visit"},
    "planning:indicator_edit": {"pk": "indicator"},
    "planning:indicator_values": {"pk": "indicator"},
    "planning:indicator_delete": {"pk": "indicator"},
    "opportunities:saved_open": {"pk": "saved_search"},
    "opportunities:saved_delete": {"pk": "saved_search"},
}
BY_NAMESPACE = {  # the record `pk` names elsewhere in each namespace
    "office": "user", "partners": "org", "agreements": "agreement", "networks": "membership",
    "meetings": "meeting", "reports": "meeting", "opportunities": "opportunity",
}  # fmt: skip
BY_PREFIX = {"planning:objective": "objective", "planning:progress": "objective",
             "core:import": "batch",
             "planning:line": "line", "planning:indicator": "objective",
             "reports:partner": "org"}  # fmt: skip
BY_PARAM = {
    "commitment_pk": "commitment", "doc_pk": "document", "participant_pk": "participant",
    "action_pk": "action", "year": "year", "person_id": "person",
    "organisation_id": "org", "position_id": "position", "agreement_id": "agreement",
    "commitment_id": "commitment", "document_id": "document", "network_member_id": "member",
    "membership_id": "membership", "role_id": "role", "group_id": "group", "fee_id": "fee",
    "action_id": "action", "gift_id": "gift", "meeting_id": "meeting",
    "participant_id": "participant", "visit_id": "visit", "objective_id": "objective",
    "line_id": "line", "indicator_id": "indicator", "movement_id": "movement", "user_id": "user",
    "ente_id": "ente", "token_id": "token", "batch_id": "batch", "bond_id": "bond",
    "opportunity_id": "opportunity", "search_id": "saved_search",
}  # fmt: skip
TEXT_PARAMS = {
    "fmt": "html", "kind": "organisations", "token": "x" * 40, "uidb64": "MQ", "path": "x.woff",
}  # fmt: skip
API = "api/v1/"


@dataclass
class Route:
    name: str
    pattern: str  # e.g. partner/<int:pk>/modifica/
    params: list[tuple[str, str]] = field(default_factory=list)  # (converter, name)


def routes() -> Iterator[Route]:
    def walk(resolver: URLResolver, prefix: str, ns: str) -> Iterator[Route]:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                name = ns + (f"{p.namespace}:" if p.namespace else "")
                yield from walk(p, prefix + str(p.pattern), name)
            elif isinstance(p, URLPattern):
                pattern = prefix + str(p.pattern)
                params = re.findall(r"<(?:(\w+):)?(\w+)>", pattern)
                yield Route(ns + (p.name or ""), pattern, [(c or "str", n) for c, n in params])

    seen = set()
    for route in walk(get_resolver(), "", ""):
        if route.pattern.startswith("admin/") or route.pattern in seen:
            continue
        seen.add(route.pattern)
        yield route


def record_for(route: Route, param: str) -> str | None:
    if param in BY_PARAM and not (param == "ente_id" and not route.pattern.startswith(API)):
        return BY_PARAM[param]
    if param in route_params(route):
        return route_params(route)[param]
    if param == "pk":
        for prefix, key in BY_PREFIX.items():
            if route.name.startswith(prefix):
                return key
        return BY_NAMESPACE.get(route.name.split(":")[0])
    return None


def route_params(route: Route) -> dict[str, str]:
    return BY_NAME.get(route.name, {})


def fill(route: Route, ids: dict[str, Any], bad_id: str | None = None) -> str | None:
    """The route's address with the world's ids (or `bad_id` in every id); None if it has none."""
    url = route.pattern
    for converter, param in route.params:
        key = record_for(route, param)
        if key is not None:
            value = bad_id if bad_id is not None else ids[key]
        elif param in TEXT_PARAMS:
            value = TEXT_PARAMS[param] if converter != "dossierfmt" else "docx"
        else:
            raise AssertionError(f"test_no_500: say which record {param} of {route.pattern} is")
        if value is None:
            return None
        url = re.sub(rf"<(\w+:)?{param}>", str(value), url, count=1)
    return "/" + url


# --- the crawl ---------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: dict[str, str]  # name -> value on the page ("" when none)
    hidden: set[str]


class FormParser(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.forms: list[Form] = []
        self.current: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = a.get("action") or self.url
            self.current = Form(
                action=action,
                method=a.get("method", "get").lower(),
                enctype=a.get("enctype", ""),
                fields={},
                hidden=set(),
            )
            self.forms.append(self.current)
        elif tag in ("input", "select", "textarea", "button") and a.get("name"):
            form = self.current
            if form is None:
                return
            if a["name"] == "csrfmiddlewaretoken":
                return
            form.fields.setdefault(a["name"], a.get("value", ""))
            if a.get("type") == "hidden":
                form.hidden.add(a["name"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None


@dataclass
class Crawl:
    client: Client
    who: str
    user: Any
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # per page, to keep the crawl fast

    def check(self, method: str, url: str, response: Any, what: str) -> None:
        self.requests += 1
        if "_auth_user_id" not in self.client.session:
            self.failures.append(f"{self.who} {method} {url[:120]} [{what}] logged the crawler out")
            self.client.force_login(self.user)
        if response.status_code >= 500:
            exc = getattr(response, "exc_info", None)
            cause = f"{exc[0].__name__}: {str(exc[1])[:160]}{where(exc[2])}" if exc else ""
            self.failures.append(
                f"{self.who} {method} {url[:120]} [{what}] -> {response.status_code} {cause}"
            )

    def send(self, method: str, url: str, data: Any = None, content_type: str | None = None) -> Any:
        """One request in a savepoint: after a database error (a 500 on PostgreSQL aborts the
        transaction) the crawl goes on, to report every 500 at once."""
        with transaction.atomic():
            if method == "GET":
                response = self.client.get(url)
            elif content_type:
                response = self.client.generic("POST", url, data, content_type=content_type)
            else:
                response = self.client.post(url, data)  # multipart
            if response.status_code >= 500:
                transaction.set_rollback(True)
        return response

    def get(self, url: str, query: dict[str, str] | None = None, what: str = "") -> Any:
        full = url + ("?" + urlencode(query) if query else "")
        start = time.perf_counter()
        response = self.send("GET", full)
        self.seconds[url] = self.seconds.get(url, 0) + time.perf_counter() - start
        self.check("GET", full, response, what or "plain")
        return response

    def post(self, url: str, data: Any, what: str, content_type: str | None = None) -> None:
        start = time.perf_counter()
        response = self.send("POST", url, data, content_type)
        key = "POST " + url
        self.seconds[key] = self.seconds.get(key, 0) + time.perf_counter() - start
        self.check("POST", url, response, what)


def where(tb: Any) -> str:
    """The last line of Ponti's own code in a traceback."""
    frames = [
        f for f in traceback.extract_tb(tb) if "/ponti/" in f.filename and ".venv" not in f.filename
    ]
    return f" at {frames[-1].filename.split('/ponti/')[-1]}:{frames[-1].lineno}" if frames else ""


def forms_of(url: str, response: Any) -> list[Form]:
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    parser = FormParser(url)
    parser.feed(response.content.decode(errors="replace"))
    return parser.forms


def hostile_posts(crawl: Crawl, form: Form) -> None:
    action = urlsplit(form.action).path
    for label, value in HOSTILE.items():
        body = {k: (v if k in form.hidden else value) for k, v in form.fields.items()}
        crawl.post(action, body, f"multipart {label}")
        if label == "huge":  # hidden ids and versions too
            crawl.post(action, dict.fromkeys(form.fields, value), f"all fields {label}")
    crawl.post(
        action,
        urlencode({k: "a\x00b" for k in form.fields}),
        "urlencoded nul",
        content_type="application/x-www-form-urlencoded",
    )


def blind_posts(crawl: Crawl, url: str) -> None:
    """A POST to any address: a multipart body without its boundary, and hostile fields."""
    crawl.post(url, b"--x\r\nnot really\r\n", "multipart without boundary", "multipart/form-data")
    if url.startswith("/" + API):
        crawl.post(url, b"{\x00", "garbage json", content_type="application/json")


def crawl_as(
    client: Client, who: str, user: Any, ids: dict[str, Any], *, forms_too: bool = True
) -> Crawl:
    crawl = Crawl(client, who, user)
    pages: list[tuple[str, Route]] = []
    for route in routes():
        if route.pattern.startswith(("oidc/", "i18n/")):
            continue
        url = fill(route, ids)
        if url is not None:
            pages.append((url, route))
        for bad in (str(BIGINT),) if forms_too else ():
            if any(record_for(route, p) for _c, p in route.params):
                bad_url = fill(route, ids, bad_id=bad)
                if bad_url:
                    crawl.get(bad_url, what=f"id {bad[:6]}…")
    forms: dict[str, Form] = {}
    for url, route in pages:
        if route.name in SLOW:
            continue  # documents: the ids above are enough; rendering them takes seconds
        response = crawl.get(url)
        if response.status_code in (403, 404, 405):
            continue  # a page this user may not open, or a POST-only address: it reads nothing
        names = set(COMMON_PARAMS)
        for form in forms_of(url, response):
            if form.method == "get":
                names |= set(form.fields)
            elif not SKIP_POST.match(urlsplit(form.action).path.lstrip("/")):
                forms.setdefault(urlsplit(form.action).path + repr(sorted(form.fields)), form)
        if url.endswith((".pdf", ".docx", ".odt", ".xlsx", ".ics")):
            continue  # a file: no query string shapes it
        if route.pattern.startswith(API) and route.params:
            continue  # an API record: its ids above; its queries are schemathesis's
        for label, value in HOSTILE.items():
            if label in API_HOSTILE or (forms_too and not route.pattern.startswith(API)):
                crawl.get(url, dict.fromkeys(sorted(names), value), what=label)
        crawl.get(url, {"page": HUGE}, what="page huge")
    posts = [f for f in forms.values()]
    posts.sort(key=lambda f: bool(DESTRUCTIVE.search(f.action)))
    for form in posts if forms_too else []:
        hostile_posts(crawl, form)
    blind = [u for u, r in pages if not SKIP_POST.match(r.pattern) and r.name not in SLOW]
    blind.sort(key=lambda u: bool(DESTRUCTIVE.search(u)))
    for url in blind if forms_too else []:
        blind_posts(crawl, url)
    return crawl


@pytest.mark.parametrize("role", ["amministratore", "ufficio"])
def test_no_page_answers_500_to_hostile_input(
    role: str, personas: dict[str, Any], ids: dict[str, Any], settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client(raise_request_exception=False)
    client.force_login(personas[role])
    # The Operatore's forms, filters and ids are the Amministratore's: fully fuzzed once, by the
    # Amministratore; the Operatore's crawl sends NUL and huge numbers to every page it opens.
    crawl = crawl_as(client, role, personas[role], ids, forms_too=role == "amministratore")
    slowest = sorted(crawl.seconds.items(), key=lambda kv: -kv[1])[:15]
    print(f"test_no_500 {role}: {crawl.requests} requests; slowest: {slowest}")
    assert not crawl.failures, f"{len(crawl.failures)} answers ≥ 500:\n" + "\n".join(
        crawl.failures[:400]
    )


def test_the_crawl_reaches_every_page(ids: dict[str, Any]) -> None:
    """Each URL pattern is filled (a new page with a new parameter must say which record)."""
    filled = [fill(route, ids) for route in routes()]
    assert len(filled) > 150


def test_far_dates_in_the_calendar_are_pages(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["ufficio"])
    for day in ("9999-12-31", "0001-01-01", "2024-02-30", "a\x00b"):
        for view in ("giorno", "settimana", "mese", "anno"):
            assert (
                client.get("/incontri/calendario/", {"data": day, "vista": view}).status_code < 500
            )


# --- the roots, one by one (each a 500 before) -------------------------------------------------


def test_parse_id_takes_only_what_a_column_holds() -> None:
    from ponti.core.ids import MAX_ID, parse_id

    assert parse_id("12") == 12 and parse_id(" 12 ") == 12 and parse_id(12) == 12
    assert parse_id(str(MAX_ID)) == MAX_ID
    for bad in (
        "0",
        "-3",
        "1e3",
        "\u00b2",
        "\u0661\u0662",
        str(BIGINT),
        HUGE,
        "",
        None,
        True,
        2**63,
    ):
        assert parse_id(bad) is None, bad


def test_a_model_choice_beyond_bigint_is_an_invalid_choice(db: Any) -> None:
    """Django sends `pk__in=[10**20]` to the database (OverflowError on SQLite, DataError on
    PostgreSQL); every model choice field now refuses it first."""
    from django import forms

    from ponti.core.models import Sector

    class Choose(forms.Form):
        one = forms.ModelChoiceField(Sector.objects.all(), required=False)
        many = forms.ModelMultipleChoiceField(Sector.objects.all(), required=False)

    form = Choose({"one": HUGE, "many": [HUGE, "-" + HUGE]})
    assert not form.is_valid()
    assert set(form.errors) == {"one", "many"}


@pytest.mark.parametrize(
    "url",
    [
        "/accordi/nuovo/?partner=\u00b2",
        "/incontri/nuovo/?partner=\u00b2",
        "/incontri/azioni/nuova/?partner=\u00b2",
        "/programmazione/obiettivi/nuovo/?parent=\u00b2",
        "/programmazione/capitoli/nuovo/?objective=\u00b2",
        f"/gestione/utenti/?ente={HUGE}",
        f"/gestione/utenti/{BIGINT}/",
    ],
)
def test_an_id_in_the_query_string_that_no_column_holds_is_ignored(
    client: Client, personas: dict[str, Any], url: str
) -> None:
    client.force_login(personas["amministratore"])
    assert client.get(url).status_code in (200, 404)


def test_a_nul_in_the_users_search_is_a_400(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["amministratore"])
    response = client.get("/gestione/utenti/", {"q": "ad\x00min"})
    assert response.status_code == 400
    assert "carattere di controllo" in response.content.decode()


def test_typed_in_ids_beyond_bigint_are_refused_in_the_form(
    client: Client, personas: dict[str, Any], make_org: Any
) -> None:
    client.force_login(personas["ufficio"])
    response = client.post(
        "/accordi/nuovo/", {"title": "Patto", "kind": "amicizia", "partners": f"{HUGE} Lione"}
    )
    assert response.status_code == 200
    assert "non è un partner del registro" in response.content.decode()


def test_a_membership_year_past_9999_is_a_field_error(db: Any, ente: Any, make_org: Any) -> None:
    from django.core.exceptions import ValidationError

    from ponti.networks.models import Membership

    membership = Membership(ente=ente, network=make_org(kind="network"), since_year=int(HUGE))
    with pytest.raises(ValidationError) as refused:
        membership.full_clean()
    assert "since_year" in refused.value.message_dict


def test_deleting_a_referenced_person_or_organisation_is_refused_with_a_message(
    client: Client, personas: dict[str, Any], world: Any
) -> None:
    client.force_login(personas["amministratore"])
    for url, record in (
        (f"/partner/persone/{world.person.pk}/elimina/", world.person),
        (f"/partner/{world.org.pk}/elimina/", world.org),
    ):
        response = client.post(url, follow=True)
        assert response.status_code == 200
        assert "Altri record dipendono da" in response.content.decode()
        assert type(record).objects.filter(pk=record.pk).exists()


def test_a_nul_in_the_screening_criteria_is_refused(
    client: Client, personas: dict[str, Any], ente: Any
) -> None:
    from ponti.meetings.models import ScreeningCriterion

    client.force_login(personas["ufficio"])
    before = ScreeningCriterion.objects.filter(ente=ente).count()
    response = client.post("/incontri/criteri/", {"new": "Reciprocit\x00à"})
    assert response.status_code == 400
    assert "carattere di controllo" in response.content.decode()
    assert ScreeningCriterion.objects.filter(ente=ente).count() == before
