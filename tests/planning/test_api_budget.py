"""The planning API's budget: classification, budget lines, amounts (money rules) and movements."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ponti.planning.models import BudgetAmount, BudgetLine, Movement
from tests.api.helpers import Api, token_client


@pytest.fixture
def api_as(personas: dict[str, Any]) -> Any:
    return lambda role: token_client(personas[role])


@pytest.fixture
def api(api_as: Any) -> Api:
    return api_as("responsabile")


def line_payload(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": "1500",
        "description": "Missioni all'estero",
        "side": "spesa",
        "titolo_code": "1",
        "category_code": "103",
        "programma_code": "1901",
    }
    data.update(changes)
    return data


def test_the_classification_is_listed_and_filtered(api, db):
    tipologie = api.get("/budget-codes", {"level": "tipologia"}).json()
    assert "20105" in [c["code"] for c in tipologie]
    assert {c["side"] for c in tipologie} == {"entrata"}
    programmi = api.get("/budget-codes", {"level": "programma", "side": "spesa"}).json()
    assert any(c["code"] == "1901" and c["parent_code"] == "19" for c in programmi)


def test_the_responsabile_creates_changes_and_deletes_a_line(api, seed):
    op = seed["operational"]
    created = api.post("/budget-lines", line_payload(objective_id=op.pk))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["objective_code"] == "1901/0159" and body["programma_code"] == "1901"
    assert body["category_code"] == "103" and body["side_label"] == "Spesa"
    listed = api.get("/budget-lines", {"objective_id": op.pk, "side": "spesa"}).json()
    assert [i["id"] for i in listed["items"]] == [body["id"]]
    patched = api.patch(f"/budget-lines/{body['id']}", {"version": 1, "description": "Viaggi"})
    assert patched.status_code == 200 and patched.json()["description"] == "Viaggi"
    stale = api.patch(f"/budget-lines/{body['id']}", {"version": 1, "description": "Altro"})
    assert stale.status_code == 409
    assert api.delete(f"/budget-lines/{body['id']}").status_code == 204
    assert not BudgetLine.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"titolo_code": "9"}, "titolo_code"),
        ({"category_code": "20105"}, "category_code"),
        ({"side": "entrata", "titolo_code": "2", "category_code": "20105"}, "programma_code"),
        ({"number": ""}, "number"),
        ({"side": "altro"}, "side"),
    ],
)
def test_it_refuses_bad_lines_naming_the_field(api, seed, changes, field):
    response = api.post("/budget-lines", line_payload(**changes))
    assert response.status_code == 422, response.json()
    assert field in response.json()["errors"]
    assert not BudgetLine.objects.exists()


def test_a_line_may_not_point_to_an_objective_of_another_ente(api, seed, other_ente):
    from ponti.planning.models import Objective

    foreign = Objective.objects.create(
        ente=other_ente, level="strategico", title="Prato", start_year=2022, end_year=2024
    )
    response = api.post("/budget-lines", line_payload(objective_id=foreign.pk))
    assert response.status_code == 422 and "objective_id" in response.json()["errors"]


@pytest.mark.parametrize("role", ["revisore", "ufficio"])
def test_it_refuses_budget_writes_to_roles_that_only_read(api_as, seed_budget, role):
    client = api_as(role)
    line = seed_budget["fees"]
    assert client.get(f"/budget-lines/{line.pk}/amounts").status_code == 200
    assert client.post("/budget-lines", line_payload()).status_code == 403
    assert (
        client.patch(f"/budget-lines/{line.pk}", {"version": 1, "description": "X"}).status_code
        == 403
    )
    assert client.delete(f"/budget-lines/{line.pk}").status_code == 403
    assert client.put(f"/budget-lines/{line.pk}/amounts/2024", {"initial": 1}).status_code == 403
    amount = line.amounts.get(year=2022)
    assert (
        client.put(
            f"/budget-lines/{line.pk}/amounts/2022", {"version": amount.version, "initial": 1}
        ).status_code
        == 403
    )
    movement = {"line_id": line.pk, "year": 2022, "amount": "10", "description": "Quota"}
    assert client.post("/movements", movement).status_code == 403
    assert BudgetAmount.objects.get(pk=amount.pk).initial == Decimal("20000.00")
    assert not Movement.objects.exists()


def test_a_line_of_another_ente_is_not_found(api, seed, other_ente, make_line):
    foreign = make_line("900", ente=other_ente)
    assert api.get(f"/budget-lines/{foreign.pk}").status_code == 404
    assert api.get(f"/budget-lines/{foreign.pk}/amounts").status_code == 404
    assert api.put(f"/budget-lines/{foreign.pk}/amounts/2023", {"initial": 1}).status_code == 404
    response = api.post(
        "/movements", {"line_id": foreign.pk, "year": 2023, "amount": 5, "description": "X"}
    )
    assert response.status_code == 404
    assert not Movement.objects.exists() and not BudgetAmount.objects.exists()


def test_a_json_number_is_read_as_its_decimal_never_through_float(api, seed_budget):
    line = seed_budget["missions"]  # amounts for 2022 and 2023 only
    created = api.put(
        f"/budget-lines/{line.pk}/amounts/2024",
        {"initial": 0.1, "committed": "0.1", "cashed": 0.07},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["initial"], body["committed"], body["cashed"]) == ("0.10", "0.10", "0.07")
    saved = BudgetAmount.objects.get(line=line, year=2024)
    assert (saved.initial, saved.cashed) == (Decimal("0.10"), Decimal("0.07"))
    years = [a["year"] for a in api.get(f"/budget-lines/{line.pk}/amounts").json()]
    assert years == [2022, 2023, 2024]


def test_a_new_year_is_201_and_an_update_needs_the_version(api, seed, make_line):
    line = make_line("1460", objective=seed["operational"])
    created = api.put(f"/budget-lines/{line.pk}/amounts/2023", {"initial": 1234.56})
    assert created.status_code == 201 and created.json()["initial"] == "1234.56"
    assert created.json()["forecast"] == "1234.56" and created.json()["revised"] is None
    no_version = api.put(f"/budget-lines/{line.pk}/amounts/2023", {"initial": 10})
    assert no_version.status_code == 422 and "version" in no_version.json()["errors"]
    updated = api.put(
        f"/budget-lines/{line.pk}/amounts/2023", {"version": 1, "initial": 10, "revised": "20.5"}
    )
    assert updated.status_code == 200 and updated.json()["forecast"] == "20.50"
    stale = api.put(f"/budget-lines/{line.pk}/amounts/2023", {"version": 1, "initial": 99})
    assert stale.status_code == 409
    assert BudgetAmount.objects.get(line=line, year=2023).initial == Decimal("10.00")


def test_an_impegno_over_the_previsione_is_saved_with_a_visible_warning(api, seed, make_line):
    line = make_line("1470", objective=seed["operational"])
    response = api.put(
        f"/budget-lines/{line.pk}/amounts/2022", {"initial": "100", "committed": "150"}
    )
    assert response.status_code == 201
    assert any("supera la previsione" in w for w in response.json()["warnings"])
    listed = api.get(f"/budget-lines/{line.pk}/amounts").json()
    assert listed[0]["warnings"] and listed[0]["committed"] == "150.00"


@pytest.mark.parametrize(
    ("figures", "field"),
    [
        ({"initial": "abc"}, "initial"),
        ({"initial": "1.234"}, "initial"),
        ({"initial": 1.234}, "initial"),
        ({"initial": -1}, "initial"),
        ({"initial": "-5.00"}, "initial"),
        ({"revised": -0.5}, "revised"),
        ({"committed": "NaN"}, "committed"),
        ({"committed": "Infinity"}, "committed"),
        ({"cashed": True}, "cashed"),
        ({"cashed": [1]}, "cashed"),
        ({"initial": "1e3"}, "initial"),
        ({"initial": 10**13}, "initial"),
    ],
)
def test_it_refuses_bad_amounts_naming_the_field(api, seed, make_line, figures, field):
    line = make_line("1480", objective=seed["operational"])
    response = api.put(f"/budget-lines/{line.pk}/amounts/2022", figures)
    assert response.status_code == 422, response.json()
    assert field in response.json()["errors"]
    assert not BudgetAmount.objects.exists()


def test_nan_as_a_json_number_is_refused(api, seed, make_line):
    line = make_line("1480", objective=seed["operational"])
    response = api.put(f"/budget-lines/{line.pk}/amounts/2022", '{"initial": NaN}')
    assert response.status_code in (400, 422)
    assert not BudgetAmount.objects.exists()


def test_a_year_outside_the_objective_horizon_is_refused(api, seed, make_line):
    line = make_line("1490", objective=seed["operational"])
    response = api.put(f"/budget-lines/{line.pk}/amounts/2030", {"initial": 1})
    assert response.status_code == 422 and "year" in response.json()["errors"]
    movement = api.post(
        "/movements", {"line_id": line.pk, "year": 2030, "amount": 5, "description": "X"}
    )
    assert movement.status_code == 422 and "year" in movement.json()["errors"]
    assert not BudgetAmount.objects.exists() and not Movement.objects.exists()


def test_manual_movements_are_added_listed_and_deleted(api, seed_budget):
    line = seed_budget["fees"]
    created = api.post(
        "/movements",
        {
            "line_id": line.pk,
            "year": 2023,
            "kind": "committed",
            "amount": "250.5",
            "day": "2023-03-01",
            "description": "Quota Eurocities",
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (
        body["amount"] == "250.50"
        and body["manual"] is True
        and body["recorded_by"] == "responsabile"
    )
    assert [
        m["id"] for m in api.get("/movements", {"line_id": line.pk, "year": 2023}).json()["items"]
    ] == [body["id"]]
    assert api.get("/movements", {"kind": "cashed"}).json()["count"] == 0
    assert api.get(f"/budget-lines/{line.pk}/movements").json()["count"] == 1
    totals = api.get(f"/objectives/{seed_budget['operational'].pk}/totals").json()
    assert {r["year"]: r["movements"] for r in totals["spesa"]}[2023] == "250.50"
    assert api.delete(f"/movements/{body['id']}").status_code == 204
    assert not Movement.objects.exists()


def test_a_movement_recorded_by_another_record_is_not_deleted_here(
    api, seed_budget, personas, make_org, ente
):
    from ponti.planning import services

    source = make_org(name="Eurocities")
    movement = services.record_movement(
        source=source,
        ente_id=ente.pk,
        line_id=seed_budget["fees"].pk,
        year=2023,
        amount=Decimal("100"),
        description="Quota",
        user=personas["responsabile"],
    )
    response = api.delete(f"/movements/{movement.pk}")
    assert response.status_code == 409 and "Eurocities" in response.json()["detail"]
    assert Movement.objects.filter(pk=movement.pk).exists()
    assert api.get(f"/movements/{movement.pk}").status_code == 405


def test_deleting_a_line_with_movements_is_refused(api, seed_budget):
    line = seed_budget["fees"]
    api.post("/movements", {"line_id": line.pk, "year": 2023, "amount": 1, "description": "X"})
    response = api.delete(f"/budget-lines/{line.pk}")
    assert response.status_code == 409 and "movimenti" in response.json()["detail"]
