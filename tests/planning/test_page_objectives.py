"""The objectives tree, an objective's page and the objective and indicator forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ponti.planning.models import Indicator, IndicatorValue, Objective


@pytest.fixture
def indicator(seed: dict[str, Any]) -> Any:
    return Indicator.objects.create(
        objective=seed["operational"], name="Accordi firmati", unit="numero"
    )


def test_the_tree_nests_the_seed_objectives_for_every_reader(
    client: Any, personas: dict[str, Any], seed: dict[str, Any]
) -> None:
    for role in ("responsabile", "revisore"):
        client.force_login(personas[role])
        response = client.get("/programmazione/")
        html = response.content.decode()
        assert response.status_code == 200
        # indirizzo → strategico → operativo, nested in that order.
        tree = html[html.index('id="objective-tree"') :]
        assert (
            tree.index("CULTURA, TURISMO")
            < tree.index("RELAZIONI INTERNAZIONALI")
            < tree.index("1901/0159")
        )
        assert "2022–2024" in html and "Cristiano Maggipinto" in html
        assert ("Nuovo obiettivo" in html) is (role == "responsabile")


def test_the_objective_page_shows_every_field_of_the_seed_sheet(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any]
) -> None:
    op = seed_budget["operational"]
    client.force_login(personas["revisore"])
    response = client.get(f"/programmazione/obiettivi/{op.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Mandato 2019_2024",
        "1901/0159 - LA CITTÀ METROPOLITANA NEL MONDO",
        "Cristiano Maggipinto",
        "CULTURA, TURISMO, SVILUPPO ECONOMICO, RELAZIONI INTERNAZIONALI",
        "19 - Relazioni internazionali",
        "RELAZIONI INTERNAZIONALI",
        "1901 - Relazioni internazionali e Cooperazione allo sviluppo",
        "Nel prossimo triennio",
        "Risorse finanziarie 2022-2023-2024",
        "Totali Entrata",
        "Totali Spesa",
    ):
        assert text in html, text
    # Documents: the DUP sheet in four formats, the progress report for each year.
    for fmt in ("html", "pdf", "odt", "docx"):
        assert f"/programmazione/obiettivi/{op.pk}/scheda.{fmt}" in html
    for year in (2022, 2023, 2024):
        assert f"/programmazione/obiettivi/{op.pk}/stato-di-attuazione/{year}.pdf" in html
    # The breadcrumb names the ancestors.
    assert f'href="/programmazione/obiettivi/{seed_budget["strategic"].pk}/"' in html


def test_the_reader_sees_no_edit_controls(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any], indicator: Any
) -> None:
    op = seed_budget["operational"]
    client.force_login(personas["revisore"])
    html = client.get(f"/programmazione/obiettivi/{op.pk}/").content.decode()
    for url in (
        f"/obiettivi/{op.pk}/modifica/",
        f"/obiettivi/{op.pk}/elimina/",
        f"/indicatori/{indicator.pk}/modifica/",
        f"/obiettivi/{op.pk}/indicatori/nuovo/",
        "/obiettivi/nuovo/",
        "/capitoli/nuovo/",
    ):
        assert f"/programmazione{url}" not in html, url
    client.force_login(personas["responsabile"])
    html = client.get(f"/programmazione/obiettivi/{op.pk}/").content.decode()
    assert f"/programmazione/obiettivi/{op.pk}/modifica/" in html
    assert f"/programmazione/indicatori/{indicator.pk}/valori/" in html


def test_the_reader_gets_403_on_every_change(
    client: Any, personas: dict[str, Any], seed: dict[str, Any], indicator: Any
) -> None:
    op = seed["operational"]
    client.force_login(personas["revisore"])
    for url in (
        "/programmazione/obiettivi/nuovo/",
        f"/programmazione/obiettivi/{op.pk}/modifica/",
        f"/programmazione/obiettivi/{op.pk}/elimina/",
        f"/programmazione/obiettivi/{op.pk}/indicatori/nuovo/",
        f"/programmazione/indicatori/{indicator.pk}/modifica/",
        f"/programmazione/indicatori/{indicator.pk}/valori/",
        f"/programmazione/indicatori/{indicator.pk}/elimina/",
    ):
        assert client.post(url, {"title": "x", "target_2022": "5"}).status_code == 403, url
        assert client.get(url).status_code == 403, url
    assert Objective.objects.filter(pk=op.pk).exists() and not IndicatorValue.objects.exists()


def test_a_user_of_another_ente_gets_404(
    client: Any, make_user: Any, other_ente: Any, seed: dict[str, Any], indicator: Any
) -> None:
    stranger = make_user("responsabile", username="prato", enti=[other_ente])
    client.force_login(stranger)
    op = seed["operational"]
    for url in (
        f"/programmazione/obiettivi/{op.pk}/",
        f"/programmazione/obiettivi/{op.pk}/modifica/",
        f"/programmazione/indicatori/{indicator.pk}/valori/",
        f"/programmazione/indicatori/{indicator.pk}/modifica/",
    ):
        assert client.get(url).status_code == 404, url
    assert "1901/0159" not in client.get("/programmazione/").content.decode()


def test_a_too_confidential_objective_is_a_404_for_the_reader(
    client: Any, personas: dict[str, Any], seed: dict[str, Any]
) -> None:
    secret = Objective.objects.create(
        ente=seed["operational"].ente,
        level="attivita",
        parent=seed["operational"],
        title="Trattativa riservata",
        start_year=2022,
        end_year=2022,
        confidentiality="riservato",
    )
    client.force_login(personas["revisore"])
    assert client.get(f"/programmazione/obiettivi/{secret.pk}/").status_code == 404
    assert (
        "Trattativa riservata"
        not in client.get(f"/programmazione/obiettivi/{seed['operational'].pk}/").content.decode()
    )


def test_the_responsabile_creates_an_activity_under_the_operational_objective(
    client: Any, personas: dict[str, Any], seed: dict[str, Any]
) -> None:
    op = seed["operational"]
    client.force_login(personas["responsabile"])
    form = client.get(f"/programmazione/obiettivi/nuovo/?parent={op.pk}").content.decode()
    # Parent choices: only objectives of the level above (operational ones).
    assert (
        "LA CITTÀ METROPOLITANA NEL MONDO" in form and "Indirizzo strategico: CULTURA" not in form
    )
    response = client.post(
        "/programmazione/obiettivi/nuovo/",
        {
            "level": "attivita",
            "parent": op.pk,
            "title": "Missione a Kyoto",
            "start_year": "2023",
            "end_year": "2023",
            "responsible_name": "Maria Rossi",
            "confidentiality": "interno",
            "position": "0",
            "code": "",
        },
    )
    activity = Objective.objects.get(title="Missione a Kyoto")
    assert (
        response.status_code == 302
        and response["Location"] == f"/programmazione/obiettivi/{activity.pk}/"
    )
    assert (
        activity.parent == op and activity.ente == op.ente and activity.responsible == "Maria Rossi"
    )


def test_it_refuses_a_parent_of_the_wrong_level_on_the_parent_field(
    client: Any, personas: dict[str, Any], seed: dict[str, Any]
) -> None:
    client.force_login(personas["responsabile"])
    response = client.post(
        "/programmazione/obiettivi/nuovo/",
        {
            "level": "attivita",
            "parent": seed["indirizzo"].pk,
            "title": "Fuori posto",
            "start_year": "2023",
            "end_year": "2023",
            "confidentiality": "interno",
            "position": "0",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors.get("parent")
    assert 'value="Fuori posto"' in response.content.decode()
    assert not Objective.objects.filter(title="Fuori posto").exists()


def _edit_data(op: Objective, **changes: Any) -> dict[str, Any]:
    data = {
        "level": op.level,
        "parent": op.parent_id,
        "code": op.code,
        "title": op.title,
        "mandate": op.mandate,
        "responsible_name": op.responsible_name,
        "missione": op.missione_id,
        "programma": op.programma_id,
        "start_year": op.start_year,
        "end_year": op.end_year,
        "description": op.description,
        "position": op.position,
        "confidentiality": op.confidentiality,
        "version": op.version,
    }
    data.update(changes)
    return data


def test_the_responsabile_edits_an_objective(
    client: Any, personas: dict[str, Any], seed: dict[str, Any]
) -> None:
    op = seed["operational"]
    client.force_login(personas["responsabile"])
    response = client.post(
        f"/programmazione/obiettivi/{op.pk}/modifica/",
        _edit_data(op, responsible_name="Anna Bianchi"),
    )
    assert response.status_code == 302
    op.refresh_from_db()
    assert op.responsible_name == "Anna Bianchi" and op.version == 2
    history = client.get(f"/programmazione/obiettivi/{op.pk}/").content.decode()
    assert "Anna Bianchi" in history[history.index('id="storia"') :]


def test_an_edit_conflict_shows_the_other_change_and_keeps_what_was_typed(
    client: Any, personas: dict[str, Any], seed: dict[str, Any]
) -> None:
    from ponti.planning import services

    op = seed["operational"]
    stale = _edit_data(op, title="IL MIO TITOLO")
    other = Objective.objects.get(pk=op.pk)
    other.responsible_name = "Giulia Verdi"
    services.save(other, user=personas["amministratore"], expected_version=other.version)
    client.force_login(personas["responsabile"])
    response = client.post(f"/programmazione/obiettivi/{op.pk}/modifica/", stale)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="conflict"' in html
    assert "Giulia Verdi" in html and 'value="IL MIO TITOLO"' in html
    assert Objective.objects.get(pk=op.pk).title == "LA CITTÀ METROPOLITANA NEL MONDO"


def test_deleting_an_objective_with_children_is_refused_with_a_message(
    client: Any, personas: dict[str, Any], seed: dict[str, Any]
) -> None:
    strategic = seed["strategic"]
    client.force_login(personas["responsabile"])
    response = client.post(f"/programmazione/obiettivi/{strategic.pk}/elimina/", follow=True)
    assert Objective.objects.filter(pk=strategic.pk).exists()
    assert "non è stato eliminato" in response.content.decode()


def test_deleting_a_leaf_objective_works(
    client: Any, personas: dict[str, Any], seed: dict[str, Any]
) -> None:
    leaf = Objective.objects.create(
        ente=seed["operational"].ente,
        level="attivita",
        parent=seed["operational"],
        title="Da togliere",
        start_year=2022,
        end_year=2022,
    )
    client.force_login(personas["responsabile"])
    assert client.post(f"/programmazione/obiettivi/{leaf.pk}/elimina/").status_code == 302
    assert not Objective.objects.filter(pk=leaf.pk).exists()


def test_the_responsabile_creates_an_indicator_and_sets_a_target(
    client: Any, personas: dict[str, Any], seed: dict[str, Any]
) -> None:
    op = seed["operational"]
    client.force_login(personas["responsabile"])
    response = client.post(
        f"/programmazione/obiettivi/{op.pk}/indicatori/nuovo/",
        {
            "name": "Incontri con rappresentanti internazionali",
            "unit": "numero",
            "direction": "up",
            "baseline": "",
            "baseline_year": "",
            "metric": "",
            "position": "0",
        },
    )
    indicator = Indicator.objects.get(objective=op)
    assert (
        response.status_code == 302
        and response["Location"] == f"/programmazione/indicatori/{indicator.pk}/valori/"
    )
    response = client.post(
        f"/programmazione/indicatori/{indicator.pk}/valori/",
        {
            "target_2022": "12",
            "actual_2022": "14",
            "source_2022": "Registro incontri",
            "target_2023": "15",
            "actual_2023": "",
            "source_2023": "",
            "target_2024": "",
            "actual_2024": "",
            "source_2024": "",
        },
    )
    assert response.status_code == 302
    values = {v.year: v for v in indicator.values.all()}
    assert set(values) == {2022, 2023}
    assert values[2022].target == Decimal("12.00") and values[2022].actual == Decimal("14.00")
    page = client.get(f"/programmazione/obiettivi/{op.pk}/").content.decode()
    table = page[page.index(f'id="indicator-{indicator.pk}-table"') :]
    assert "Registro incontri" in table and "Sì" in table
    assert f'aria-labelledby="chart-indicator-{indicator.pk}-title' in page


def test_an_actual_without_its_source_is_refused_on_that_year(
    client: Any, personas: dict[str, Any], indicator: Any
) -> None:
    client.force_login(personas["responsabile"])
    response = client.post(
        f"/programmazione/indicatori/{indicator.pk}/valori/",
        {
            "target_2022": "3",
            "actual_2022": "2",
            "source_2022": "",
            "target_2023": "abc",
        },
    )
    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors.get("source_2022") and form.errors.get("target_2023")
    assert 'value="abc"' in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_a_computed_indicator_shows_the_metric_and_takes_no_actual(
    client: Any, personas: dict[str, Any], seed: dict[str, Any]
) -> None:
    from ponti.planning.registry import metric_choices

    choices = metric_choices()
    if not choices:
        pytest.skip("no metric registered")
    code, label = choices[0]
    indicator = Indicator.objects.create(
        objective=seed["operational"], name="Calcolato", metric=code
    )
    client.force_login(personas["responsabile"])
    form_html = client.get(f"/programmazione/indicatori/{indicator.pk}/valori/").content.decode()
    assert "actual_2022" not in form_html and "target_2022" in form_html
    page = client.get(f"/programmazione/obiettivi/{seed['operational'].pk}/").content.decode()
    assert f"calcolato da Ponti: {label}" in page


def test_an_example_indicator_carries_the_example_banner(
    client: Any, personas: dict[str, Any], seed: dict[str, Any]
) -> None:
    Indicator.objects.create(objective=seed["operational"], name="Di prova", example=True)
    client.force_login(personas["revisore"])
    html = client.get(f"/programmazione/obiettivi/{seed['operational'].pk}/").content.decode()
    assert html.count("Importi di esempio: non sono cifre reali dell") >= 2


def test_an_indicator_edit_conflict_keeps_the_typed_name(
    client: Any, personas: dict[str, Any], indicator: Any
) -> None:
    from ponti.planning import services

    other = Indicator.objects.get(pk=indicator.pk)
    other.unit = "accordi"
    services.save(other, user=personas["amministratore"], expected_version=other.version)
    client.force_login(personas["responsabile"])
    response = client.post(
        f"/programmazione/indicatori/{indicator.pk}/modifica/",
        {
            "name": "Nome nuovo",
            "unit": "numero",
            "direction": "up",
            "metric": "",
            "position": "0",
            "version": "1",
        },
    )
    html = response.content.decode()
    assert 'id="conflict"' in html and "accordi" in html and 'value="Nome nuovo"' in html


def test_deleting_an_indicator(client: Any, personas: dict[str, Any], indicator: Any) -> None:
    client.force_login(personas["responsabile"])
    assert client.get(f"/programmazione/indicatori/{indicator.pk}/elimina/").status_code == 200
    assert client.post(f"/programmazione/indicatori/{indicator.pk}/elimina/").status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_reached_follows_the_direction_of_good(
    client: Any, personas: dict[str, Any], seed: dict[str, Any]
) -> None:
    from ponti.planning import services

    indicator = Indicator.objects.create(
        objective=seed["operational"], name="Giorni di attesa", direction="down"
    )
    services.set_indicator_value(
        indicator,
        year=2022,
        user=personas["responsabile"],
        target=Decimal("30"),
        actual=Decimal("25"),
        source="Protocollo",
    )
    services.set_indicator_value(
        indicator,
        year=2023,
        user=personas["responsabile"],
        target=Decimal("30"),
        actual=Decimal("35"),
        source="Protocollo",
    )
    client.force_login(personas["revisore"])
    html = client.get(f"/programmazione/obiettivi/{seed['operational'].pk}/").content.decode()
    table = html[html.index(f'id="indicator-{indicator.pk}-table"') :]
    table = table[: table.index("</table>")]
    rows = table.split("<tr>")
    row_2022 = next(r for r in rows if ">2022<" in r)
    row_2023 = next(r for r in rows if ">2023<" in r)
    assert "Sì" in row_2022 and "No" not in row_2022
    assert "No" in row_2023 and "Sì" not in row_2023


def test_a_duplicate_code_is_refused_on_the_code_field(
    client: Any, personas: dict[str, Any], seed: dict[str, Any]
) -> None:
    client.force_login(personas["responsabile"])
    response = client.post(
        "/programmazione/obiettivi/nuovo/",
        {
            "level": "operativo",
            "parent": seed["strategic"].pk,
            "code": "1901/0159",
            "title": "Doppione",
            "start_year": "2022",
            "end_year": "2024",
            "confidentiality": "interno",
            "position": "0",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors.get("code")
    assert not Objective.objects.filter(title="Doppione").exists()
