"""The planning API's indicators: CRUD, targets and actuals per year, computed actuals, metrics."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ponti.planning.models import Indicator, IndicatorValue
from tests.api.helpers import Api, token_client


@pytest.fixture
def api_as(personas: dict[str, Any]) -> Any:
    return lambda role: token_client(personas[role])


@pytest.fixture
def api(api_as: Any) -> Api:
    return api_as("responsabile")


@pytest.fixture
def indicator(seed: dict[str, Any]) -> Indicator:
    return Indicator.objects.create(
        objective=seed["operational"], name="Accordi firmati", unit="numero"
    )


def test_the_metrics_are_listed(api, db):
    metrics = {m["code"]: m for m in api.get("/planning/metrics").json()}
    assert metrics["eu_funds_assessed"]["label"] == "Fondi UE accertati"
    assert (
        metrics["eu_funds_assessed"]["unit"] == "euro"
        and metrics["eu_funds_assessed"]["description"]
    )


def test_the_responsabile_creates_changes_and_deletes_an_indicator(api, seed):
    op = seed["operational"]
    created = api.post(
        f"/objectives/{op.pk}/indicators",
        {"name": "Delegazioni ricevute", "baseline": 3, "baseline_year": 2021},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["baseline"] == "3.00" and body["direction"] == "up" and body["metric"] == ""
    assert [y["year"] for y in body["years"]] == [2022, 2023, 2024]
    assert all(y["target"] is None and y["computed"] is False for y in body["years"])
    assert [i["id"] for i in api.get(f"/objectives/{op.pk}/indicators").json()] == [body["id"]]
    patched = api.patch(f"/indicators/{body['id']}", {"version": 1, "direction": "down"})
    assert patched.status_code == 200 and patched.json()["direction_label"] == "Meno è meglio"
    assert api.patch(f"/indicators/{body['id']}", {"version": 1, "name": "X"}).status_code == 409
    assert api.delete(f"/indicators/{body['id']}").status_code == 204
    assert not Indicator.objects.exists()


def test_a_target_and_an_actual_are_set_per_year(api, indicator):
    response = api.put(
        f"/indicators/{indicator.pk}/values/2023",
        {"target": 4, "actual": "5", "source": "Delibere 2023"},
    )
    assert response.status_code == 200, response.json()
    year = {y["year"]: y for y in response.json()["years"]}[2023]
    assert year == {
        "year": 2023,
        "target": "4.00",
        "actual": "5.00",
        "source": "Delibere 2023",
        "computed": False,
        "achieved": True,
    }
    detail = api.get(f"/indicators/{indicator.pk}").json()
    assert {y["year"]: y["achieved"] for y in detail["years"]} == {
        2022: None,
        2023: True,
        2024: None,
    }


@pytest.mark.parametrize(
    ("year", "values", "field"),
    [
        (2030, {"target": 1}, "year"),
        (2023, {"actual": 3}, "source"),
        (2023, {"target": "tre"}, "target"),
        (2023, {"target": 1.555}, "target"),
        (2023, {"target": -1}, "target"),
        (2023, {"extra": 1}, "extra"),
    ],
)
def test_it_refuses_bad_values_naming_the_field(api, indicator, year, values, field):
    response = api.put(f"/indicators/{indicator.pk}/values/{year}", values)
    assert response.status_code == 422, response.json()
    assert field in response.json()["errors"]
    assert not IndicatorValue.objects.exists()


def test_an_unknown_metric_is_refused(api, seed):
    response = api.post(
        f"/objectives/{seed['operational'].pk}/indicators", {"name": "X", "metric": "nope"}
    )
    assert response.status_code == 422 and "metric" in response.json()["errors"]


def test_a_computed_indicator_counts_the_eu_funds_assessed_by_hand(api, seed):
    op = seed["operational"]
    totals_by_hand = Decimal("0")
    for number, committed in (("201", "12000.50"), ("202", "7999.75")):
        line = api.post(
            "/budget-lines",
            {
                "number": number,
                "description": f"Fondi UE {number}",
                "side": "entrata",
                "titolo_code": "2",
                "category_code": "20105",
                "objective_id": op.pk,
            },
        )
        assert line.status_code == 201, line.json()
        amount = api.put(
            f"/budget-lines/{line.json()['id']}/amounts/2023",
            {"initial": "20000", "committed": committed},
        )
        assert amount.status_code == 201
        totals_by_hand += Decimal(committed)
    # A spending line and another year do not count.
    other = api.post(
        "/budget-lines",
        {
            "number": "1500",
            "description": "Spesa",
            "side": "spesa",
            "titolo_code": "1",
            "objective_id": op.pk,
        },
    ).json()
    api.put(f"/budget-lines/{other['id']}/amounts/2023", {"initial": 5, "committed": 5})

    created = api.post(
        f"/objectives/{op.pk}/indicators",
        {"name": "Fondi UE accertati", "unit": "euro", "metric": "eu_funds_assessed"},
    )
    assert created.status_code == 201, created.json()
    years = {y["year"]: y for y in created.json()["years"]}
    assert years[2023]["actual"] == str(totals_by_hand) == "20000.25"
    assert years[2023]["computed"] is True and "Fondi UE accertati" in years[2023]["source"]
    assert years[2022]["actual"] == "0.00"
    assert created.json()["metric_label"] == "Fondi UE accertati"

    target = api.put(f"/indicators/{created.json()['id']}/values/2023", {"target": 25000})
    assert {y["year"]: y["achieved"] for y in target.json()["years"]}[2023] is False
    refused = api.put(
        f"/indicators/{created.json()['id']}/values/2023",
        {"actual": 1, "source": "a mano", "version": 2},
    )
    assert refused.status_code == 422 and "actual" in refused.json()["errors"]


@pytest.mark.parametrize("role", ["revisore", "ufficio"])
def test_it_refuses_indicator_writes_to_roles_that_only_read(api_as, indicator, role):
    client = api_as(role)
    assert client.get(f"/indicators/{indicator.pk}").status_code == 200
    assert (
        client.post(f"/objectives/{indicator.objective_id}/indicators", {"name": "X"}).status_code
        == 403
    )
    assert (
        client.patch(f"/indicators/{indicator.pk}", {"version": 1, "name": "X"}).status_code == 403
    )
    assert client.put(f"/indicators/{indicator.pk}/values/2023", {"target": 1}).status_code == 403
    assert client.delete(f"/indicators/{indicator.pk}").status_code == 403
    assert Indicator.objects.get().name == "Accordi firmati" and not IndicatorValue.objects.exists()


def test_an_indicator_of_another_ente_is_not_found(api, other_ente):
    from ponti.planning.models import Objective

    foreign = Objective.objects.create(
        ente=other_ente, level="strategico", title="Prato", start_year=2022, end_year=2024
    )
    indicator = Indicator.objects.create(objective=foreign, name="Segreto")
    assert api.get(f"/indicators/{indicator.pk}").status_code == 404
    assert api.get(f"/objectives/{foreign.pk}/indicators").status_code == 404
    assert api.put(f"/indicators/{indicator.pk}/values/2023", {"target": 1}).status_code == 404
    assert api.delete(f"/indicators/{indicator.pk}").status_code == 404
