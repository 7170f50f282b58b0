"""Importing network memberships: networks through the matcher, since a day or a year, undoable."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from .helpers import csv_bytes, real_export, run, undo, xlsx_bytes

HEADER = [
    "Rete",
    "Paese della rete",
    "Dal",
    "Ruoli in corso",
    "Quota annuale (€)",
    "Anno della quota",
]


@pytest.fixture
def ufficio(personas: dict[str, Any]) -> Any:
    return personas["ufficio"]


@pytest.fixture
def eurocities(make_org: Any) -> Any:
    return make_org(name="Eurocities", kind="network", country="BE", city="Bruxelles")


def snapshot() -> list[tuple[Any, ...]]:
    from ponti.networks.models import Fee, Membership, MembershipRole
    from ponti.partners.models import Organisation

    return [
        *Membership.objects.order_by("pk").values_list(
            "pk", "network_id", "since", "since_year", "status", "version"
        ),
        *MembershipRole.objects.order_by("pk").values_list("pk", "kind"),
        *Fee.objects.order_by("pk").values_list("pk", "year", "amount"),
        *Organisation.objects.order_by("pk").values_list("pk", "name"),
    ]


def test_it_creates_memberships_roles_fees_and_new_networks(
    ufficio: Any, ente: Any, eurocities: Any
) -> None:
    from ponti.networks.models import Membership

    data = csv_bytes(
        HEADER,
        ["EUROCITIES", "", "2003", "Comitato esecutivo", "12.500,00", "2024"],
        ["Climate Alliance", "Germania", "15/03/2010", "", "", ""],
    )
    report = run("memberships", data, ufficio, ente)
    assert report.status == "done", report
    assert report.counts == {"nuovo": 2}
    member = Membership.objects.get(network=eurocities)
    assert (member.ente, member.since_year, member.since, member.status) == (
        ente,
        2003,
        None,
        "attiva",
    )
    assert [r.kind for r in member.roles.all()] == ["comitato_esecutivo"]
    assert member.fees.get().amount == Decimal("12500.00")
    climate = Membership.objects.get(network__name="Climate Alliance")
    assert climate.since == datetime.date(2010, 3, 15) and climate.network.kind == "network"


def test_a_second_run_creates_nothing(ufficio: Any, ente: Any, eurocities: Any) -> None:
    data = xlsx_bytes(HEADER, ["Eurocities", "", 2003, "Comitato esecutivo", 12500, 2024])
    assert run("memberships", data, ufficio, ente, filename="m.xlsx").counts == {"nuovo": 1}
    before = snapshot()
    again = run("memberships", data, ufficio, ente, filename="m.xlsx")
    assert again.counts == {"invariato": 1}, again
    assert snapshot() == before


def test_bad_rows_are_refused_and_nothing_is_written(
    ufficio: Any, ente: Any, eurocities: Any, make_org: Any
) -> None:
    make_org(name="Comune di Lione", kind="city", country="FR")
    before = snapshot()
    data = csv_bytes(
        ["Rete", "Paese della rete", "Dal", "Stato", "Ruoli in corso", "Quota annuale (€)"],
        ["Rete Fantasma", "", "", "", "", ""],
        ["Eurocities", "", "ieri", "", "", ""],
        ["Eurocities", "", "", "Sospesissima", "", ""],
        ["Eurocities", "", "", "", "Imperatore", ""],
        ["Eurocities", "", "", "", "", "-5"],
        ["Comune di Lione", "", "", "", "", ""],
        ["Eurocities", "", "", "", "", ""],
        ["EUROCITIES", "", "", "", "", ""],
    )
    report = run("memberships", data, ufficio, ente)
    assert report.status == "refused", report
    errors = {n: " ".join(r.errors) for n, r in report.rows.items()}
    assert "Rete" in errors[2] and "Rete Fantasma" in errors[2] and "paese" in errors[2]
    assert "Dal" in errors[3] and "ieri" in errors[3]
    assert "Stato" in errors[4] and "Sospesissima" in errors[4]
    assert "Ruoli in corso" in errors[5] and "Imperatore" in errors[5]
    assert "Quota" in errors[6]
    assert "Rete" in errors[7]  # a city is not a network
    assert "riga 8" in errors[9]
    assert snapshot() == before


def test_undo_and_the_id_column(ufficio: Any, ente: Any, eurocities: Any) -> None:
    from ponti.networks.models import Membership

    before = snapshot()
    report = run(
        "memberships",
        csv_bytes(HEADER, ["Eurocities", "", "2003", "Membro", "100", "2024"]),
        ufficio,
        ente,
    )
    assert report.status == "done"
    assert undo(report, ufficio).status == "undone", report.batch.file_errors
    assert snapshot() == before
    member = Membership.objects.create(ente=ente, network=eurocities, since_year=2003)
    data = csv_bytes(
        ["ID", "Rete", "Aderente dall'anno", "Stato", "Fonte"],
        [member.pk, "Eurocities", "2005", "Sospesa", "delibera"],
    )
    report = run("memberships", data, ufficio, ente)
    assert report.counts == {"aggiornato": 1}, report
    member.refresh_from_db()
    assert (member.since_year, member.status, member.source) == (2005, "sospesa", "delibera")
    assert undo(report, ufficio).status == "undone"
    member.refresh_from_db()
    assert (member.since_year, member.status, member.source) == (2003, "attiva", "")


def test_a_role_that_may_not_add_memberships_is_refused(
    personas: dict[str, Any], ente: Any
) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(
            "memberships",
            csv_bytes(HEADER, ["Eurocities", "", "", "", "", ""]),
            personas["revisore"],
            ente,
        )


def _memberships(ente: Any, eurocities: Any, make_org: Any) -> list[Any]:
    from ponti.networks.models import Membership, MembershipRole

    one = Membership.objects.create(
        ente=ente, network=eurocities, since_year=2003, source="sito", notes="n", confidence="low"
    )
    MembershipRole.objects.create(membership=one, kind="vicepresidenza", start_year=2018)
    two = Membership.objects.create(
        ente=ente,
        network=make_org(name="Climate Alliance", kind="network", country="DE"),
        since=datetime.date(2010, 3, 15),
        until=datetime.date(2020, 1, 1),
        status="cessata",
    )
    return [one, two]


def test_an_exported_file_imports_unchanged(
    ufficio: Any, ente: Any, eurocities: Any, make_org: Any
) -> None:
    members = _memberships(ente, eurocities, make_org)
    before = snapshot()
    header = [
        "ID",
        "Rete",
        "Stato",
        "Aderente dall'anno",
        "Aderente dal",
        "Fino al",
        "Ruoli in corso",
        "Affidabilità dei dati",
        "Note",
        "Fonte",
        "Ente",
        "Riservatezza",
    ]
    rows = [
        [
            m.pk,
            m.network.name,
            m.get_status_display(),
            m.since_year or "",
            m.since.isoformat() if m.since else "",
            m.until.isoformat() if m.until else "",
            "; ".join(str(r.get_kind_display()) for r in m.current_roles()),
            m.get_confidence_display(),
            m.notes,
            m.source,
            m.ente.name,
            m.get_confidentiality_display(),
        ]
        for m in members
    ]
    report = run("memberships", csv_bytes(header, *rows), ufficio, ente)
    assert report.counts == {"invariato": 2}, report
    assert snapshot() == before


def test_the_real_export_imports_unchanged(
    ufficio: Any, ente: Any, eurocities: Any, make_org: Any
) -> None:
    from django.utils import translation

    from ponti.networks import tables
    from ponti.networks.models import Membership

    _memberships(ente, eurocities, make_org)
    before = snapshot()
    for language, fmt in (("it", "csv"), ("en", "xlsx"), ("it", "ods")):
        with translation.override(language):
            data = real_export(
                "ponti.networks.tables",
                "MEMBERSHIP_COLUMNS",
                tables.for_export(Membership.objects.all()),
                fmt,
            )
        report = run("memberships", data, ufficio, ente, filename=f"export.{fmt}")
        assert report.counts == {"invariato": 2}, (fmt, report)
    assert snapshot() == before
