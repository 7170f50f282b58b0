"""Each computed indicator equals a count made by hand, for one ente and one year."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from ponti.agreements.models import Agreement
from ponti.meetings.models import Meeting
from ponti.networks.models import Membership, MembershipRole
from ponti.planning.models import Indicator
from ponti.planning.registry import done_sections, get_metric, metrics
from ponti.planning.services import indicator_years

UTC = datetime.UTC


def value(code: str, ente: Any, year: int) -> Decimal:
    metric = get_metric(code)
    assert metric is not None, code
    return metric.value(ente.pk, year)


def test_every_metric_the_issue_asks_for_is_registered() -> None:
    assert {
        "active_twinnings",
        "agreements_signed",
        "meetings_held",
        "delegations_received",
        "network_roles",
        "eu_funds_assessed",
    } <= set(metrics())


@pytest.fixture
def agreements(ente: Any, other_ente: Any) -> None:
    make = Agreement.objects.create
    make(
        ente=ente,
        kind="gemellaggio",
        title="A: firmato 2019, attivo",
        status="attivo",
        signed_on=datetime.date(2019, 5, 1),
    )
    make(
        ente=ente,
        kind="amicizia",
        title="B: solo anno 2023, attivo",
        status="attivo",
        signed_on=datetime.date(2023, 1, 1),
        signed_precision="year",
    )
    make(
        ente=ente,
        kind="gemellaggio",
        title="C: concluso nel 2023",
        status="concluso",
        signed_on=datetime.date(2010, 1, 1),
        signed_precision="year",
        end_date=datetime.date(2023, 6, 30),
    )
    make(
        ente=ente,
        kind="gemellaggio",
        title="D: concluso senza data",
        status="concluso",
        signed_on=datetime.date(2010, 1, 1),
        signed_precision="year",
    )
    make(
        ente=ente,
        kind="mou",
        title="E: MoU firmato 2023",
        status="firmato",
        signed_on=datetime.date(2023, 3, 2),
    )
    make(ente=ente, kind="gemellaggio", title="F: proposta", status="proposta")
    make(
        ente=ente,
        kind="fratellanza",
        title="G: sospeso",
        status="sospeso",
        signed_on=datetime.date(2001, 1, 1),
        signed_precision="year",
    )
    make(
        ente=other_ente,
        kind="gemellaggio",
        title="H: altro ente",
        status="attivo",
        signed_on=datetime.date(2000, 1, 1),
        signed_precision="year",
    )


def test_active_twinnings_and_pacts_equal_a_hand_count(ente: Any, agreements: None) -> None:
    # 2022: A, C (ended mid-2023). 2023: A, B, C. 2024: A, B. D (no end date), F, G, H never.
    assert value("active_twinnings", ente, 2022) == 2
    assert value("active_twinnings", ente, 2023) == 3
    assert value("active_twinnings", ente, 2024) == 2


def test_agreements_signed_in_the_year_equal_a_hand_count(ente: Any, agreements: None) -> None:
    assert value("agreements_signed", ente, 2023) == 2  # B (year only) and E (a date)
    assert value("agreements_signed", ente, 2019) == 1
    assert value("agreements_signed", ente, 2022) == 0


@pytest.fixture
def meetings(ente: Any, other_ente: Any) -> None:
    def make(
        title: str, *, ente: Any = ente, kind: str = "incontro", status: str = "svolto", **when: Any
    ) -> None:
        Meeting.objects.create(ente=ente, title=title, kind=kind, status=status, **when)

    make("1", starts_at=datetime.datetime(2023, 2, 1, 10, tzinfo=UTC))
    make("2", kind="delegazione", starts_at=datetime.datetime(2023, 5, 1, 10, tzinfo=UTC))
    make("3", kind="delegazione", date_precision="year", date=datetime.date(2023, 1, 1))
    make("4", kind="missione", date_precision="month", date=datetime.date(2023, 10, 1))
    make(
        "5 annullato",
        kind="delegazione",
        status="annullato",
        starts_at=datetime.datetime(2023, 6, 1, tzinfo=UTC),
    )
    make("6 confermato", status="confermato", starts_at=datetime.datetime(2023, 12, 1, tzinfo=UTC))
    make(
        "7 anno prima",
        kind="delegazione",
        starts_at=datetime.datetime(2022, 12, 31, 10, tzinfo=UTC),
    )
    make(
        "8 riservato",
        kind="delegazione",
        confidentiality="riservato",
        starts_at=datetime.datetime(2023, 7, 1, tzinfo=UTC),
    )
    make("9 altro ente", ente=other_ente, starts_at=datetime.datetime(2023, 7, 1, tzinfo=UTC))


def test_meetings_and_delegations_equal_a_hand_count(ente: Any, meetings: None) -> None:
    assert value("meetings_held", ente, 2023) == 5  # 1, 2, 3, 4, 8
    assert value("delegations_received", ente, 2023) == 3  # 2, 3, 8
    assert value("delegations_received", ente, 2022) == 1


def test_the_report_lists_only_what_the_reader_may_see(
    ente: Any, meetings: None, personas: dict[str, Any]
) -> None:
    sections = {s.code: s for s in done_sections(personas["revisore"], ente.pk, 2023)}
    assert [i.title for i in sections["delegations"].items] == ["3", "2"] or {
        i.title for i in sections["delegations"].items
    } == {"2", "3"}
    assert "8 riservato" not in [i.title for i in sections["delegations"].items]
    everything = {s.code: s for s in done_sections(None, ente.pk, 2023)}
    assert {i.title for i in everything["delegations"].items} == {"2", "3", "8 riservato"}
    assert {i.title for i in everything["meetings"].items} == {"1", "4"}
    assert next(i.when for i in everything["delegations"].items if i.title == "3") == "2023"


def test_network_roles_held_in_the_year_equal_a_hand_count(ente: Any, make_org: Any) -> None:
    network = make_org(name="Eurocities", kind="network", country="BE", city="Bruxelles")
    membership = Membership.objects.create(ente=ente, network=network, since_year=2003)
    MembershipRole.objects.create(membership=membership, kind="comitato_esecutivo", start_year=2015)
    MembershipRole.objects.create(
        membership=membership,
        kind="vicepresidenza",
        start_date=datetime.date(2018, 11, 30),
        end_date=datetime.date(2020, 11, 1),
    )
    MembershipRole.objects.create(membership=membership, kind="membro", start_year=2003)
    MembershipRole.objects.create(membership=membership, kind="presidenza_gruppo", start_year=2024)
    assert value("network_roles", ente, 2014) == 0
    assert value("network_roles", ente, 2019) == 2
    assert value("network_roles", ente, 2021) == 1
    assert value("network_roles", ente, 2024) == 2


def test_eu_funds_assessed_sum_the_accertato_on_titolo_2_tipologia_105(
    ente: Any, make_line: Any, other_ente: Any
) -> None:
    make_line("210", "entrata", amounts={2023: ("50000", "12500.25"), 2024: ("1", "1")})
    make_line("211", "entrata", amounts={2023: ("10000", "1000.50")})
    from ponti.planning.models import BudgetCode

    other_tipologia = BudgetCode.objects.get(level="tipologia", side="entrata", code="20101")
    make_line("212", "entrata", category=other_tipologia, amounts={2023: ("900", "900")})
    make_line("1450", "spesa", amounts={2023: ("700", "700")})
    make_line("210", "entrata", ente=other_ente, amounts={2023: ("800", "800")})
    assert value("eu_funds_assessed", ente, 2023) == Decimal("13500.75")
    assert value("eu_funds_assessed", ente, 2024) == Decimal("1.00")
    assert value("eu_funds_assessed", ente, 2022) == Decimal("0.00")


def test_an_indicator_with_a_metric_shows_the_computed_actual(
    seed: dict[str, Any], meetings: None
) -> None:
    indicator = Indicator.objects.create(
        objective=seed["operational"], name="Delegazioni", metric="delegations_received"
    )
    rows = {row.year: row for row in indicator_years(indicator)}
    assert [rows[y].actual for y in (2022, 2023, 2024)] == [1, 3, 0]
    assert rows[2023].computed and "Delegazioni ricevute" in rows[2023].source


def test_active_twinnings_of_past_years_follow_the_recorded_transitions(ente: Any) -> None:
    from ponti.agreements.models import TransitionRecord

    def moment(y: int, m: int, d: int) -> datetime.datetime:
        return datetime.datetime(y, m, d, 12, tzinfo=UTC)

    suspended = Agreement.objects.create(
        ente=ente,
        kind="gemellaggio",
        title="Sospeso nel 2023",
        status="sospeso",
        signed_on=datetime.date(2019, 5, 1),
    )
    TransitionRecord.objects.create(
        agreement=suspended, source="firmato", target="attivo", at=moment(2019, 6, 1)
    )
    TransitionRecord.objects.create(
        agreement=suspended, source="attivo", target="sospeso", at=moment(2023, 6, 1)
    )
    late = Agreement.objects.create(
        ente=ente,
        kind="amicizia",
        title="Attivo dal 2024",
        status="attivo",
        signed_on=datetime.date(2023, 11, 2),
    )
    TransitionRecord.objects.create(
        agreement=late, source="proposta", target="firmato", at=moment(2024, 1, 10)
    )
    TransitionRecord.objects.create(
        agreement=late, source="firmato", target="attivo", at=moment(2024, 2, 1)
    )
    assert value("active_twinnings", ente, 2022) == 1  # the first, in force all year
    # 2023: the first until June; the second was only a proposal.
    assert value("active_twinnings", ente, 2023) == 1
    assert value("active_twinnings", ente, 2024) == 1  # the second; the first is suspended
