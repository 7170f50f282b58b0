"""Network fees charge a budget line through planning's service: impegno, then pagamento once paid."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ponti.networks import services
from ponti.networks.models import Fee, Membership
from ponti.planning.models import Movement
from ponti.planning.services import objective_totals
from tests.api.helpers import token_client


@pytest.fixture
def membership(ente: Any, make_org: Any) -> Membership:
    network = make_org(name="Eurocities", kind="network", country="BE", city="Bruxelles")
    return Membership.objects.create(ente=ente, network=network, since_year=2003)


@pytest.fixture
def line(seed: dict[str, Any], make_line: Any) -> Any:
    return make_line("1450", objective=seed["operational"], amounts={2023: ("20000", "0")})


def test_a_fee_charged_to_a_line_records_an_impegno_and_a_payment(
    membership: Membership, line: Any, personas: dict[str, Any], seed: dict[str, Any]
) -> None:
    user = personas["ufficio"]
    fee = services.save_fee(
        Fee(membership=membership, year=2023, amount=Decimal("15500.00")),
        user=user,
        budget_line_id=line.pk,
    )
    movement = Movement.objects.get()
    assert (movement.line, movement.year, movement.amount, movement.kind) == (
        line,
        2023,
        Decimal("15500.00"),
        "committed",
    )
    assert "Eurocities" in movement.description and movement.recorded_by == user
    assert objective_totals(seed["operational"]).spesa[2023].movements == Decimal("15500.00")

    fee.amount, fee.paid, fee.paid_on = Decimal("16000.00"), True, datetime.date(2023, 3, 31)
    services.save_fee(fee, user=user)  # keeps the line
    assert sorted(Movement.objects.values_list("kind", "amount")) == [
        ("cashed", Decimal("16000.00")),
        ("committed", Decimal("16000.00")),
    ]
    assert Movement.objects.get(kind="cashed").day == datetime.date(2023, 3, 31)

    services.save_fee(fee, user=user, budget_line_id=None)
    assert not Movement.objects.exists()
    services.save_fee(fee, user=user, budget_line_id=line.pk)
    services.delete(fee, user=user)
    assert not Movement.objects.exists()


def test_a_line_of_another_ente_is_refused_and_the_fee_is_not_saved(
    membership: Membership, make_line: Any, other_ente: Any, personas: dict[str, Any]
) -> None:
    foreign = make_line("9999", ente=other_ente)
    with pytest.raises(ValidationError) as exc:
        services.save_fee(
            Fee(membership=membership, year=2023, amount=Decimal("100")),
            user=personas["ufficio"],
            budget_line_id=foreign.pk,
        )
    # Another ente's line is not disclosed: to this user it does not exist.
    assert "non esiste" in " ".join(exc.value.message_dict["budget_line"])
    assert not Fee.objects.exists() and not Movement.objects.exists()


def test_a_year_outside_the_objective_of_the_line_is_refused(
    membership: Membership, line: Any, personas: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.save_fee(
            Fee(membership=membership, year=2021, amount=Decimal("100")),
            user=personas["ufficio"],
            budget_line_id=line.pk,
        )
    assert "orizzonte" in " ".join(exc.value.message_dict["year"])
    assert not Fee.objects.exists()


def test_the_api_charges_a_fee_and_names_the_field_of_a_refusal(
    membership: Membership, line: Any, personas: dict[str, Any], make_line: Any, other_ente: Any
) -> None:
    api = token_client(personas["ufficio"])
    response = api.post(
        f"/memberships/{membership.pk}/fees",
        {"year": 2023, "amount": "1500.00", "budget_line_id": line.pk},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["budget_line_id"] == line.pk
    assert Movement.objects.get().amount == Decimal("1500.00")
    fee_id = response.json()["id"]
    assert (
        api.patch(f"/fees/{fee_id}", {"version": 1, "budget_line_id": None}).json()[
            "budget_line_id"
        ]
        is None
    )
    assert not Movement.objects.exists()
    foreign = make_line("9999", ente=other_ente)
    response = api.post(
        f"/memberships/{membership.pk}/fees",
        {"year": 2024, "amount": "1", "budget_line_id": foreign.pk},
    )
    assert response.status_code == 422 and "budget_line_id" in response.json()["errors"]


def test_the_fee_form_offers_the_spending_lines_of_the_ente(
    client: Any, membership: Membership, line: Any, personas: dict[str, Any]
) -> None:
    client.force_login(personas["ufficio"])
    page = client.get(reverse("networks:fee_add", args=[membership.pk]))
    assert page.status_code == 200
    assert "Capitolo di spesa" in page.content.decode() and "1450" in page.content.decode()
    response = client.post(
        reverse("networks:fee_add", args=[membership.pk]),
        {"year": "2023", "amount": "900", "budget_line": str(line.pk)},
    )
    assert response.status_code == 302
    assert Movement.objects.get().amount == Decimal("900.00")


def test_a_line_above_the_users_clearance_is_neither_offered_nor_charged(
    membership: Membership, make_line: Any, personas: dict[str, Any], make_user: Any
) -> None:
    secret = make_line("9998", confidentiality="riservato")
    reader = make_user("responsabile", username="resp2")  # clearance: interno
    from ponti.planning.services import line_choices

    assert secret.pk not in dict(line_choices(membership.ente_id, user=reader))
    assert secret.pk in dict(line_choices(membership.ente_id, user=personas["ufficio"]))
    with pytest.raises(ValidationError) as exc:
        services.save_fee(
            Fee(membership=membership, year=2023, amount=Decimal("1")),
            user=reader,
            budget_line_id=secret.pk,
        )
    assert "non esiste" in " ".join(exc.value.message_dict["budget_line"])
    assert not Fee.objects.exists()
