"""Budget lines: the list, a line's page, the line form and the amounts of a year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from ponti.planning.models import BudgetAmount, BudgetLine
from tests.planning.conftest import code


def amount_data(amount: BudgetAmount | None = None, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "initial": "0",
        "revised": "",
        "committed": "0",
        "cashed": "0",
        "source": "",
    }
    if amount is not None:
        data |= {
            "initial": str(amount.initial),
            "revised": "" if amount.revised is None else str(amount.revised),
            "committed": str(amount.committed),
            "cashed": str(amount.cashed),
            "source": amount.source,
            "version": amount.version,
        }
    data.update(changes)
    return data


def test_the_list_shows_the_year_figures_and_totals(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any]
) -> None:
    for role in ("responsabile", "revisore"):
        client.force_login(personas[role])
        response = client.get("/programmazione/capitoli/?year=2022")
        html = response.content.decode()
        assert response.status_code == 200
        assert "1450" in html and "1451" in html and "210" in html
        assert "Totale spese" in html and "25.000,00\u00a0€" in html and "22.700,50\u00a0€" in html
        assert "Totale entrate" in html and "30.000,00\u00a0€" in html
        assert 'href="?year=2022&amp;export=xlsx"' in html
        assert ("/programmazione/capitoli/importa/" in html) is (role == "responsabile")
        assert ("/programmazione/capitoli/nuovo/" in html) is (role == "responsabile")


def test_the_list_filters_by_side_and_objective_and_ignores_bad_values(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any], make_line: Any
) -> None:
    make_line("9999", description="Senza obiettivo")
    client.force_login(personas["revisore"])
    html = client.get("/programmazione/capitoli/?side=entrata&year=2022").content.decode()
    table = html[html.index('id="line-table"') :]
    assert "Capitolo 210" in table and "Capitolo 1450" not in table
    html = client.get(
        f"/programmazione/capitoli/?objective={seed_budget['operational'].pk}&year=2022"
    ).content.decode()
    assert "Senza obiettivo" not in html and "Capitolo 1450" in html
    assert client.get("/programmazione/capitoli/?year=abc&side=nope&objective=x").status_code == 200


def test_the_list_marks_example_lines(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any]
) -> None:
    BudgetLine.objects.filter(pk=seed_budget["fees"].pk).update(example=True)
    client.force_login(personas["revisore"])
    html = client.get("/programmazione/capitoli/?year=2022").content.decode()
    assert "Importi di esempio: non sono cifre reali dell" in html and ">esempio<" in html


def test_the_example_banner_appears_on_the_objective_and_the_line(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any]
) -> None:
    client.force_login(personas["revisore"])
    op = seed_budget["operational"]
    assert (
        'id="example-banner"'
        not in client.get(f"/programmazione/obiettivi/{op.pk}/").content.decode()
    )
    BudgetLine.objects.filter(pk=seed_budget["missions"].pk).update(example=True)
    html = client.get(f"/programmazione/obiettivi/{op.pk}/").content.decode()
    assert 'id="example-banner"' in html and "Importi di esempio: non sono cifre reali dell" in html
    assert "importi di esempio" in html[html.index('id="totals-spesa-table"') :]
    line_html = client.get(
        f"/programmazione/capitoli/{seed_budget['missions'].pk}/"
    ).content.decode()
    assert "Importi di esempio: non sono cifre reali dell" in line_html


def test_the_line_page_shows_amounts_warnings_movements_and_reconciliation(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any], make_org: Any
) -> None:
    from ponti.planning import services

    missions = seed_budget["missions"]
    source = make_org(name="Missione a Reims")
    services.record_movement(
        source=source,
        ente_id=missions.ente_id,
        line_id=missions.pk,
        year=2022,
        amount=Decimal("1200.00"),
        description="Viaggio",
        user=personas["responsabile"],
    )
    client.force_login(personas["revisore"])
    response = client.get(f"/programmazione/capitoli/{missions.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    # 2023: impegnato 5.100 over a previsione of 5.000 is a written warning, not a colour.
    row_2023 = html[html.index('id="year-2023"') : html.index('id="year-2024"')]
    assert "Avviso" in row_2023 and "supera la previsione" in row_2023
    assert "Missione a Reims" in html and "1.200,00\u00a0€" in html
    reconciliation = html[html.index('id="reconciliation-table"') :]
    assert "3.000,50\u00a0€" in reconciliation  # 4.200,50 impegnato − 1.200 of movements
    assert "/importi/2022/" not in html and "/modifica/" not in html  # a reader has no edit links


def test_the_reader_gets_403_on_every_budget_change(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any]
) -> None:
    line = seed_budget["fees"]
    client.force_login(personas["revisore"])
    for url in (
        "/programmazione/capitoli/nuovo/",
        f"/programmazione/capitoli/{line.pk}/modifica/",
        f"/programmazione/capitoli/{line.pk}/elimina/",
        f"/programmazione/capitoli/{line.pk}/importi/2022/",
    ):
        assert client.post(url, amount_data(initial="1")).status_code == 403, url
        assert client.get(url).status_code == 403, url
    assert BudgetAmount.objects.get(line=line, year=2022).initial == Decimal("20000.00")


def test_a_user_of_another_ente_gets_404_on_lines(
    client: Any, make_user: Any, other_ente: Any, seed_budget: dict[str, Any]
) -> None:
    client.force_login(make_user("responsabile", username="prato", enti=[other_ente]))
    line = seed_budget["fees"]
    for url in (
        f"/programmazione/capitoli/{line.pk}/",
        f"/programmazione/capitoli/{line.pk}/modifica/",
        f"/programmazione/capitoli/{line.pk}/importi/2022/",
    ):
        assert client.get(url).status_code == 404, url
    assert "Capitolo 1450" not in client.get("/programmazione/capitoli/?year=2022").content.decode()


def test_the_responsabile_edits_an_amount_in_italian_style(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any]
) -> None:
    amount = BudgetAmount.objects.get(line=seed_budget["missions"], year=2022)
    client.force_login(personas["responsabile"])
    assert client.get(f"/programmazione/capitoli/{amount.line_id}/importi/2022/").status_code == 200
    response = client.post(
        f"/programmazione/capitoli/{amount.line_id}/importi/2022/",
        amount_data(amount, initial="5.500,00", committed="4300,5", cashed="1234.56"),
    )
    assert response.status_code == 302
    amount.refresh_from_db()
    assert (amount.initial, amount.committed, amount.cashed) == (
        Decimal("5500.00"),
        Decimal("4300.50"),
        Decimal("1234.56"),
    )


def test_saving_an_impegno_over_the_previsione_shows_the_warning(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any]
) -> None:
    amount = BudgetAmount.objects.get(line=seed_budget["missions"], year=2022)
    client.force_login(personas["responsabile"])
    response = client.post(
        f"/programmazione/capitoli/{amount.line_id}/importi/2022/",
        amount_data(amount, committed="6.000,00"),
        follow=True,
    )
    html = response.content.decode()
    assert "Attenzione" in html and "supera la previsione" in html
    assert BudgetAmount.objects.get(pk=amount.pk).committed == Decimal("6000.00")


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("initial", "abc", "non è un importo"),
        ("committed", "12,345", "più di 2 decimali"),
        ("initial", "-5", "non può essere negativo"),
        ("initial", "7.000", "ambiguo"),
    ],
)
def test_it_refuses_a_bad_amount_and_keeps_what_was_typed(
    client: Any,
    personas: dict[str, Any],
    seed_budget: dict[str, Any],
    field: str,
    typed: str,
    message: str,
) -> None:
    amount = BudgetAmount.objects.get(line=seed_budget["missions"], year=2022)
    client.force_login(personas["responsabile"])
    response = client.post(
        f"/programmazione/capitoli/{amount.line_id}/importi/2022/",
        amount_data(amount, **{field: typed}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'value="{typed}"' in html and f'id="id_{field}-errors"' in html
    assert BudgetAmount.objects.get(pk=amount.pk).version == amount.version


def test_it_refuses_a_year_outside_the_objectives_horizon(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any]
) -> None:
    line = seed_budget["fees"]
    client.force_login(personas["responsabile"])
    for method in (client.get, client.post):
        response = method(
            f"/programmazione/capitoli/{line.pk}/importi/2026/", amount_data(initial="10")
        )
        assert response.status_code == 400 and "2026 è fuori dall" in response.content.decode()
    assert not BudgetAmount.objects.filter(line=line, year=2026).exists()


def test_a_new_year_inside_the_horizon_is_created(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any]
) -> None:
    line = seed_budget["missions"]
    client.force_login(personas["responsabile"])
    response = client.post(
        f"/programmazione/capitoli/{line.pk}/importi/2024/",
        amount_data(initial="7.000,00", source="PEG 2024"),
    )
    assert response.status_code == 302
    assert BudgetAmount.objects.get(line=line, year=2024).initial == Decimal("7000.00")


def test_an_amount_conflict_shows_the_other_change_and_keeps_what_was_typed(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any]
) -> None:
    from ponti.planning import services

    amount = BudgetAmount.objects.get(line=seed_budget["missions"], year=2022)
    stale = amount_data(amount, cashed="99,99")
    other = BudgetAmount.objects.get(pk=amount.pk)
    other.committed = Decimal("4999.00")
    services.save_amount(other, user=personas["amministratore"], expected_version=other.version)
    client.force_login(personas["responsabile"])
    response = client.post(f"/programmazione/capitoli/{amount.line_id}/importi/2022/", stale)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="conflict"' in html and "4999" in html
    assert 'value="99,99"' in html
    assert BudgetAmount.objects.get(pk=amount.pk).cashed == Decimal("0.00")


def test_the_responsabile_creates_a_line_and_the_model_names_the_bad_field(
    client: Any, personas: dict[str, Any], seed: dict[str, Any]
) -> None:
    client.force_login(personas["responsabile"])
    assert (
        client.get(
            f"/programmazione/capitoli/nuovo/?objective={seed['operational'].pk}"
        ).status_code
        == 200
    )
    data = {
        "side": "entrata",
        "number": "211",
        "description": "Contributi UE",
        "titolo": code("titolo", "2", "entrata").pk,
        "category": code("tipologia", "20105", "entrata").pk,
        "programma": code("programma", "1901").pk,
        "objective": seed["operational"].pk,
        "confidentiality": "interno",
    }
    response = client.post("/programmazione/capitoli/nuovo/", data)
    assert response.status_code == 200 and "Le entrate non hanno Missione e Programma" in " ".join(
        response.context["form"].errors["programma"]
    )
    assert not BudgetLine.objects.filter(number="211").exists()
    response = client.post("/programmazione/capitoli/nuovo/", data | {"programma": ""})
    line = BudgetLine.objects.get(number="211")
    assert (
        response.status_code == 302
        and line.objective == seed["operational"]
        and line.ente == seed["operational"].ente
    )


def test_a_duplicate_line_number_is_refused_on_the_number(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any]
) -> None:
    client.force_login(personas["responsabile"])
    response = client.post(
        "/programmazione/capitoli/nuovo/",
        {
            "side": "spesa",
            "number": "1450",
            "description": "Doppio",
            "titolo": code("titolo", "1").pk,
            "category": code("macroaggregato", "103").pk,
            "confidentiality": "interno",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors.get("number")


def test_a_line_edit_conflict_shows_the_other_change(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any]
) -> None:
    from ponti.planning import services

    line = seed_budget["fees"]
    stale = {
        "side": "spesa",
        "number": "1450",
        "description": "Quote associative (mia)",
        "titolo": line.titolo_id,
        "category": line.category_id,
        "programma": line.programma_id,
        "objective": line.objective_id,
        "confidentiality": "interno",
        "version": line.version,
    }
    other = BudgetLine.objects.get(pk=line.pk)
    other.description = "Quote delle reti"
    services.save(other, user=personas["amministratore"], expected_version=other.version)
    client.force_login(personas["responsabile"])
    html = client.post(f"/programmazione/capitoli/{line.pk}/modifica/", stale).content.decode()
    assert (
        'id="conflict"' in html
        and "Quote delle reti" in html
        and 'value="Quote associative (mia)"' in html
    )


def test_deleting_a_line_with_movements_is_refused(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any], make_org: Any
) -> None:
    from ponti.planning import services

    line = seed_budget["fees"]
    services.record_movement(
        source=make_org(),
        ente_id=line.ente_id,
        line_id=line.pk,
        year=2022,
        amount=Decimal("100"),
        description="Quota",
        user=personas["responsabile"],
    )
    client.force_login(personas["responsabile"])
    response = client.post(f"/programmazione/capitoli/{line.pk}/elimina/", follow=True)
    assert (
        "non è stato eliminato" in response.content.decode()
        and BudgetLine.objects.filter(pk=line.pk).exists()
    )
    empty = seed_budget["eu"]
    assert client.post(f"/programmazione/capitoli/{empty.pk}/elimina/").status_code == 302
    assert not BudgetLine.objects.filter(pk=empty.pk).exists()


def test_the_objective_chart_and_table_change_when_an_impegno_changes(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any]
) -> None:
    op = seed_budget["operational"]
    client.force_login(personas["responsabile"])
    html = client.get(f"/programmazione/obiettivi/{op.pk}/").content.decode()
    spesa = html[html.index('id="totals-spesa"') : html.index('id="lines"')]
    assert "22.700,50\u00a0€" in spesa.split("<table", 1)[1]  # the data table
    assert "22.700,50 euro" in spesa.split("<table", 1)[0]  # the chart's description
    amount = BudgetAmount.objects.get(line=seed_budget["missions"], year=2022)
    client.post(
        f"/programmazione/capitoli/{amount.line_id}/importi/2022/",
        amount_data(amount, committed="4.300,50"),
    )
    html = client.get(f"/programmazione/obiettivi/{op.pk}/").content.decode()
    spesa = html[html.index('id="totals-spesa"') : html.index('id="lines"')]
    svg, table = spesa.split("<table", 1)
    assert "22.800,50 euro" in svg and "22.700,50" not in svg
    assert "22.800,50\u00a0€" in table


def test_every_planning_page_renders_for_the_responsabile(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any]
) -> None:
    from ponti.planning.models import Indicator

    op = seed_budget["operational"]
    indicator = Indicator.objects.create(objective=op, name="Gemellaggi attivi", example=True)
    line = seed_budget["fees"]
    client.force_login(personas["responsabile"])
    for url in (
        "/programmazione/",
        "/programmazione/obiettivi/nuovo/",
        f"/programmazione/obiettivi/{op.pk}/",
        f"/programmazione/obiettivi/{op.pk}/modifica/",
        f"/programmazione/obiettivi/{op.pk}/elimina/",
        f"/programmazione/obiettivi/{op.pk}/indicatori/nuovo/",
        f"/programmazione/indicatori/{indicator.pk}/modifica/",
        f"/programmazione/indicatori/{indicator.pk}/valori/",
        f"/programmazione/indicatori/{indicator.pk}/elimina/",
        "/programmazione/capitoli/",
        "/programmazione/capitoli/nuovo/",
        f"/programmazione/capitoli/{line.pk}/",
        f"/programmazione/capitoli/{line.pk}/modifica/",
        f"/programmazione/capitoli/{line.pk}/elimina/",
        f"/programmazione/capitoli/{line.pk}/importi/2022/",
        f"/programmazione/capitoli/{line.pk}/importi/2024/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'lang="it"' in response.content.decode()


def test_a_reserved_objective_is_not_named_in_the_line_list(
    client: Any, personas: dict[str, Any], seed: dict[str, Any], make_line: Any
) -> None:
    from ponti.planning.models import Objective

    secret = Objective.objects.create(
        ente=seed["operational"].ente,
        level="attivita",
        parent=seed["operational"],
        code="SEGRETO-1",
        title="Trattativa riservata",
        start_year=2022,
        end_year=2024,
        confidentiality="riservato",
    )
    make_line("1460", objective=secret, amounts={2022: ("100.00",)})
    client.force_login(personas["revisore"])
    html = client.get("/programmazione/capitoli/?year=2022").content.decode()
    assert "Capitolo 1460" in html and "SEGRETO-1" not in html and "Trattativa" not in html
    html = client.get(f"/programmazione/obiettivi/{seed['operational'].pk}/").content.decode()
    # The history too: a link to a record the reader may not see shows no name.
    assert "Capitolo 1460" in html and "SEGRETO-1" not in html and "Trattativa" not in html


def test_the_list_defaults_to_the_current_year_or_the_latest_with_figures(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any], make_line: Any
) -> None:
    from django.utils import timezone

    this_year = timezone.localdate().year
    client.force_login(personas["revisore"])
    response = client.get("/programmazione/capitoli/")
    assert response.context["year"] == 2024  # the fixture's figures stop in 2024
    assert "Capitoli di bilancio 2024" in response.content.decode()
    make_line("8888", amounts={this_year: ("1.00",)})
    response = client.get("/programmazione/capitoli/")
    assert response.context["year"] == this_year
    assert f"Capitoli di bilancio {this_year}" in response.content.decode()


def test_the_line_list_pages_searches_and_keeps_the_totals_over_every_page(
    client: Any, personas: dict[str, Any], make_line: Any
) -> None:
    for n in range(105):
        make_line(f"{3000 + n}", amounts={2023: ("10.00",)})
    make_line("4999", description="Quote Eurocities", amounts={2023: ("5.00",)})
    client.force_login(personas["revisore"])
    first = client.get(reverse("planning:line_list") + "?year=2023").content.decode()
    assert "106 capitoli" in first and "Pagina 1 di 2" in first
    assert "1.055,00" in first  # 105 × 10 + 5, over both pages
    second = client.get(reverse("planning:line_list") + "?year=2023&page=2").content.decode()
    assert "4999" in second and "3000</a>" not in second
    found = client.get(reverse("planning:line_list") + "?year=2023&q=eurocities").content.decode()
    assert "1 capitolo" in found and "4999" in found and "5,00" in found
    xlsx = client.get(reverse("planning:lines_xlsx") + "?year=2023&q=eurocities")
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(
        load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active.iter_rows(
            min_row=2, values_only=True
        )
    )
    assert [r[2] for r in rows] == ["4999"]
