"""Totals per objective and year are the sums of the amounts (the seed's Totali Entrata / Spesa)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ponti.planning.models import BudgetAmount
from ponti.planning.services import objective_totals, save_amount


def test_totals_equal_the_sum_of_the_amounts(seed_budget: dict[str, Any]) -> None:
    totals = objective_totals(seed_budget["operational"])
    assert totals.years == [2022, 2023, 2024]
    assert totals.spesa[2022].forecast == Decimal("25000.00")
    assert totals.spesa[2022].committed == Decimal("22700.50")
    assert totals.spesa[2023].committed == Decimal("25100.00")
    assert totals.spesa[2024].forecast == Decimal("22000.00")
    assert totals.entrata[2022].committed == Decimal("30000.00")
    assert totals.entrata[2023].committed == Decimal("12500.25")
    assert totals.entrata[2024].forecast == Decimal("0.00")


def test_the_strategic_objective_sums_the_lines_of_its_operational_objectives(
    seed_budget: dict[str, Any],
) -> None:
    totals = objective_totals(seed_budget["strategic"])
    assert totals.spesa[2022].forecast == Decimal("25000.00")


def test_changing_one_impegno_changes_the_totals(
    seed_budget: dict[str, Any], personas: dict[str, Any]
) -> None:
    amount = BudgetAmount.objects.get(line=seed_budget["missions"], year=2022)
    amount.committed = Decimal("4300.50")
    warnings = save_amount(amount, user=personas["responsabile"], expected_version=amount.version)
    assert warnings == []
    assert objective_totals(seed_budget["operational"]).spesa[2022].committed == Decimal("22800.50")


def test_an_impegno_over_the_previsione_is_saved_with_a_warning(
    seed_budget: dict[str, Any], personas: dict[str, Any]
) -> None:
    amount = BudgetAmount.objects.get(line=seed_budget["missions"], year=2023)
    warnings = save_amount(amount, user=personas["responsabile"])
    assert len(warnings) == 1 and "supera la previsione" in warnings[0]


def test_a_history_does_not_name_a_record_the_reader_may_not_see(
    client: Any, seed: dict[str, Any], personas: dict[str, Any], make_line: Any
) -> None:
    from django.urls import reverse

    from ponti.core.audit import acting_as
    from ponti.planning.models import Objective

    with acting_as(personas["responsabile"]):
        secret = Objective.objects.create(
            ente=seed["operational"].ente,
            level="attivita",
            parent=seed["operational"],
            title="TRATTATIVA SEGRETA",
            start_year=2022,
            end_year=2024,
            confidentiality="riservato",
        )
        line = make_line("7777", objective=secret, confidentiality="interno")
    client.force_login(personas["revisore"])  # clearance: interno
    page = client.get(reverse("planning:line_detail", args=[line.pk])).content.decode()
    assert "TRATTATIVA SEGRETA" not in page
    assert "un record riservato" in page
    client.force_login(personas["ufficio"])  # clearance: riservato
    assert (
        "TRATTATIVA SEGRETA"
        in client.get(reverse("planning:line_detail", args=[line.pk])).content.decode()
    )
