"""The CERV eligibility check, against hand-worked cases (each stated in the test)."""

from __future__ import annotations

from typing import Any

import pytest

from ponti.opportunities import eligibility
from ponti.opportunities.eligibility import NETWORKS_OF_TOWNS, SCHEMES, TOWN_TWINNING, Participant
from tests.api.helpers import token_client

FIRENZE = Participant("Firenze", "IT", "city")
TT = SCHEMES[TOWN_TWINNING]
NT = SCHEMES[NETWORKS_OF_TOWNS]


def _town(name: str, country: str, kind: str = "city") -> Participant:
    return Participant(name, country, kind)


def _rules(result: eligibility.Eligibility) -> dict[str, bool]:
    return {r.code: r.passed for r in result.rules}


def test_town_twinning_passes_with_a_town_of_a_second_eligible_country() -> None:
    # Firenze (IT, EU) + Reims (FR, EU): 2 eligible countries, at least one EU member state.
    result = eligibility.check(TT, FIRENZE, [_town("Reims", "FR")])
    assert result.passed
    assert result.countries == ["FR", "IT"]
    assert "Almeno 2 paesi ammissibili diversi: ne risultano 2" in result.rules[1].text


def test_town_twinning_fails_with_towns_of_one_country_only() -> None:
    # Firenze + Prato + Siena: three towns, but all Italian, so only 1 country.
    result = eligibility.check(TT, FIRENZE, [_town("Prato", "IT"), _town("Siena", "IT")])
    assert not result.passed
    assert _rules(result) == {"countries_eligible": True, "min_countries": False, "eu_member": True}


def test_town_twinning_passes_with_an_associated_country() -> None:
    # Firenze (IT) + Tirana (AL, associated to CERV): 2 eligible countries, IT is EU.
    assert eligibility.check(TT, FIRENZE, [_town("Tirana", "AL")]).passed


def test_a_partner_of_a_country_not_eligible_fails_and_does_not_count() -> None:
    # Firenze + Edimburgo (GB, neither EU nor associated): GB does not count, 1 country.
    result = eligibility.check(TT, FIRENZE, [_town("Edimburgo", "GB")])
    assert not result.passed
    assert _rules(result)["countries_eligible"] is False
    assert "Edimburgo" in result.rules[0].text
    assert result.countries == ["IT"]


def test_without_an_eu_member_state_it_fails() -> None:
    # An ente outside the EU (Tirana) with Belgrado: 2 eligible countries, none in the EU.
    result = eligibility.check(TT, _town("Tirana", "AL"), [_town("Belgrado", "RS")])
    assert _rules(result) == {"countries_eligible": True, "min_countries": True, "eu_member": False}


def test_a_university_is_not_a_municipality_for_town_twinning() -> None:
    # Firenze + the University of Lyon (FR): not a town, so France does not count.
    result = eligibility.check(TT, FIRENZE, [_town("Université de Lyon", "FR", "university")])
    assert not result.passed
    assert "Université de Lyon" in next(r.text for r in result.rules if r.code == "kinds")


def test_networks_of_towns_needs_five_from_three_countries() -> None:
    # 5 participants (Firenze + 4) from IT, FR, DE: passes.
    partners = [
        _town("Reims", "FR"),
        _town("Lione", "FR"),
        _town("Colonia", "DE"),
        _town("Prato", "IT"),
    ]
    assert eligibility.check(NT, FIRENZE, partners).passed
    # 4 participants from 3 countries: one short.
    short = eligibility.check(NT, FIRENZE, partners[:2] + partners[2:3])
    assert _rules(short)["min_participants"] is False
    assert "ne contano 4" in next(r.text for r in short.rules if r.code == "min_participants")
    # 5 participants from 2 countries only (IT, FR): fails on countries.
    two = [_town("Reims", "FR"), _town("Lione", "FR"), _town("Prato", "IT"), _town("Siena", "IT")]
    result = eligibility.check(NT, FIRENZE, two)
    assert _rules(result)["min_participants"] and not _rules(result)["min_countries"]
    # An association of municipalities counts for Networks of Towns (not for Town-Twinning).
    with_ngo = [*partners[:3], _town("Associazione dei comuni sloveni", "SI", "ngo")]
    assert eligibility.check(NT, FIRENZE, with_ngo).passed


def test_the_list_of_countries_is_dated_and_has_the_eu_and_the_associated() -> None:
    assert len(eligibility.EU_MEMBER_STATES) == 27
    assert {"AL", "BA", "XK", "ME", "MK", "RS", "UA"} == eligibility.CERV_ASSOCIATED_COUNTRIES
    assert eligibility.CERV_ASSOCIATED_COUNTRIES_AS_OF.startswith("2026")


@pytest.mark.django_db
def test_which_opportunities_it_applies_to(make_opportunity: Any) -> None:
    assert eligibility.scheme_for(make_opportunity()) is TT
    nt = make_opportunity(topic_identifier="CERV-2026-CITIZENS-TOWN-NT")
    assert eligibility.scheme_for(nt) is NT
    horizon = make_opportunity(
        programme=None, call_identifier="HORIZON-MISS-2026-CIT-01", topic_identifier="HORIZON-1"
    )
    assert eligibility.scheme_for(horizon) is None


@pytest.mark.django_db
def test_the_api_checks_the_partners_given(
    make_opportunity: Any, make_org: Any, personas: Any, other_ente: Any, make_user: Any
) -> None:
    opportunity = make_opportunity()
    reims = make_org(name="Reims", country="FR")
    api = token_client(personas["revisore"])
    url = f"/opportunities/{opportunity.pk}/eligibility"
    response = api.post(url, {"partner_ids": [reims.pk]})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["passed"] is True and body["scheme"] == "TT"
    assert [r["code"] for r in body["rules"]] == [
        "countries_eligible",
        "min_countries",
        "eu_member",
    ]
    assert api.post(url, {"partner_ids": []}).json()["passed"] is False
    secret = make_org(name="Segreta", confidentiality="riservato")
    hidden = api.post(url, {"partner_ids": [secret.pk]})
    assert hidden.status_code == 422 and "Segreta" not in hidden.content.decode()
    stranger = make_user("ufficio", username="prato", enti=[other_ente])
    assert token_client(stranger).post(url, {"partner_ids": [reims.pk]}).status_code == 404
    horizon = make_opportunity(programme=None, call_identifier="X", topic_identifier="X-1")
    assert (
        api.post(f"/opportunities/{horizon.pk}/eligibility", {"partner_ids": []}).status_code == 422
    )


@pytest.mark.django_db
def test_the_page_checks_the_partners_picked(
    client: Any, make_opportunity: Any, make_org: Any, personas: Any
) -> None:
    from ponti.agreements.models import Agreement

    opportunity = make_opportunity()
    reims = make_org(name="Reims", country="FR")
    agreement = Agreement.objects.create(
        ente=opportunity.ente, kind="gemellaggio", title="Gemellaggio", status="attivo"
    )
    agreement.partners.add(reims)
    client.force_login(personas["revisore"])
    page = client.get(f"/opportunita/{opportunity.pk}/").content.decode()
    assert "Ammissibilità CERV" in page and 'id="eligibility-result"' not in page
    passed = client.get(
        f"/opportunita/{opportunity.pk}/?check=1&partner={reims.pk}"
    ).content.decode()
    assert "Ammissibile secondo le regole del bando" in passed
    alone = client.get(f"/opportunita/{opportunity.pk}/?check=1").content.decode()
    assert "Non ammissibile" in alone
