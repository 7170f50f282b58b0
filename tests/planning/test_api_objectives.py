"""The planning API's objectives: CRUD, permissions, other enti, stale versions, totals, history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ponti.planning.models import Objective
from tests.api.helpers import Api, token_client


@pytest.fixture
def api_as(personas: dict[str, Any]) -> Any:
    return lambda role: token_client(personas[role])


@pytest.fixture
def api(api_as: Any) -> Api:
    return api_as("responsabile")


def activity(parent: Objective, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "level": "attivita",
        "parent_id": parent.pk,
        "title": "Gemellaggio con Kyoto",
        "start_year": 2022,
        "end_year": 2024,
        "missione_code": "19",
        "programma_code": "1901",
    }
    data.update(changes)
    return data


def test_the_responsabile_creates_reads_changes_and_deletes_an_objective(api, seed):
    op = seed["operational"]
    created = api.post("/objectives", activity(op, responsible_name="Maria Rossi"))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["level"] == "attivita" and body["parent_id"] == op.pk
    assert body["programma_code"] == "1901" and body["missione_code"] == "19"
    assert body["responsible"] == "Maria Rossi" and body["years"] == [2022, 2023, 2024]
    assert [a["code"] for a in body["ancestors"]] == ["", "", "1901/0159"]

    detail = api.get(f"/objectives/{body['id']}").json()
    assert detail["title"] == "Gemellaggio con Kyoto" and detail["version"] == 1

    patched = api.patch(f"/objectives/{body['id']}", {"version": 1, "title": "Gemellaggio Kyoto"})
    assert patched.status_code == 200 and patched.json()["version"] == 2
    replaced = api.put(f"/objectives/{body['id']}", {**activity(op, title="Patto"), "version": 2})
    assert replaced.status_code == 200 and replaced.json()["title"] == "Patto"
    assert replaced.json()["version"] == 3

    assert api.delete(f"/objectives/{body['id']}").status_code == 204
    assert not Objective.objects.filter(pk=body["id"]).exists()


def test_the_detail_lists_ancestors_children_and_the_codes(api, seed):
    detail = api.get(f"/objectives/{seed['strategic'].pk}").json()
    assert detail["responsible"] == "Cristiano Maggipinto"
    assert detail["missione_code"] == "19" and detail["missione_name"]
    assert [c["code"] for c in detail["children"]] == ["1901/0159"]
    assert [a["level"] for a in detail["ancestors"]] == ["indirizzo"]


def test_the_list_filters_by_level_parent_and_code(api, seed):
    op = seed["operational"]
    by_level = api.get("/objectives", {"level": "operativo"}).json()
    assert [o["code"] for o in by_level["items"]] == ["1901/0159"] and by_level["count"] == 1
    by_parent = api.get("/objectives", {"parent_id": seed["indirizzo"].pk}).json()
    assert [o["id"] for o in by_parent["items"]] == [seed["strategic"].pk]
    by_code = api.get("/objectives", {"code": "1901/0159"}).json()
    assert [o["id"] for o in by_code["items"]] == [op.pk]


@pytest.mark.parametrize("role", ["revisore", "ufficio", "consigliere", "segreteria"])
def test_it_refuses_writes_to_roles_that_only_read(api_as, seed, role):
    client = api_as(role)
    op = seed["operational"]
    assert client.get(f"/objectives/{op.pk}").status_code == 200
    assert client.post("/objectives", activity(op)).status_code == 403
    assert client.patch(f"/objectives/{op.pk}", {"version": 1, "title": "X"}).status_code == 403
    assert client.delete(f"/objectives/{op.pk}").status_code == 403
    assert Objective.objects.get(pk=op.pk).title == "LA CITTÀ METROPOLITANA NEL MONDO"


def test_an_objective_of_another_ente_is_not_found(api, seed, other_ente):
    foreign = Objective.objects.create(
        ente=other_ente,
        level="strategico",
        title="Prato nel mondo",
        start_year=2022,
        end_year=2024,
    )
    assert api.get(f"/objectives/{foreign.pk}").status_code == 404
    assert api.patch(f"/objectives/{foreign.pk}", {"version": 1, "title": "X"}).status_code == 404
    assert api.delete(f"/objectives/{foreign.pk}").status_code == 404
    assert foreign.pk not in [o["id"] for o in api.get("/objectives").json()["items"]]
    # Nor may one hang a node under it.
    response = api.post("/objectives", activity(foreign))
    assert response.status_code == 422 and "parent_id" in response.json()["errors"]


def test_an_objective_above_the_clearance_is_not_found(api, seed, ente):
    secret = Objective.objects.create(
        ente=ente,
        level="strategico",
        title="Riservato",
        start_year=2022,
        end_year=2024,
        confidentiality="riservato",
    )
    assert api.get(f"/objectives/{secret.pk}").status_code == 404


def test_a_stale_version_is_a_conflict(api, seed):
    op = seed["operational"]
    assert api.patch(f"/objectives/{op.pk}", {"version": 1, "title": "Prima"}).status_code == 200
    stale = api.patch(f"/objectives/{op.pk}", {"version": 1, "title": "Seconda"})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert Objective.objects.get(pk=op.pk).title == "Prima"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_year": 2020, "start_year": 2022}, "end_year"),
        ({"programma_code": "9999"}, "programma_code"),
        ({"missione_code": "1901"}, "missione_code"),
        ({"title": "   "}, "title"),
        ({"start_year": 1999}, "start_year"),
        ({"level": "operativo"}, "parent_id"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_it_refuses_bad_objectives_naming_the_field(api, seed, changes, field):
    response = api.post("/objectives", activity(seed["operational"], **changes))
    assert response.status_code == 422, response.json()
    assert field in response.json()["errors"]
    assert Objective.objects.count() == 3


def test_deleting_an_objective_with_children_or_lines_is_refused_clearly(api, seed, make_line):
    response = api.delete(f"/objectives/{seed['strategic'].pk}")
    assert response.status_code == 409 and "obiettivi sottostanti" in response.json()["detail"]
    op = seed["operational"]
    make_line("1450", objective=op)
    response = api.delete(f"/objectives/{op.pk}")
    assert response.status_code == 409 and "capitoli" in response.json()["detail"]
    assert Objective.objects.filter(pk=op.pk).exists()


def test_totals_equal_the_sum_of_the_amounts_and_follow_an_impegno(api, seed_budget):
    op = seed_budget["operational"]
    totals = api.get(f"/objectives/{op.pk}/totals").json()
    assert totals["years"] == [2022, 2023, 2024] and totals["example"] is False
    spesa = {row["year"]: row for row in totals["spesa"]}
    entrata = {row["year"]: row for row in totals["entrata"]}
    # By hand: 1450 (20000 / 18500 / 18500) + 1451 (5000 / 4200.50) in 2022.
    assert spesa[2022] == {
        "year": 2022,
        "initial": "25000.00",
        "forecast": "25000.00",
        "committed": "22700.50",
        "cashed": "18500.00",
        "movements": "0.00",
    }
    assert spesa[2024]["initial"] == "22000.00" and spesa[2024]["committed"] == "0.00"
    assert entrata[2023]["committed"] == "12500.25" and entrata[2024]["initial"] == "0.00"

    line = seed_budget["missions"]
    amount = line.amounts.get(year=2022)
    response = api.put(
        f"/budget-lines/{line.pk}/amounts/2022",
        {"version": amount.version, "initial": "5000", "committed": "4800.25"},
    )
    assert response.status_code == 200, response.json()
    spesa = {row["year"]: row for row in api.get(f"/objectives/{op.pk}/totals").json()["spesa"]}
    assert spesa[2022]["committed"] == str(Decimal("18500.00") + Decimal("4800.25"))


def test_totals_say_when_amounts_are_examples(api, seed, make_line):
    make_line("1450", objective=seed["operational"], example=True, amounts={2022: ("100",)})
    totals = api.get(f"/objectives/{seed['strategic'].pk}/totals").json()
    assert totals["example"] is True
    assert {r["year"]: r["initial"] for r in totals["spesa"]}[2022] == "100.00"


def test_the_history_lists_the_changes_made_through_the_api(api, seed):
    op = seed["operational"]
    api.patch(f"/objectives/{op.pk}", {"version": 1, "title": "Nuovo titolo"})
    history = api.get(f"/objectives/{op.pk}/history").json()
    assert history["count"] >= 1
    event = history["items"][0]
    assert event["actor"] == "responsabile" and event["action"] == "update"
    assert "title" in event["changes"]


def test_a_replacement_may_not_move_an_objective_to_another_ente(api, seed, other_ente):
    op = seed["operational"]
    payload = {**activity(seed["strategic"], level="operativo"), "version": 1}
    response = api.put(f"/objectives/{op.pk}", {**payload, "ente_id": other_ente.pk})
    assert response.status_code == 422 and "ente_id" in response.json()["errors"]
    assert Objective.objects.get(pk=op.pk).ente_id != other_ente.pk


def test_control_characters_no_document_can_hold_are_refused(api, seed):
    response = api.post("/objectives", activity(seed["operational"], title="Patto\x0bKyoto"))
    assert response.status_code == 422 and "title" in response.json()["errors"]


def test_a_user_of_several_enti_names_the_ente(make_user, ente, other_ente, seed):
    client = token_client(make_user("responsabile", username="doppio", enti=[ente, other_ente]))
    payload = {"level": "strategico", "title": "Europa", "start_year": 2022, "end_year": 2024}
    response = client.post("/objectives", payload)
    assert response.status_code == 422 and "ente_id" in response.json()["errors"]
    created = client.post("/objectives", {**payload, "ente_id": other_ente.pk})
    assert created.status_code == 201 and created.json()["ente_id"] == other_ente.pk
