"""Two writers on each editable kind: the second save made on old values is refused, never
silently written over the first (issue "Trust", lost updates).

- Through the API, for every kind with a PATCH or PUT: the stale write is a 409 naming the
  current version; the first write stays; a retry with that version keeps both changes.
- Through the pages of the kinds versioned last: the conflict box, and what was typed kept.
- On PostgreSQL, real concurrency: writers in threads with the same version read, one wins.
- The OpenAPI document: every PATCH and PUT takes a `version` and declares its 409.
"""

from __future__ import annotations

import datetime
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from tests.api.helpers import token_client
from tests.security.builders import OVERRIDES, build


@dataclass(frozen=True)
class Kind:
    label: str  # app_label.model
    path: str  # the API path of one record, with {pk}
    first: dict[str, Any]  # what the first writer changes
    second: dict[str, Any]  # what the second writer changes, from the same version
    given: Callable[[Any, Any], dict[str, Any]] = lambda ente, people: {}
    writer: str = "ufficio"
    method: str = "patch"


def _network(ente: Any, people: Any) -> dict[str, Any]:
    return {"network": build(apps.get_model("partners.organisation"), ente=ente, kind="network")}


def _owner(ente: Any, people: Any) -> dict[str, Any]:
    return {"owner": people["ufficio"]}


def _meeting(ente: Any, people: Any) -> dict[str, Any]:
    return {"starts_at": datetime.datetime(2026, 5, 4, 10, tzinfo=datetime.UTC)}


def _action(ente: Any, people: Any) -> dict[str, Any]:
    return {**OVERRIDES["meetings.followupaction"](ente), **_owner(ente, people)}


def _objective(ente: Any, people: Any) -> dict[str, Any]:
    objective = build(apps.get_model("planning.objective"), ente=ente, confidentiality="interno")
    return {"objective": objective}


def _line(ente: Any, people: Any) -> dict[str, Any]:
    code = apps.get_model("planning.budgetcode").objects.get
    return {
        "side": "spesa",
        "titolo": code(level="titolo", side="spesa", code="1"),
        "category": code(level="macroaggregato", side="spesa", code="103"),
        "programma": code(level="programma", side="spesa", code="1901"),
    }


# fmt: off
KINDS = [
    Kind("partners.organisation", "/organisations/{pk}", {"city": "Kyōto"},
         {"website": "https://kyoto.jp"}, lambda e, p: {"country": "JP"}),
    Kind("partners.person", "/people/{pk}", {"title": "Sindaco"}, {"notes": "Parla italiano"},
         lambda e, p: {"phone": "", "mobile": ""}),
    Kind("partners.position", "/positions/{pk}", {"role": "Console"}, {"end_date": "2030-01-01"}),
    Kind("agreements.agreement", "/agreements/{pk}", {"title": "Gemellaggio"},
         {"description": "Dal 1965"}),
    Kind("agreements.commitment", "/commitments/{pk}", {"description": "Scambio di studenti"},
         {"due_date": "2027-03-31"}, _owner),
    Kind("networks.membership", "/memberships/{pk}", {"notes": "Quota ridotta"},
         {"status": "sospesa"}, _network),
    Kind("networks.membershiprole", "/membership-roles/{pk}", {"detail": "Rieletta"},
         {"end_year": 2026}),
    Kind("networks.workinggroup", "/working-groups/{pk}", {"name": "Mobility Forum"},
         {"notes": "Due incontri l'anno"}),
    Kind("networks.fee", "/fees/{pk}", {"notes": "Fattura 12"}, {"amount": "2500.00"}),
    Kind("networks.networkmember", "/network-members/{pk}", {"source": "eurocities.eu"},
         {"since_year": 1991}, _network),
    Kind("meetings.meeting", "/meetings/{pk}", {"place": "Palazzo Medici Riccardi"},
         {"topics": "Turismo"}, _meeting),
    Kind("meetings.visitrequest", "/visit-requests/{pk}", {"languages": "en, ja"},
         {"special_needs": "Con interprete"}),
    Kind("meetings.followupaction", "/actions/{pk}", {"description": "Mandare il catalogo"},
         {"due_date": "2027-01-15"}, _action),
    Kind("meetings.gift", "/gifts/{pk}", {"kept_at": "Sala d'armi"}, {"description": "Vaso"}),
    Kind("planning.objective", "/objectives/{pk}", {"title": "Reti internazionali"},
         {"description": "DUP 2026"}, writer="responsabile"),
    Kind("planning.indicator", "/indicators/{pk}", {"name": "Accordi firmati"},
         {"unit": "numero"}, _objective, writer="responsabile"),
    Kind("planning.budgetline", "/budget-lines/{pk}", {"description": "Quote associative"},
         {"number": "1451"}, _line, writer="responsabile"),
    Kind("accounts.user", "/users/{pk}", {"first_name": "Giulia"}, {"last_name": "Rossi"},
         lambda e, p: {"username": f"utente{e.pk}x"}, writer="amministratore"),
    Kind("core.ente", "/enti/{pk}", {"city": "Firenze"}, {"short_name": "CM Firenze"},
         writer="amministratore"),
]
# fmt: on


def _record(kind: Kind, ente: Any, people: Any) -> Any:
    model = apps.get_model(kind.label)
    if kind.label == "core.ente":
        return ente
    given = kind.given(ente, people)
    if "confidentiality" in {f.name for f in model._meta.fields}:
        given["confidentiality"] = "interno"
    if kind.label == "accounts.user":
        from ponti.accounts.services import place_in_ente

        user = build(model, ente=ente, **given)
        place_in_ente(user, ente, "segreteria")
        return user
    return build(model, ente=ente, **given)


@pytest.mark.parametrize("kind", KINDS, ids=[k.label for k in KINDS])
def test_a_stale_api_write_is_refused_and_the_first_one_stays(
    kind: Kind, personas: Any, ente: Any
) -> None:
    record = _record(kind, ente, personas)
    path = kind.path.format(pk=record.pk)
    read = record.version
    one, two = token_client(personas[kind.writer]), token_client(personas[kind.writer])

    first = getattr(one, kind.method)(path, {"version": read, **kind.first})
    assert first.status_code == 200, (kind.label, first.json())
    stale = getattr(two, kind.method)(path, {"version": read, **kind.second})
    assert stale.status_code == 409, (kind.label, stale.status_code, stale.json())
    current = stale.json()["current_version"]
    assert current == read + 1

    record.refresh_from_db()
    for field, value in kind.first.items():
        assert str(getattr(record, field)) == str(value), (kind.label, field)

    retry = getattr(two, kind.method)(path, {"version": current, **kind.second})
    assert retry.status_code == 200, (kind.label, retry.json())
    record.refresh_from_db()
    for field, value in {**kind.first, **kind.second}.items():
        stored = getattr(record, field)
        expected = Decimal(value) if isinstance(stored, Decimal) else value
        assert str(stored) == str(expected), (kind.label, field)


def test_every_patch_and_put_takes_a_version_and_declares_its_409() -> None:
    from ponti.api import api

    doc = api.get_openapi_schema()
    schemas = doc["components"]["schemas"]
    # A place (role and clearance in an ente) is always set whole: there is no part to lose.
    whole = {("put", "/api/v1/users/{user_id}/places/{ente_id}")}
    seen = 0
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            if method not in {"put", "patch"} or (method, path) in whole:
                continue
            seen += 1
            body = operation["requestBody"]["content"]["application/json"]["schema"]
            properties = schemas[body["$ref"].rsplit("/", 1)[-1]]["properties"]
            schema = schemas[body["$ref"].rsplit("/", 1)[-1]]
            assert "version" in properties, f"{method} {path}"
            # A year's amounts or values may be created without one: required once they exist.
            if not path.endswith("/{year}"):
                assert "version" in schema.get("required", []), f"{method} {path}"
            assert "409" in operation["responses"], f"{method} {path}"
    assert seen >= len(KINDS)


# --- pages -----------------------------------------------------------------------------------


def _post_stale(client: Any, url: str, data: dict[str, Any]) -> str:
    response = client.post(url, data)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_a_stale_action_form_shows_the_conflict_and_keeps_what_was_typed(
    client: Any, personas: Any, ente: Any
) -> None:
    action = _record(Kind("meetings.followupaction", "", {}, {}, _action), ente, personas)
    action.owner = personas["ufficio"]
    action.save()
    url = f"/incontri/azioni/{action.pk}/"
    form = {
        "description": "Mandare il catalogo della mostra",
        "owner": personas["ufficio"].pk,
        "due_date": "",
        "status": "aperta",
        "version": action.version,
    }
    client.force_login(personas["consigliere"])
    saved = client.post(url, {**form, "description": "Mandare il catalogo"})
    assert saved.status_code == 302, re.findall(
        r"invalid-feedback[^<]*<[^<]*", saved.content.decode()
    )
    client.force_login(personas["ufficio"])
    page = _post_stale(client, url, {**form, "due_date": "15/01/2027"})
    box = page[page.index('id="conflict"') : page.index("</div>", page.index('id="conflict"'))]
    assert "consigliere" in box and "Mandare il catalogo" in box
    assert 'value="15/01/2027"' in page  # nothing typed is lost
    assert f'name="version" value="{action.version + 1}"' in page  # saving again is a choice
    action.refresh_from_db()
    assert action.description == "Mandare il catalogo" and action.due_date is None


def test_a_stale_commitment_form_is_refused(client: Any, personas: Any, ente: Any) -> None:
    commitment = _record(Kind("agreements.commitment", "", {}, {}, _owner), ente, personas)
    commitment.owner = personas["ufficio"]
    commitment.save()
    url = f"/accordi/{commitment.agreement_id}/impegni/{commitment.pk}/"
    form = {
        "description": commitment.description,
        "owner": personas["ufficio"].pk,
        "status": commitment.status,
        "version": commitment.version,
    }
    client.force_login(personas["ufficio"])
    assert client.post(url, {**form, "description": "Primo"}).status_code == 302
    page = _post_stale(client, url, {**form, "description": "Secondo"})
    assert 'id="conflict"' in page and "Secondo" in page
    commitment.refresh_from_db()
    assert commitment.description == "Primo"


def test_stale_indicator_values_are_refused(client: Any, personas: Any, ente: Any) -> None:
    indicator = _record(Kind("planning.indicator", "", {}, {}, _objective), ente, personas)
    year = indicator.objective.years[0]
    url = f"/programmazione/indicatori/{indicator.pk}/valori/"
    client.force_login(personas["responsabile"])
    form = {"version": indicator.version, f"target_{year}": "10"}
    assert client.post(url, form).status_code == 302
    page = _post_stale(client, url, {**form, f"target_{year}": "12"})
    assert 'id="conflict"' in page and 'value="12"' in page
    assert indicator.values.get(year=year).target == 10


def test_stale_indicator_values_are_refused_through_the_api(personas: Any, ente: Any) -> None:
    indicator = _record(Kind("planning.indicator", "", {}, {}, _objective), ente, personas)
    year = indicator.objective.years[0]
    api = token_client(personas["responsabile"])
    path = f"/indicators/{indicator.pk}/values/{year}"
    # A year without values may be written without a version: still a new version.
    assert api.put(path, {"target": 10}).status_code == 200
    indicator.refresh_from_db()
    assert indicator.version == 2
    assert api.put(path, {"version": 1, "target": 12}).status_code == 409
    # Once the year has values, a write must say which version it was made from.
    blind = api.put(path, {"target": 12})
    assert blind.status_code == 422 and "version" in blind.json()["errors"]
    assert indicator.values.get(year=year).target == 10
    assert api.put(path, {"version": 2, "target": 12}).status_code == 200


def test_saving_unchanged_indicator_values_is_not_a_new_version(
    client: Any, personas: Any, ente: Any
) -> None:
    indicator = _record(Kind("planning.indicator", "", {}, {}, _objective), ente, personas)
    client.force_login(personas["responsabile"])
    url = f"/programmazione/indicatori/{indicator.pk}/valori/"
    assert client.post(url, {"version": indicator.version}).status_code == 302
    indicator.refresh_from_db()
    assert indicator.version == 1


def test_a_conflict_names_only_the_records_own_changes(personas: Any, ente: Any) -> None:
    """An organisation's conflict lists its own changes, never those of a gift or a position
    under it (they have versions of their own, and may be another ente's or riservato)."""
    from ponti.meetings import services as meetings
    from ponti.meetings.models import Gift
    from ponti.partners import services as partners
    from ponti.partners.models import Organisation

    org = _record(KINDS[0], ente, personas)
    gift = build(Gift, ente=ente, counterpart=org, confidentiality="riservato")
    for text in ("Vaso", "Vaso antico", "Vaso antico Zqsegreto"):
        gift.description = text
        meetings.save_gift(gift, user=personas["ufficio"])
    api = token_client(personas["ufficio"])
    assert api.patch(f"/organisations/{org.pk}", {"version": 1, "city": "Kyōto"}).status_code == 200
    stale = api.patch(f"/organisations/{org.pk}", {"version": 1, "city": "Osaka"})
    assert stale.status_code == 409
    changes = stale.json()["changes"]
    assert len(changes) == 1 and "Zqsegreto" not in str(changes)
    assert Organisation.objects.get(pk=org.pk).city == "Kyōto"
    del partners


def test_an_operators_admin_save_is_a_new_version(
    client: Any, personas: Any, ente: Any, make_user: Any
) -> None:
    from ponti.accounts.models import User

    action = _record(Kind("meetings.followupaction", "", {}, {}, _action), ente, personas)
    root = User.objects.create_superuser("operatore", "op@example.org", "x" * 16)
    client.force_login(root)
    url = f"/admin/meetings/followupaction/{action.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data |= {"description": "Cambiata dall'operatore", "owner": personas["ufficio"].pk}
    data |= {"ente": ente.pk, "meeting": action.meeting_id}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    action.refresh_from_db()
    assert action.version == 2 and action.description == "Cambiata dall'operatore"


# --- real concurrency ------------------------------------------------------------------------


def _nothing(ente: Any, people: Any) -> dict[str, Any]:
    return {}


GIVEN = {
    "meetings.followupaction": _action,
    "agreements.commitment": _owner,
    "networks.networkmember": _network,
}
CONCURRENT = [  # (model, field written, the app's service that saves it)
    ("meetings.gift", "kept_at", "ponti.meetings.services.save_gift"),
    ("meetings.followupaction", "description", "ponti.meetings.services.save_action"),
    ("networks.fee", "notes", "ponti.networks.services.save_fee"),
    ("agreements.commitment", "description", "ponti.agreements.services.save_commitment"),
    ("partners.position", "role", "ponti.partners.services.save_position"),
    ("networks.membershiprole", "detail", "ponti.networks.services.save_role"),
    ("networks.workinggroup", "notes", "ponti.networks.services.save_working_group"),
    ("networks.networkmember", "source", "ponti.networks.services.save_network_member"),
]


@pytest.mark.skipif(
    "postgres" not in __import__("os").environ.get("DATABASE_URL", ""),
    reason="real concurrent writers need PostgreSQL's row locks (CI runs the suite on both)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("label", "field", "service"), CONCURRENT)
def test_concurrent_writers_never_lose_an_update(
    label: str, field: str, service: str, make_user: Any
) -> None:
    from ponti.core.models import Ente
    from tests.conftest import restore_migration_data

    restore_migration_data()  # a transactional test before this one may have flushed them
    ente = Ente.objects.get(slug="cm-firenze")
    user = make_user("ufficio")
    people = {"ufficio": user}
    model = apps.get_model(label)
    rounds, writers = 10, 4
    lost = 0
    for n in range(rounds):
        record = _record(Kind(label, "", {}, {}, GIVEN.get(label, _nothing)), ente, people)
        read = record.version
        won = _race(model, record.pk, read, field, f"giro {n}", user, writers, _service(service))
        record.refresh_from_db()
        assert len(won) == 1, (label, won)
        lost += getattr(record, field) != won[0]
        assert record.version == read + 1
    assert lost == 0


def _service(dotted: str) -> Any:
    import importlib

    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def _race(
    model: Any, pk: int, version: int, field: str, tag: str, user: Any, writers: int, save: Any
) -> list[str]:
    """`writers` threads read the record at `version`, wait for each other, then save with
    the app's service: the values of the saves that succeeded."""
    from ponti.core.services import ConflictError

    barrier = threading.Barrier(writers)
    won: list[str] = []

    def write(i: int) -> None:
        try:
            copy = model._default_manager.get(pk=pk)
            setattr(copy, field, f"scrittore {i} {tag}")
            barrier.wait()
            save(copy, user=user, expected_version=version)
            won.append(getattr(copy, field))
        except ConflictError:
            pass
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return won
