"""Partner matching: the ranking, its reasons, the reader's clearance, and its cost in queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ponti.opportunities import matching
from tests.api.helpers import token_client

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def agree(ente: Any) -> Callable[..., Any]:
    from ponti.agreements.models import Agreement

    def make(org: Any, title: str, *, quiet_years: int = 0, **kwargs: Any) -> Any:
        values = {
            "ente": ente,
            "kind": "gemellaggio",
            "title": title,
            "status": "attivo",
            "last_activity_on": TODAY - datetime.timedelta(days=365 * quiet_years + 10),
            "confidentiality": "interno",
        }
        values.update(kwargs)
        agreement = Agreement.objects.create(**values)
        agreement.partners.add(org)
        return agreement

    return make


def _by_name(ranking: matching.Ranking) -> dict[str, matching.Match]:
    return {m.name: m for m in ranking.matches}


def test_a_twin_in_force_ranks_above_a_dormant_one_and_the_reason_says_so(
    make_opportunity: Any, make_org: Any, agree: Any, personas: Any
) -> None:
    opportunity = make_opportunity()
    live = make_org(name="Reims")
    quiet = make_org(name="Aquisgrana", country="DE")
    agree(live, "Gemellaggio con Reims")
    agree(quiet, "Gemellaggio con Aquisgrana", quiet_years=3)  # dormancy: 24 months
    ranking = matching.rank(opportunity, personas["ufficio"], today=TODAY)
    assert [m.name for m in ranking.matches] == ["Reims", "Aquisgrana"]
    reims, aachen = ranking.matches
    assert reims.score == matching.AGREEMENT_IN_FORCE
    assert [r.code for r in reims.reasons] == ["agreement_in_force"]
    assert "Gemellaggio con Reims" in reims.reasons[0].text
    assert aachen.score == matching.AGREEMENT_DORMANT
    assert aachen.reasons[0].code == "agreement_dormant"
    assert "dormiente" in aachen.reasons[0].text


def test_a_riservato_agreement_contributes_nothing_for_a_reader_without_clearance(
    make_opportunity: Any, make_org: Any, agree: Any, make_user: Any
) -> None:
    opportunity = make_opportunity()
    secret = make_org(name="Kyiv", country="UA")
    agree(secret, "Accordo segretissimo", confidentiality="riservato")
    reader = make_user("ufficio", username="interno", clearance="interno")
    cleared = make_user("ufficio", username="riservato", clearance="riservato")
    assert matching.rank(opportunity, reader, today=TODAY).matches == []
    shown = matching.rank(opportunity, cleared, today=TODAY).matches
    assert [m.name for m in shown] == ["Kyiv"]
    # Nor through a twin of the secret partner: the bond names nothing the reader may not see.
    from ponti.agreements.bonds import KnownBond, ordered

    third = make_org(name="Leopoli", country="UA")
    first, second = ordered(secret.pk, third.pk)
    KnownBond.objects.create(first_id=first, second_id=second)
    texts = [
        r.text for m in matching.rank(opportunity, reader, today=TODAY).matches for r in m.reasons
    ]
    assert not any("segretissimo" in t or "Kyiv" in t for t in texts)


def test_partners_outside_the_eligible_countries_are_left_out_and_counted(
    make_opportunity: Any, make_org: Any, agree: Any, personas: Any
) -> None:
    opportunity = make_opportunity(countries=["IT", "FR"])
    agree(make_org(name="Reims"), "Gemellaggio con Reims")
    agree(make_org(name="Edimburgo", country="GB"), "Gemellaggio con Edimburgo")
    ranking = matching.rank(opportunity, personas["ufficio"], today=TODAY)
    assert [m.name for m in ranking.matches] == ["Reims"]
    assert ranking.excluded_by_country == 1
    assert ranking.eligible_countries == ["FR", "IT"]


def test_a_cerv_call_without_countries_uses_cervs_eligible_countries(
    make_opportunity: Any, make_org: Any, agree: Any, personas: Any
) -> None:
    opportunity = make_opportunity(countries=[])
    agree(make_org(name="Tirana", country="AL"), "Amicizia con Tirana")
    agree(make_org(name="Edimburgo", country="GB"), "Gemellaggio con Edimburgo")
    ranking = matching.rank(opportunity, personas["ufficio"], today=TODAY)
    assert [m.name for m in ranking.matches] == ["Tirana"]
    assert ranking.source_of_countries == "cerv"


def test_twins_of_the_entes_twins_are_proposed_with_the_twin_named(
    make_opportunity: Any, make_org: Any, agree: Any, personas: Any
) -> None:
    from ponti.agreements.bonds import KnownBond, ordered

    opportunity = make_opportunity()
    reims = make_org(name="Reims")
    agree(reims, "Gemellaggio con Reims")
    twin = make_org(name="Salisburgo", country="AT")
    first, second = ordered(reims.pk, twin.pk)
    KnownBond.objects.create(first_id=first, second_id=second, kind="gemellaggio")
    matches = _by_name(matching.rank(opportunity, personas["ufficio"], today=TODAY))
    assert matches["Salisburgo"].score == matching.TWIN_OF_TWIN
    assert matches["Salisburgo"].reasons[0].text == ("Gemellata con Reims, già partner dell'ente.")
    # The ente's own partner is not proposed again as a twin of a twin.
    assert [r.code for r in matches["Reims"].reasons] == ["agreement_in_force"]


def test_networks_sectors_and_recent_meetings_add_up(
    ente: Any, make_opportunity: Any, make_org: Any, personas: Any
) -> None:
    from ponti.core.models import Sector
    from ponti.meetings.models import Meeting
    from ponti.networks.models import Membership, NetworkMember

    culture = Sector.objects.first()
    assert culture is not None
    opportunity = make_opportunity()
    opportunity.sectors.add(culture)
    recent, old = make_org(name="Lione"), make_org(name="Nantes")
    recent.sectors.add(culture)
    eurocities = make_org(name="Eurocities", kind="network", country="BE")
    Membership.objects.create(ente=ente, network=eurocities, status="attiva")
    NetworkMember.objects.create(network=eurocities, member=recent)
    NetworkMember.objects.create(network=eurocities, member=old)
    for org, day in (
        (recent, TODAY - datetime.timedelta(days=30)),
        (old, datetime.date(2016, 5, 1)),
    ):
        meeting = Meeting.objects.create(ente=ente, title="Incontro", status="svolto", date=day)
        meeting.counterparts.add(org)
    matches = _by_name(matching.rank(opportunity, personas["ufficio"], today=TODAY))
    assert "Eurocities" not in matches  # a network is a forum, not a partner to invite
    lyon, nantes = matches["Lione"], matches["Nantes"]
    assert [r.code for r in lyon.reasons] == ["sectors", "networks", "meetings"]
    assert "Eurocities" in lyon.reasons[1].text
    assert lyon.reasons[2].text == "1 incontro svolto con l'ente, l'ultimo il 01/11/2026."
    assert lyon.score > nantes.score
    nantes_meeting = next(r for r in nantes.reasons if r.code == "meetings")
    assert nantes_meeting.points < 1  # ten years ago: five half-lives
    assert [m.name for m in matching.rank(opportunity, personas["ufficio"], today=TODAY).matches][
        0
    ] == "Lione"


def test_the_ranking_costs_the_same_few_queries_for_hundreds_of_organisations(
    ente: Any, make_opportunity: Any, make_org: Any, agree: Any, personas: Any
) -> None:
    from ponti.agreements.bonds import KnownBond, ordered
    from ponti.meetings.models import Meeting
    from ponti.networks.models import Membership, NetworkMember

    opportunity = make_opportunity()
    user = personas["ufficio"]
    network = make_org(name="Rete", kind="network", country="BE")
    Membership.objects.create(ente=ente, network=network, status="attiva")

    def grow(n: int) -> None:
        orgs = [make_org(country="FR" if i % 3 else "DE") for i in range(n)]
        for i, org in enumerate(orgs):
            if i % 5 == 0:
                agree(org, f"Accordo {org.pk}", quiet_years=i % 2 * 3)
            if i % 4 == 0:
                NetworkMember.objects.create(network=network, member=org)
            if i % 7 == 0:
                meeting = Meeting.objects.create(
                    ente=ente, title="Incontro", status="svolto", date=TODAY
                )
                meeting.counterparts.add(org)
            if i % 5 == 1:
                first, second = ordered(orgs[i - 1].pk, org.pk)
                KnownBond.objects.create(first_id=first, second_id=second)

    grow(30)
    user = type(user).objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as small:
        matching.rank(opportunity, user, today=TODAY)
    grow(300)
    user = type(user).objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as large:
        ranking = matching.rank(opportunity, user, limit=None, today=TODAY)
    assert len(large) == len(small) <= 15, [q["sql"] for q in large.captured_queries]
    assert len(ranking.matches) > 200
    scores = [(-m.score, m.name.casefold(), m.organisation_id) for m in ranking.matches]
    assert scores == sorted(scores)  # deterministic: score, then name, then id


def test_the_api_ranks_with_reasons_under_the_opportunitys_permission(
    make_opportunity: Any, make_org: Any, agree: Any, personas: Any, other_ente: Any, make_user: Any
) -> None:
    opportunity = make_opportunity()
    agree(make_org(name="Reims"), "Gemellaggio con Reims")
    response = token_client(personas["revisore"]).get(f"/opportunities/{opportunity.pk}/partners")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["partners"][0]["name"] == "Reims"
    assert body["partners"][0]["reasons"][0]["code"] == "agreement_in_force"
    stranger = make_user("ufficio", username="prato", enti=[other_ente])
    assert (
        token_client(stranger).get(f"/opportunities/{opportunity.pk}/partners").status_code == 404
    )


def test_the_page_shows_the_partners_to_invite(
    client: Any, make_opportunity: Any, make_org: Any, agree: Any, personas: Any
) -> None:
    opportunity = make_opportunity()
    agree(make_org(name="Reims"), "Gemellaggio con Reims")
    client.force_login(personas["revisore"])
    page = client.get(f"/opportunita/{opportunity.pk}/").content.decode()
    assert "Partner da invitare" in page
    assert "Accordo in vigore e attivo: «Gemellaggio con Reims»." in page
