"""Document downloads: every role reads, other enti get 404, unknown formats and years are 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "fmt,ctype",
    [
        ("pdf", "application/pdf"),
        ("odt", "application/vnd.oasis.opendocument.text"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_a_revisore_downloads_the_sheet(
    seed_budget: dict[str, Any], personas: dict[str, Any], fmt: str, ctype: str
) -> None:
    response = client_for(personas["revisore"]).get(
        reverse("planning:objective_sheet", args=[seed_budget["operational"].pk, fmt])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == ctype
    assert response["Content-Disposition"] == f'attachment; filename="scheda-DUP-1901-0159.{fmt}"'
    assert response["Cache-Control"] == "private, no-store"


def test_the_html_sheet_is_shown_inline(
    seed_budget: dict[str, Any], personas: dict[str, Any]
) -> None:
    response = client_for(personas["segreteria"]).get(
        reverse("planning:objective_sheet", args=[seed_budget["operational"].pk, "html"])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert "OBIETTIVO OPERATIVO" in response.content.decode()


def test_a_revisore_downloads_the_progress_report(
    seed_budget: dict[str, Any], personas: dict[str, Any]
) -> None:
    url = reverse("planning:progress_report", args=[seed_budget["operational"].pk, 2023, "pdf"])
    response = client_for(personas["revisore"]).get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert 'filename="stato-di-attuazione-1901-0159-2023.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_a_user_of_another_ente_gets_404(
    seed_budget: dict[str, Any], make_user: Any, other_ente: Any
) -> None:
    stranger = make_user("ufficio", username="prato", enti=[other_ente])
    client = client_for(stranger)
    pk = seed_budget["operational"].pk
    assert client.get(reverse("planning:objective_sheet", args=[pk, "pdf"])).status_code == 404
    assert (
        client.get(reverse("planning:progress_report", args=[pk, 2023, "pdf"])).status_code == 404
    )


def test_an_unknown_format_or_a_year_outside_the_horizon_is_404(
    seed_budget: dict[str, Any], personas: dict[str, Any]
) -> None:
    client = client_for(personas["ufficio"])
    pk = seed_budget["operational"].pk
    assert client.get(reverse("planning:objective_sheet", args=[pk, "rtf"])).status_code == 404
    assert (
        client.get(reverse("planning:progress_report", args=[pk, 2023, "xls"])).status_code == 404
    )
    assert (
        client.get(reverse("planning:progress_report", args=[pk, 2030, "pdf"])).status_code == 404
    )


def test_it_sends_an_anonymous_visitor_to_the_login(seed: dict[str, Any]) -> None:
    response = Client().get(
        reverse("planning:objective_sheet", args=[seed["operational"].pk, "pdf"])
    )
    assert response.status_code == 302


def test_the_xlsx_holds_only_the_visible_lines_filtered_by_the_query(
    seed_budget: dict[str, Any], personas: dict[str, Any], make_line: Any
) -> None:
    from tests.exports.helpers import body, xlsx_rows

    make_line(
        "9999",
        description="Capitolo riservato",
        confidentiality="riservato",
        amounts={2023: ("100.00",)},
    )
    client = client_for(personas["revisore"])  # clearance: interno
    response = client.get(reverse("planning:lines_xlsx") + "?side=spesa&year=2023")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="capitoli-di-bilancio-')
    assert response["Cache-Control"] == "private, no-store"
    rows = xlsx_rows(body(response))[1:]
    assert sorted((r[2], r[8]) for r in rows) == [("1450", 2023), ("1451", 2023)]
    everything = client_for(personas["ufficio"]).get(reverse("planning:lines_xlsx"))
    numbers = {r[2] for r in xlsx_rows(body(everything))[1:]}
    assert numbers == {"1450", "1451", "210", "9999"}


def test_the_sheet_hides_what_the_reader_may_not_see_even_in_the_totals(
    seed_budget: dict[str, Any], personas: dict[str, Any], make_line: Any
) -> None:
    strategic = seed_budget["strategic"]
    strategic.confidentiality = "riservato"
    strategic.save()
    make_line(
        "9999",
        objective=seed_budget["operational"],
        description="Capitolo riservato",
        confidentiality="riservato",
        amounts={2022: ("1234.00",)},
    )
    url = reverse("planning:objective_sheet", args=[seed_budget["operational"].pk, "html"])
    revisore = client_for(personas["revisore"]).get(url).content.decode()  # clearance: interno
    assert "(descrizione riservata)" in revisore and "Lo Statuto" not in revisore
    assert "Capitolo riservato" not in revisore
    assert "Alcuni capitoli riservati non sono elencati né compresi nei totali" in revisore
    assert (
        "25.000,00" in revisore and "26.234,00" not in revisore
    )  # Totali Spesa 2022 without the riservato line
    ufficio = client_for(personas["ufficio"]).get(url).content.decode()  # clearance: riservato
    assert "Lo Statuto" in ufficio and "Capitolo riservato" in ufficio
    assert "26.234,00" in ufficio  # 20.000 + 5.000 + 1.234
    assert "Alcuni capitoli" not in ufficio
