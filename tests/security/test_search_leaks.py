"""Search never reveals a record its reader may not see: not in results, snippets, counts or
suggestions, not through an organisation's page, not through the words of a hidden record.

A small world is planted with records that carry unique words: a riservato person
(«Quillfeather») with a position in an interno organisation, a riservato consulate
(«Xylomarker») that a visible person works for, that is a partner of an agreement, a
counterpart of a meeting and a member of a network, relation records of another ente
(«Pratomarker») and a riservato meeting of this ente («Fiorenzmarker»). Every reader (each
role of Florence, and two users of Prato, with interno and riservato clearance) then reads
every search output: pages, htmx fragments, suggestions, the API's `q=` lists, exports,
the organisation and person pages, the network members explorer.

For each case and reader two things are checked:
- no record the reader may not see shows up anywhere in the response (by its name);
- the records the case should find are found exactly when the reader may see the words
  that find them (searching «quillfeather» finds the organisation where Quillfeather works
  only for readers who may see Quillfeather).
Runs on SQLite (FTS5) and PostgreSQL (pg_trgm): the search paths differ.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from tests.api.helpers import token_client

pytestmark = pytest.mark.django_db

TZ = datetime.UTC


@dataclass(frozen=True)
class Reader:
    key: str
    user: Any
    ente: str  # "fi" (Florence) or "po" (Prato)
    riservato: bool  # cleared for riservato records

    def can(self, perm: str) -> bool:
        return bool(self.user.has_perm(perm))


Rule = Callable[[Reader], bool]


def ALL(r: Reader) -> bool:
    return True


def RIS(r: Reader) -> bool:
    return r.riservato


def FI(r: Reader) -> bool:
    return r.ente == "fi"


def FI_RIS(r: Reader) -> bool:
    return r.ente == "fi" and r.riservato


def PO(r: Reader) -> bool:
    return r.ente == "po"


def NEVER(r: Reader) -> bool:
    return False


def both(*rules: Rule) -> Rule:
    return lambda r: all(rule(r) for rule in rules)


def perm(name: str) -> Rule:
    return lambda r: r.can(name)


# Each planted record: how it is recognised in any output (its name, as pages, suggestions,
# exports and the API print it), and who may see it.
RECORDS: dict[str, tuple[str, Rule]] = {
    "hub": ("Comune di Ardenza", ALL),
    "twin": ("Consolato Xylomarkre", ALL),
    "net": ("Rete Comuni Ardenza", ALL),
    "open_person": ("Lucia Pervinca", ALL),
    "secret_person": ("Ottavio Quillfeather", RIS),
    "secret_org": ("Consolato Xylomarker", RIS),
    "agr_fi": ("Patto di Ardenza", FI),
    "mtg_fi": ("Incontro di Ardenza", FI),
    "mtg_fi_secret": ("Riunione Fiorenzmarker", FI_RIS),
    "note_fi_secret": ("Nota fiorenzmarker riservata", FI_RIS),
    "agr_po": ("Accordo Pratomarker", PO),
    "mtg_po": ("Incontro Pratomarker", PO),
    "note_po": ("Nota pratomarker di Prato", PO),
}


@dataclass
class World:
    objects: dict[str, Any]
    readers: list[Reader]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


@pytest.fixture
def world(
    ente: Any, other_ente: Any, personas: dict[str, Any], make_user: Callable[..., Any]
) -> World:
    from ponti.agreements.models import Agreement
    from ponti.meetings.models import Meeting
    from ponti.networks.models import NetworkMember
    from ponti.partners.models import Organisation, OrganisationNote, Person, Position

    def org(name: str, **kw: Any) -> Any:
        values = {"kind": "city", "country": "FR", "city": "Ardenza", "confidentiality": "interno"}
        values.update(kw)
        return Organisation.objects.create(name=name, **values)

    o: dict[str, Any] = {}
    o["hub"] = org(RECORDS["hub"][0])
    o["net"] = org(RECORDS["net"][0], kind="network", country="BE", city="Bruxelles")
    o["secret_org"] = org(
        RECORDS["secret_org"][0],
        kind="consulate_honorary",
        country="DE",
        confidentiality="riservato",
        parent=o["hub"],
    )
    o["twin"] = org(RECORDS["twin"][0], kind="embassy", country="AT", city="Vienna")
    o["open_person"] = Person.objects.create(
        first_name="Lucia", last_name="Pervinca", confidentiality="interno"
    )
    o["secret_person"] = Person.objects.create(
        first_name="Ottavio",
        last_name="Quillfeather",
        email="o.quillfeather@example.org",
        confidentiality="riservato",
    )
    Position.objects.create(person=o["secret_person"], organisation=o["hub"], role="Console")
    Position.objects.create(person=o["open_person"], organisation=o["hub"], role="Sindaca")
    Position.objects.create(
        person=o["open_person"], organisation=o["secret_org"], role="Consulente"
    )
    NetworkMember.objects.create(network=o["net"], member=o["hub"])
    NetworkMember.objects.create(network=o["net"], member=o["secret_org"])

    def agreement(title: str, owner: Any, partners: list[Any], **kw: Any) -> Any:
        a = Agreement.objects.create(
            kind="amicizia", title=title, ente=owner, confidentiality="interno", **kw
        )
        a.partners.set(partners)
        return a

    def meeting(title: str, owner: Any, counterparts: list[Any], **kw: Any) -> Any:
        values = {
            "ente": owner,
            "title": title,
            "status": "confermato",
            "starts_at": datetime.datetime(2026, 12, 3, 9, 0, tzinfo=TZ),
            "ends_at": datetime.datetime(2026, 12, 3, 10, 0, tzinfo=TZ),
            "confidentiality": "interno",
        }
        values.update(kw)
        m = Meeting.objects.create(**values)
        m.counterparts.set(counterparts)
        return m

    o["agr_fi"] = agreement(RECORDS["agr_fi"][0], ente, [o["hub"], o["secret_org"]])
    o["agr_po"] = agreement(RECORDS["agr_po"][0], other_ente, [o["hub"]])
    o["mtg_fi"] = meeting(RECORDS["mtg_fi"][0], ente, [o["hub"], o["secret_org"]])
    o["mtg_fi_secret"] = meeting(
        RECORDS["mtg_fi_secret"][0], ente, [o["hub"]], confidentiality="riservato"
    )
    o["mtg_po"] = meeting(RECORDS["mtg_po"][0], other_ente, [o["hub"]])
    o["note_fi_secret"] = OrganisationNote.objects.create(
        organisation=o["hub"],
        ente=ente,
        text=RECORDS["note_fi_secret"][0],
        confidentiality="riservato",
    )
    o["note_po"] = OrganisationNote.objects.create(
        organisation=o["hub"], ente=other_ente, text=RECORDS["note_po"][0]
    )

    from ponti.core.confidentiality import clearance

    readers = [
        Reader(f"fi-{role}", user, "fi", clearance(user) >= 2) for role, user in personas.items()
    ]
    for role in ("ufficio", "revisore"):
        user = make_user(role, username=f"prato-{role}", enti=[other_ente])
        readers.append(Reader(f"po-{role}", user, "po", clearance(user) >= 2))
    # The matrix is only worth its name if it holds both clearances on both sides.
    assert {(r.ente, r.riservato) for r in readers} == {
        ("fi", True),
        ("fi", False),
        ("po", True),
        ("po", False),
    }
    return World(o, readers)


# --- how a case reads an output --------------------------------------------------------------


def page(path: Callable[[World], str] | str, **headers: str) -> Callable[[World, Reader], Any]:
    def fetch(w: World, r: Reader) -> Any:
        client = Client(headers=headers)
        client.force_login(r.user)
        return client.get(path(w) if callable(path) else path)

    return fetch


def post(
    path: str, data: Callable[[World], dict[str, Any]], **headers: str
) -> Callable[[World, Reader], Any]:
    def fetch(w: World, r: Reader) -> Any:
        client = Client(headers=headers)
        client.force_login(r.user)
        return client.post(path, data(w))

    return fetch


def api(path: Callable[[World], str] | str) -> Callable[[World, Reader], Any]:
    def fetch(w: World, r: Reader) -> Any:
        return token_client(r.user).get(path(w) if callable(path) else path)

    return fetch


@dataclass(frozen=True)
class Case:
    name: str
    fetch: Callable[[World, Reader], Any]
    # record → who should find it in this output (the others must be absent if hidden).
    finds: dict[str, Rule] = field(default_factory=dict)


NEW_ORG = {
    "name": "Consolato Xylomarkr",
    "kind": "consulate_honorary",
    "country": "DE",
    "city": "Ardenza",
    "confidentiality": "interno",
}

CASES = [
    # The registry's list: page, htmx fragment, and the count it prints.
    Case(
        "organisations: a hidden person's name finds nothing",
        page("/partner/?q=quillfeather"),
        {"hub": RIS},
    ),
    Case(
        "organisations htmx: a hidden person's name finds nothing",
        page("/partner/?q=quillfeather", HX_Request="true"),
        {"hub": RIS},
    ),
    Case(
        "organisations: a hidden organisation is not found",
        page("/partner/?q=xylomarker"),
        {"secret_org": RIS},
    ),
    Case(
        "organisations: a shared word finds only what the reader may see",
        page("/partner/?q=ardenza"),
        {"hub": ALL, "net": ALL, "secret_org": RIS},
    ),
    # People: list, search, the positions shown in the list.
    Case(
        "people: the list's current positions name no hidden organisation",
        page("/partner/persone/"),
        {"open_person": ALL, "secret_person": RIS, "secret_org": RIS},
    ),
    Case(
        "people: a hidden person is not found",
        page("/partner/persone/?q=quillfeather"),
        {"secret_person": RIS},
    ),
    Case(
        "people: a hidden person is not found by e-mail",
        page("/partner/persone/?q=o.quillfeather@example"),
        {"secret_person": RIS},
    ),
    # Suggestions of the pickers.
    Case(
        "suggestions of people",
        page("/partner/suggerimenti/people/?q=quillfeather"),
        {"secret_person": RIS},
    ),
    Case(
        "suggestions of organisations: a hidden person's name",
        page("/partner/suggerimenti/organisations/?q=quillfeather"),
        {"hub": RIS},
    ),
    Case(
        "suggestions of organisations: a shared word",
        page("/partner/suggerimenti/organisations/?q=ardenza"),
        {"hub": ALL, "net": ALL, "secret_org": RIS},
    ),
    Case(
        "suggestions of organisations as a picker sends them (field name, not q)",
        page("/partner/suggerimenti/organisations/?parent=xylomarker"),
        {"secret_org": RIS},
    ),
    # Pages of records: positions, children, notes and every panel.
    Case(
        "the organisation page: people, children, notes, panels",
        page(lambda w: f"/partner/{w.hub.pk}/"),
        {
            "hub": ALL,
            "open_person": ALL,
            "secret_person": RIS,
            "secret_org": RIS,
            "note_fi_secret": FI_RIS,
            "note_po": PO,
            "agr_fi": FI,
            "agr_po": PO,
            "mtg_fi": FI,
            "mtg_fi_secret": FI_RIS,
            "mtg_po": PO,
            "net": ALL,
        },
    ),
    Case(
        "the hidden organisation's page",
        page(lambda w: f"/partner/{w.secret_org.pk}/"),
        {"secret_org": RIS, "open_person": RIS},
    ),
    Case(
        "a visible person's page: positions",
        page(lambda w: f"/partner/persone/{w.open_person.pk}/"),
        {"open_person": ALL, "hub": ALL, "secret_org": RIS},
    ),
    # The duplicate warnings: on create, as the user types, and the merge candidates.
    Case(
        "duplicate warning on create",
        post("/partner/nuovo/", lambda w: NEW_ORG),
        {
            "secret_org": both(RIS, perm("partners.add_organisation")),
            "twin": perm("partners.add_organisation"),
        },
    ),
    Case(
        "duplicate warning as the user types",
        post("/partner/verifica/", lambda w: NEW_ORG, HX_Trigger_Name="name"),
        {"secret_org": RIS, "twin": ALL},
    ),
    Case(
        "merge candidates",
        page(lambda w: f"/partner/{w.twin.pk}/unisci/"),
        {"secret_org": both(RIS, perm("partners.merge_organisation"))},
    ),
    Case("the home page", page("/"), {"hub": ALL}),
    # Agreements: search by partner, the partners column, the country facet, exports.
    Case(
        "agreements: a hidden partner's name finds nothing",
        page("/accordi/?q=xylomarker"),
        {"agr_fi": FI_RIS},
    ),
    Case(
        "agreements: the list's partners",
        page("/accordi/"),
        {"agr_fi": FI, "agr_po": PO, "hub": ALL, "secret_org": FI_RIS},
    ),
    Case(
        "agreements: another ente's agreement is not found",
        page("/accordi/?q=pratomarker"),
        {"agr_po": PO},
    ),
    Case(
        "agreements: a hidden partner's country finds nothing",
        page("/accordi/?country=DE"),
        {"agr_fi": FI_RIS},
    ),
    Case(
        "agreements: CSV export of a search",
        page("/accordi/?export=csv&q=ardenza"),
        {"agr_fi": FI, "agr_po": PO, "secret_org": FI_RIS},
    ),
    # Meetings.
    Case(
        "meetings: a hidden counterpart's name finds nothing",
        page("/incontri/?q=xylomarker"),
        {"mtg_fi": FI_RIS},
    ),
    Case(
        "meetings: the list's counterparts",
        page("/incontri/"),
        {"mtg_fi": FI, "mtg_fi_secret": FI_RIS, "mtg_po": PO, "secret_org": FI_RIS},
    ),
    Case(
        "meetings: a riservato meeting is not found",
        page("/incontri/?q=fiorenzmarker"),
        {"mtg_fi_secret": FI_RIS},
    ),
    # The network members explorer.
    Case(
        "network members explorer",
        page("/reti/membri/"),
        {"hub": ALL, "net": ALL, "secret_org": RIS},
    ),
    Case(
        "network members explorer: a hidden person's name finds nothing",
        page("/reti/membri/?q=quillfeather"),
        {"hub": RIS},
    ),
    Case(
        "network members explorer: a hidden member is not found",
        page("/reti/membri/?q=xylomarker", HX_Request="true"),
        {"secret_org": RIS},
    ),
    # The API's lists.
    Case(
        "API organisations: a hidden person's name finds nothing",
        api("/organisations?q=quillfeather"),
        {"hub": RIS},
    ),
    Case(
        "API organisations: a shared word",
        api("/organisations?q=ardenza"),
        {"hub": ALL, "net": ALL, "secret_org": RIS},
    ),
    Case(
        "API people: a hidden person is not found",
        api("/people?q=quillfeather"),
        {"secret_person": RIS},
    ),
    Case(
        "API people: current positions name no hidden organisation",
        api("/people?q=pervinca"),
        {"open_person": ALL, "secret_org": RIS},
    ),
    Case(
        "API people of a hidden organisation",
        api(lambda w: f"/people?organisation_id={w.secret_org.pk}"),
        {"open_person": RIS},
    ),
    Case(
        "API positions of an organisation",
        api(lambda w: f"/organisations/{w.hub.pk}/positions"),
        {"open_person": ALL, "secret_person": RIS},
    ),
    Case(
        "API positions of a person",
        api(lambda w: f"/people/{w.open_person.pk}/positions"),
        {"hub": ALL, "secret_org": RIS},
    ),
    Case(
        "API agreements: a hidden partner's name finds nothing",
        api("/agreements?q=xylomarker"),
        {"agr_fi": FI_RIS},
    ),
    Case(
        "API agreements: another ente's agreement",
        api("/agreements?q=pratomarker"),
        {"agr_po": PO},
    ),
    Case(
        "API agreements: a hidden partner's country finds nothing",
        api("/agreements?country=DE"),
        {"agr_fi": FI_RIS},
    ),
    Case(
        "API agreements: partners",
        api("/agreements"),
        {"agr_fi": FI, "agr_po": PO, "secret_org": FI_RIS},
    ),
    Case(
        "API meetings: counterparts",
        api("/meetings"),
        {"mtg_fi": FI, "mtg_fi_secret": FI_RIS, "mtg_po": PO},
    ),
    Case(
        "API meetings of a hidden counterpart",
        api(lambda w: f"/meetings?organisation_id={w.secret_org.pk}"),
        {"mtg_fi": FI_RIS},
    ),
    Case(
        "API meetings: a riservato meeting is not found",
        api("/meetings?q=fiorenzmarker"),
        {"mtg_fi_secret": FI_RIS},
    ),
    Case(
        "API network members: a hidden person's name finds nothing",
        api("/network-members?q=quillfeather"),
        {"hub": RIS},
    ),
    Case(
        "API network members: a hidden member is not found",
        api("/network-members?q=xylomarker"),
        {"secret_org": RIS},
    ),
    Case(
        "API network members",
        api("/network-members"),
        {"hub": ALL, "net": ALL, "secret_org": RIS},
    ),
]


def _text(response: Any) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    body = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        # Names as written, whatever the JSON encoder escapes.
        return json.dumps(json.loads(body), ensure_ascii=False)
    return body


def _check(case: Case, w: World, r: Reader) -> list[str]:
    response = case.fetch(w, r)
    if response.status_code >= 500:
        return [f"{r.key}: status {response.status_code}"]
    text = _text(response)
    seen = {key for key, (name, _rule) in RECORDS.items() if name in text}
    problems = [
        f"{r.key}: shows «{RECORDS[key][0]}», which it may not see"
        for key in sorted(seen)
        if not RECORDS[key][1](r)
    ]
    for key, rule in case.finds.items():
        if (key in seen) != rule(r):
            problems.append(
                f"{r.key}: «{RECORDS[key][0]}» "
                + ("found" if key in seen else "not found")
                + f" (status {response.status_code})"
            )
    if (
        response.get("Content-Type", "").startswith("application/json")
        and 200 <= response.status_code < 300
    ):
        body = json.loads(response.content)
        if "count" in body and body["offset"] == 0 and body["count"] != len(body["items"]):
            problems.append(f"{r.key}: count {body['count']} but {len(body['items'])} items")
    return problems


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_search_shows_each_reader_only_what_they_may_see(case: Case, world: World) -> None:
    problems = [p for reader in world.readers for p in _check(case, world, reader)]
    assert not problems, "\n".join(problems)


def test_the_matrix_covers_each_reader_and_output() -> None:
    # 8 readers (6 roles of Florence, 2 of Prato) × the outputs above; the closing note counts them.
    assert len(CASES) >= 45


def test_home_counts_only_what_the_reader_may_see(world: World) -> None:
    from ponti.partners.models import Organisation, Person

    for r in world.readers:
        client = Client()
        client.force_login(r.user)
        context = client.get("/").context
        levels = ["pubblico", "interno", "riservato"] if r.riservato else ["pubblico", "interno"]
        assert (
            context["organisations"]
            == Organisation.objects.filter(confidentiality__in=levels).count()
        )
        assert context["people"] == Person.objects.filter(confidentiality__in=levels).count()
        kinds = dict(context["by_kind"])
        # The only consulate is the riservato one: the facet does not count it for others.
        assert ("Consolato onorario" in kinds) == r.riservato, r.key
        # Countries: the riservato consulate is the only German organisation.
        assert context["countries"] == (4 if r.riservato else 3), r.key


def test_home_lists_no_change_to_a_record_the_user_no_longer_sees(
    world: World, other_ente: Any
) -> None:
    """A user's own past changes are listed on the home page only while they may see the record:
    moved to another ente, they no longer read the old ente's agreement there."""
    from ponti.core.audit import acting_as

    reader = next(r for r in world.readers if r.key == "fi-ufficio")
    with acting_as(reader.user):
        world.agr_fi.title = "Patto di Ardenza rinnovato"
        world.agr_fi.save()
    client = Client()
    client.force_login(reader.user)
    assert "Patto di Ardenza rinnovato" in client.get("/").content.decode()
    from ponti.accounts.services import place_in_ente

    reader.user.memberships.all().delete()
    place_in_ente(reader.user, other_ente, "ufficio")
    assert "Patto di Ardenza rinnovato" not in client.get("/").content.decode()


def test_a_riservato_duplicate_merged_away_stays_hidden(
    personas: dict[str, Any], make_org: Callable[..., Any]
) -> None:
    """Its names move to the surviving organisation, which becomes riservato too: neither a
    search nor the page's «merged duplicates» shows them to a reader without clearance."""
    from ponti.partners import services
    from ponti.partners.models import Organisation

    target = make_org(name="Comune di Bruges")
    source = make_org(name="Stad Brugge Vortexmarker", confidentiality="riservato")
    services.set_other_names(source, {"nl": "Brugge Vortexmarker"}, user=personas["ufficio"])
    client = Client()
    client.force_login(personas["ufficio"])
    response = client.post(
        f"/partner/{source.pk}/unisci/", {"target": target.pk, "confirm": "on"}, follow=True
    )
    assert "ora «Riservato», come il duplicato" in response.content.decode()
    target.refresh_from_db()
    assert target.confidentiality == "riservato"
    assert Organisation.objects.search("vortexmarker", reader=personas["ufficio"]).get() == target
    for role in ("revisore", "responsabile"):
        reader = Client()
        reader.force_login(personas[role])
        assert "Vortexmarker" not in reader.get("/partner/?q=vortexmarker").content.decode()
        assert reader.get(f"/partner/{target.pk}/").status_code == 404
