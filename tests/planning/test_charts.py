"""The SVG charts: accessible names, Italian numbers, no colour-only meaning, escaping, empty states."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

from ponti.planning.charts import budget_chart, indicator_chart
from ponti.planning.models import Indicator
from ponti.planning.services import IndicatorYear, Totals, YearTotals, objective_totals

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, under test


def text_of(root: ET.Element, tag: str) -> str:
    element = root.find(f"{SVG}{tag}")
    assert element is not None and element.text is not None, tag
    return element.text


def attr(element: ET.Element, name: str) -> str:
    value = element.get(name)
    assert value is not None, name
    return value


def totals_of(**per_year: tuple[str, str]) -> Totals:
    years = [int(y.lstrip("y")) for y in per_year]
    spesa = {
        int(y.lstrip("y")): YearTotals(forecast=Decimal(f), committed=Decimal(c))
        for y, (f, c) in per_year.items()
    }
    return Totals(years=years, entrata={y: YearTotals() for y in years}, spesa=spesa)


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_the_budget_chart_is_a_named_image_with_title_and_description() -> None:
    svg = budget_chart(totals_of(y2022=("25000.00", "22700.50"), y2023=("26000", "25100")), "spesa")
    root = parse(svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    title = root.find(f"{SVG}title")
    assert title is not None and title.get("id") == title_id
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.get("id") == desc_id
    assert "2022: previsione 25.000,00 euro, impegnato 22.700,50 euro" in text_of(root, "desc")


def test_the_axis_and_the_bars_carry_italian_numbers() -> None:
    svg = budget_chart(totals_of(y2022=("25000.00", "22700.50")), "spesa")
    texts = [t.text for t in parse(svg).iter(f"{SVG}text")]
    assert "25.000 €" in texts and "5.000 €" in texts  # the axis, in steps of a fifth
    assert "25.000" in texts and "22.700,50" in texts  # direct value labels above the bars
    assert "2022" in texts


def test_the_two_series_differ_by_pattern_not_only_colour() -> None:
    root = parse(budget_chart(totals_of(y2022=("100", "80")), "spesa"))
    fills = {attr(r, "fill") for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None}
    assert any(f.startswith("url(#") for f in fills) and any(f.startswith("#") for f in fills)
    assert root.find(f".//{SVG}pattern") is not None
    legend = [t.text for t in root.iter(f"{SVG}text")]
    assert "Previsione" in legend and "Impegnato" in legend


def test_every_text_has_at_least_4_5_to_1_contrast_on_white() -> None:
    root = parse(budget_chart(totals_of(y2022=("100", "80")), "spesa"))
    for text in root.iter(f"{SVG}text"):
        colour = text.get("fill")
        assert colour and re.fullmatch(r"#[0-9a-f]{6}", colour)
        ratio = (1.05) / (luminance(colour) + 0.05)
        assert ratio >= 4.5, colour


def test_entrata_says_accertato() -> None:
    totals = totals_of(y2022=("0", "0"))
    totals.entrata[2022] = YearTotals(forecast=Decimal("30000"), committed=Decimal("15000"))
    svg = budget_chart(totals, "entrata")
    assert "Accertato" in svg and "accertato 15.000,00 euro" in svg


def test_an_empty_budget_says_so_instead_of_drawing_nothing() -> None:
    svg = budget_chart(totals_of(y2022=("0", "0"), y2023=("0", "0")), "spesa")
    assert "<svg" not in svg and "nessun importo" in svg


def test_example_amounts_are_named_in_the_chart_title() -> None:
    totals = totals_of(y2022=("100", "80"))
    totals.example = True
    title = text_of(parse(budget_chart(totals, "spesa")), "title")
    assert "importi di esempio" in title


def test_the_indicator_chart_escapes_the_name_and_shows_missing_values(
    seed: dict[str, Any],
) -> None:
    indicator = Indicator.objects.create(
        objective=seed["operational"], name='Accordi <script>alert(1)</script> & "patti"', unit="n."
    )
    rows = [
        IndicatorYear(2022, Decimal("10"), Decimal("12"), "", False),
        IndicatorYear(2023, Decimal("12.5"), None, "", False),
    ]
    svg = indicator_chart(indicator, rows)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = parse(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "12,50" in texts and "n.d." in texts
    assert "2023: atteso 12,50, effettivo n.d." in text_of(root, "desc")


def test_an_indicator_without_values_has_an_empty_state(seed: dict[str, Any]) -> None:
    indicator = Indicator.objects.create(objective=seed["operational"], name="Nuovo")
    svg = indicator_chart(indicator, [IndicatorYear(2022, None, None, "", False)])
    assert "<svg" not in svg and "nessun valore" in svg


def test_negative_indicator_values_stay_inside_the_chart(seed: dict[str, Any]) -> None:
    indicator = Indicator.objects.create(
        objective=seed["operational"], name="Saldo", direction="down"
    )
    root = parse(
        indicator_chart(indicator, [IndicatorYear(2022, Decimal("-5"), Decimal("3"), "", False)])
    )
    height = float(attr(root, "viewBox").split()[3])
    for rect in root.iter(f"{SVG}rect"):
        y, h = float(rect.get("y", 0)), float(attr(rect, "height"))
        assert y >= 0 and y + h <= height


def test_the_chart_follows_the_totals_when_an_impegno_changes(
    seed_budget: dict[str, Any], personas: dict[str, Any]
) -> None:
    from ponti.planning.models import BudgetAmount
    from ponti.planning.services import save_amount

    op = seed_budget["operational"]
    assert "22.700,50 euro" in budget_chart(objective_totals(op), "spesa")
    amount = BudgetAmount.objects.get(line=seed_budget["missions"], year=2022)
    amount.committed = Decimal("5000.00")
    save_amount(amount, user=personas["responsabile"], expected_version=amount.version)
    svg = budget_chart(objective_totals(op), "spesa")
    assert "23.500,00 euro" in svg and "22.700,50" not in svg
