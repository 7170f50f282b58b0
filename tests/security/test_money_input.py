"""One reader of amounts everywhere (ponti.core.money.parse_amount): forms and imports read the
Italian style ("1.234,56"), the API a JSON number or "1234.56". More than 2 decimals is
refused, never rounded ("2.675"); so are exponents ("1e3"), NaN and Infinity, and digits
other than 0-9 ("١٢٣", "１２３"). Every API money field is found in the OpenAPI document."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest

from ponti.core.money import AmountError, JsonNumber, parse_amount

DECIMALS = "più di 2 decimali"
EXPONENT = "notazione esponenziale"
FOREIGN = "cifre non ammesse"
NOT_FINITE = "numero finito"


# --- The reader ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1.234,56", Decimal("1234.56")),
        ("1234,56", Decimal("1234.56")),
        ("1234.56", Decimal("1234.56")),
        ("€ 1.234.567,8", Decimal("1234567.80")),
        ("0,5", Decimal("0.50")),
        ("", None),
    ],
)
def test_people_write_amounts_the_italian_way(typed: str, expected: Decimal | None) -> None:
    assert parse_amount(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2.675", "ambiguo"),  # 2675 in Italian, 2.675 in English: never guessed
        ("2,675", DECIMALS),
        ("12,340", DECIMALS),
        ("1.234,567", DECIMALS),
        ("1e3", EXPONENT),
        ("1E3", EXPONENT),
        ("1,5e2", EXPONENT),
        ("2.5E-1", EXPONENT),
        ("NaN", NOT_FINITE),
        ("nan", NOT_FINITE),
        ("Infinity", NOT_FINITE),
        ("-inf", NOT_FINITE),
        ("١٢٣", FOREIGN),  # Arabic-Indic
        ("１２３", FOREIGN),  # fullwidth
        ("१२३", FOREIGN),  # Devanagari
        ("12٫5", "non è un importo"),
        ("dodici", "non è un importo"),
    ],
)
def test_what_is_not_an_amount_is_refused_with_a_message(typed: str, message: str) -> None:
    with pytest.raises(AmountError, match=message):
        parse_amount(typed)
    with pytest.raises(AmountError):
        parse_amount(typed, api=True)


def test_the_api_reads_json_numbers_from_their_digits_never_through_a_float() -> None:
    assert parse_amount(JsonNumber("1234.56"), api=True) == Decimal("1234.56")
    assert parse_amount(JsonNumber("0.1"), api=True) == Decimal("0.10")
    assert parse_amount(1500, api=True) == Decimal("1500.00")
    assert parse_amount("1234.56", api=True) == Decimal("1234.56")
    for sent, message in [
        (JsonNumber("2.675"), DECIMALS),
        (JsonNumber("0.30000000000000004"), DECIMALS),
        (JsonNumber("1e3"), EXPONENT),
        (JsonNumber("1.5E2"), EXPONENT),
        (2.675, DECIMALS),
        ("2.675", DECIMALS),
        ("1.234,56", "punto per i decimali"),
        ("1234,56", "punto per i decimali"),
        (" 12.50", "punto per i decimali"),
    ]:
        with pytest.raises(AmountError, match=message):
            parse_amount(sent, api=True)


# --- Every API money field ------------------------------------------------------------------------


def _schema() -> dict[str, Any]:
    from ponti.api import api

    return api.get_openapi_schema()


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _is_amount(schema: dict[str, Any], spec: dict[str, Any]) -> bool:
    """An ApiAmount: a number or a string of digits with at most 2 decimals (maybe nullable)."""
    schema = _resolve(schema, spec)
    variants = [_resolve(s, spec) for s in schema.get("anyOf", [])]
    flat = [
        w
        for v in variants
        for w in ([_resolve(x, spec) for x in v["anyOf"]] if "anyOf" in v else [v])
    ]
    return any(v.get("type") == "number" for v in flat) and any(
        v.get("type") == "string" and "[0-9]" in v.get("pattern", "") for v in flat
    )


def money_fields() -> list[tuple[str, str, str]]:
    """(method, url, field) for every money field of every API operation's JSON body."""
    spec = _schema()
    found = []
    for path, methods in spec["paths"].items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method, operation in methods.items():
            content = operation.get("requestBody", {}).get("content", {})
            body = content.get("application/json")
            if not body:
                continue
            schema = _resolve(body["schema"], spec)
            for name, prop in schema.get("properties", {}).items():
                if _is_amount(prop, spec):
                    found.append((method, url, name))
    return found


def test_the_walk_finds_the_money_of_planning_networks_and_meetings() -> None:
    fields = {(url.split("/")[3], name) for _m, url, name in money_fields()}
    assert {
        ("budget-lines", "initial"),
        ("budget-lines", "revised"),
        ("budget-lines", "committed"),
        ("budget-lines", "cashed"),
        ("movements", "amount"),
        ("memberships", "amount"),
        ("fees", "amount"),
        ("gifts", "estimated_value"),
        ("objectives", "baseline"),
        ("indicators", "target"),
        ("indicators", "actual"),
    } <= fields, fields


BAD_JSON = [
    ("2.675", DECIMALS),  # a JSON number, as written
    ('"2.675"', DECIMALS),
    ("2.670", DECIMALS),
    ("0.30000000000000004", DECIMALS),
    ("1e3", EXPONENT),  # a JSON number with an exponent
    ("1E+3", EXPONENT),
    ('"1e3"', EXPONENT),
    ('"NaN"', NOT_FINITE),
    ('"Infinity"', NOT_FINITE),
    ('"١٢٣"', FOREIGN),
    ('"１２３"', FOREIGN),
    ('"1.234,56"', "punto per i decimali"),
    ("true", "Scrivi un numero"),
    ("-1", "negativo"),
]


def test_every_api_money_field_refuses_what_is_not_an_amount_never_rounding(
    make_user: Any,
) -> None:
    from tests.api.helpers import token_client

    client = token_client(make_user("amministratore")).client
    failures = []
    fields = money_fields()
    for method, url, name in fields:
        for raw, message in BAD_JSON:
            response = client.generic(
                method.upper(), url, f'{{"{name}": {raw}}}', content_type="application/json"
            )
            errors = response.json().get("errors", {}) if response.status_code == 422 else {}
            if not any(message in m for m in errors.get(name, [])):
                failures.append(
                    f"{method.upper()} {url} {name}={raw}: {response.status_code} {errors.get(name)}"
                )
    assert not failures, (
        "\n".join(failures[:20]) + f"\n({len(failures)} of {len(fields) * len(BAD_JSON)})"
    )


# --- What the API stores: exactly what was sent -------------------------------------------------


@pytest.fixture
def planning(db: Any, ente: Any, budget_line: Any) -> dict[str, Any]:
    from ponti.planning.models import Indicator, Objective

    objective = Objective.objects.create(
        ente=ente,
        level="operativo",
        code="1901/0159",
        title="La Città Metropolitana nel mondo",
        start_year=2022,
        end_year=2024,
        confidentiality="interno",
    )
    budget_line.objective = objective
    budget_line.save()
    indicator = Indicator.objects.create(objective=objective, name="Accordi attivi")
    return {"line": budget_line, "objective": objective, "indicator": indicator}


@pytest.fixture
def membership(db: Any, ente: Any, make_org: Any) -> Any:
    from ponti.networks.models import Membership

    network = make_org(name="Eurocities", kind="network", country="BE", city="Bruxelles")
    return Membership.objects.create(ente=ente, network=network, confidentiality="interno")


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("1234.56", "1234.56"),
        ('"1234.56"', "1234.56"),
        ("0.1", "0.10"),
        ("2.67", "2.67"),
        ("15", "15.00"),
    ],
)
def test_the_api_stores_exactly_the_amount_sent(
    api_as: Any,
    personas: dict[str, Any],
    planning: dict[str, Any],
    membership: Any,
    raw: str,
    stored: str,
) -> None:
    from ponti.meetings.models import Gift
    from ponti.networks.models import Fee
    from ponti.planning.models import BudgetAmount, IndicatorValue, Movement

    expected = Decimal(stored)
    line, indicator = planning["line"], planning["indicator"]
    responsabile = api_as("responsabile").client
    ufficio = api_as("ufficio").client

    def send(client: Any, method: str, url: str, body: str) -> None:
        response = client.generic(method, "/api/v1" + url, body, content_type="application/json")
        assert response.status_code in (200, 201), (url, response.json())

    send(responsabile, "PUT", f"/budget-lines/{line.pk}/amounts/2024", f'{{"initial": {raw}}}')
    assert BudgetAmount.objects.get(line=line, year=2024).initial == expected
    send(
        responsabile,
        "POST",
        "/movements",
        f'{{"line_id": {line.pk}, "year": 2024, "amount": {raw}, "description": "Quota"}}',
    )
    assert Movement.objects.get(line=line, description="Quota").amount == expected
    send(responsabile, "PUT", f"/indicators/{indicator.pk}/values/2024", f'{{"target": {raw}}}')
    assert IndicatorValue.objects.get(indicator=indicator, year=2024).target == expected
    send(
        ufficio, "POST", f"/memberships/{membership.pk}/fees", f'{{"year": 2026, "amount": {raw}}}'
    )
    assert Fee.objects.get(membership=membership).amount == expected
    send(
        ufficio,
        "POST",
        "/gifts",
        json.dumps({"direction": "dato", "description": "Libro"})[:-1]
        + f', "estimated_value": {raw}}}',
    )
    assert Gift.objects.get().estimated_value == expected


# --- Forms ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2,675", DECIMALS),
        ("1e3", EXPONENT),
        ("١٢٣", FOREIGN),
        ("１２３", FOREIGN),
        ("NaN", NOT_FINITE),
    ],
)
def test_every_money_form_refuses_it_and_keeps_what_was_typed(
    client: Any,
    personas: dict[str, Any],
    planning: dict[str, Any],
    membership: Any,
    make_meeting: Any,
    typed: str,
    message: str,
) -> None:
    from ponti.meetings.models import Gift
    from ponti.networks.models import Fee
    from ponti.planning.models import BudgetAmount

    line = planning["line"]
    client.force_login(personas["responsabile"])
    page = client.post(
        f"/programmazione/capitoli/{line.pk}/importi/2024/",
        {"initial": typed, "revised": "", "committed": "0", "cashed": "0", "source": "PEG 2024"},
    )
    assert message in " ".join(page.context["form"].errors["initial"])
    assert (
        f'value="{typed}"' in page.content.decode() and 'value="PEG 2024"' in page.content.decode()
    )
    assert not BudgetAmount.objects.exists()

    client.force_login(personas["ufficio"])
    fee = client.post(
        f"/reti/{membership.pk}/quote/nuova/",
        {"year": "2026", "amount": typed, "notes": "Quota annuale"},
    )
    assert message in " ".join(fee.context["form"].errors["amount"])
    assert "Quota annuale" in fee.content.decode()
    assert not Fee.objects.exists()

    gift = client.post(
        f"/incontri/{make_meeting().pk}/doni/",
        {
            "gift-direction": "ricevuto",
            "gift-description": "Vaso di ceramica",
            "gift-estimated_value": typed,
        },
    )
    assert gift.status_code == 200
    assert message in gift.content.decode() and "Vaso di ceramica" in gift.content.decode()
    assert not Gift.objects.exists()


# --- Imports --------------------------------------------------------------------------------------


def test_an_import_refuses_each_bad_amount_on_its_row(
    personas: dict[str, Any], planning: dict[str, Any], ente: Any
) -> None:
    from ponti.core.importing import services

    rows = ["1e3", "١٢٣", "2,675", "NaN"]
    data = "capitolo;tipo;anno;previsione_iniziale\r\n" + "".join(
        f"1450;S;{2021 + n};{value}\r\n" for n, value in enumerate(rows)
    )
    batch = services.start(
        user=personas["responsabile"],
        ente=ente,
        kind="budget",
        filename="importi.csv",
        data=data.encode(),
        background=False,
    )
    errors = {row.number: " ".join(row.errors) for row in batch.rows.all()}
    assert EXPONENT in errors[2] and FOREIGN in errors[3]
    assert DECIMALS in errors[4] and NOT_FINITE in errors[5]
    assert batch.status == "refused"
