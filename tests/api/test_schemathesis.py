"""Property-based fuzzing of the partner registry's OpenAPI operations with schemathesis.

In-process, through the WSGI application. Every operation gets schema-valid and
schema-invalid requests from schemathesis's examples, coverage and fuzzing phases, with the
Bearer token of the international relations office. Every default check must pass: no 5xx,
every status and content type declared, every body conforming to its schema, invalid data
rejected, undeclared methods answered 405, and a successful request repeated without or
with a wrong token refused.

One deliberate setting: valid-looking data may still be a 422. A JSON Schema cannot say
"this parent must exist", "this Wikidata id must be unused" or "the end is not before the
start", so `positive_data_acceptance` also accepts 422 (the other checks still hold it to
the declared 422 body).

Reproducible and bounded: a fixed seed, deterministic generation, no example database,
at most 25 fuzzed examples per operation.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from ponti.accounts.models import ApiToken
from ponti.core.models import Sector, Tag
from ponti.partners import services
from ponti.partners.models import Organisation, Person, Position
from tests import reporting

MAX_EXAMPLES = 25
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20250601,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422"],
            },
        },
    }
)

STATUSES: dict[int, int] = {}
CASES: dict[str, int] = {}  # operation label -> cases sent; reported by conftest at the end


@pytest.fixture
def registry(personas: dict[str, Any]) -> dict[str, Any]:
    """A small registry whose ids (1, 2, 3…) are the first ones schemathesis tries."""
    user = personas["ufficio"]
    government = Organisation.objects.create(
        name="Governo del Giappone", kind="government", country="JP"
    )
    kyoto = Organisation.objects.create(
        name="Kyoto", kind="city", country="JP", city="Kyoto", latitude="35.011636",
        longitude="135.768029", wikidata_id="Q34600", parent=government, confidentiality="pubblico",
    )  # fmt: skip
    kyoto.sectors.set(Sector.objects.filter(code__in=["cultura", "universita"]))
    kyoto.tags.add(Tag.objects.create(name="gemellaggio"))
    services.set_other_names(kyoto, {"ja": "京都市", "en": "Kyoto"}, user=user)
    Organisation.objects.create(
        name="Canale", kind="embassy", country="XK", confidentiality="riservato"
    )
    mayor = Person.objects.create(
        first_name="Daisaku", last_name="Kadokawa", email="mayor@example.org"
    )
    agent = Person.objects.create(first_name="James", last_name="Bond", confidentiality="riservato")
    Position.objects.create(
        person=mayor, organisation=kyoto, role="Sindaco", start_date=datetime.date(2008, 2, 25)
    )
    Position.objects.create(person=agent, organisation=government, role="Agente")
    from ponti.agreements.models import Agreement, Commitment

    pact = Agreement.objects.create(
        ente=user.enti.get(), kind="amicizia", title="Patto con Kyoto", status="attivo"
    )
    pact.partners.add(kyoto)
    Commitment.objects.create(agreement=pact, description="Mostra", owner=user)
    from ponti.meetings.models import FollowUpAction, Gift, Meeting, Participant, VisitRequest

    meeting = Meeting.objects.create(
        ente=pact.ente, title="Incontro con Kyoto", status="confermato",
        starts_at=datetime.datetime(2026, 5, 10, 9, tzinfo=datetime.UTC),
        talking_points="<p>Mostra</p>",
    )  # fmt: skip
    meeting.counterparts.add(kyoto)
    Participant.objects.create(meeting=meeting, side="controparte", person=mayor, role="Sindaco")
    VisitRequest.objects.create(ente=pact.ente, requester=kyoto, purpose="Visita di studio")
    FollowUpAction.objects.create(
        ente=pact.ente, meeting=meeting, description="Catalogo", owner=user
    )
    Gift.objects.create(
        ente=pact.ente, meeting=meeting, counterpart=kyoto, direction="ricevuto", description="Vaso"
    )
    from ponti.opportunities.models import Deadline, Opportunity

    call = Opportunity.objects.create(
        ente=pact.ente, title="Gemellaggio di città", topic_identifier="CERV-2026-CITIZENS-TOWN-TT"
    )
    Deadline.objects.create(
        opportunity=call, due_at=datetime.datetime(2026, 9, 15, 15, tzinfo=datetime.UTC)
    )
    _seed_planning(user)
    _token, raw = ApiToken.issue(user, "schemathesis")
    return {"headers": {"Authorization": f"Bearer {raw}"}}


def _seed_planning(user: Any) -> None:
    """The seed's objectives (1 indirizzo, 2 strategico, 3 operativo 1901/0159), an indicator
    entered by hand and one computed, two budget lines with amounts, a manual movement.

    The office's user becomes the Amministratore (the office's permissions and the
    Responsabile's), so that the planning write operations are fuzzed past their permission
    check."""
    from decimal import Decimal

    from ponti.accounts.services import place_in_ente
    from ponti.planning.models import (
        BudgetAmount,
        BudgetCode,
        BudgetLine,
        Indicator,
        IndicatorValue,
        Movement,
        Objective,
    )

    ente = user.enti.get()
    place_in_ente(user, ente, "amministratore")

    def code(level: str, value: str, side: str = "spesa") -> Any:
        return BudgetCode.objects.get(level=level, side=side, code=value)

    indirizzo = Objective.objects.create(
        ente=ente, level="indirizzo", title="CULTURA, TURISMO, SVILUPPO ECONOMICO, RELAZIONI INTERNAZIONALI",
        start_year=2019, end_year=2024, confidentiality="pubblico",
    )  # fmt: skip
    strategic = Objective.objects.create(
        ente=ente, level="strategico", parent=indirizzo, title="RELAZIONI INTERNAZIONALI",
        mandate="Mandato 2019_2024", responsible_name="Cristiano Maggipinto",
        missione=code("missione", "19"), start_year=2019, end_year=2024,
    )  # fmt: skip
    operational = Objective.objects.create(
        ente=ente, level="operativo", parent=strategic, code="1901/0159",
        title="LA CITTÀ METROPOLITANA NEL MONDO", missione=code("missione", "19"),
        programma=code("programma", "1901"), start_year=2022, end_year=2024,
    )  # fmt: skip
    by_hand = Indicator.objects.create(objective=operational, name="Delegazioni ricevute")
    IndicatorValue.objects.create(
        indicator=by_hand, year=2023, target=Decimal(4), actual=Decimal(5), source="Protocollo"
    )
    Indicator.objects.create(
        objective=operational, name="Fondi UE accertati", unit="euro", metric="eu_funds_assessed"
    )
    fees = BudgetLine.objects.create(
        ente=ente, number="1450", description="Quote associative", side="spesa",
        titolo=code("titolo", "1"), category=code("macroaggregato", "103"),
        programma=code("programma", "1901"), objective=operational,
    )  # fmt: skip
    eu = BudgetLine.objects.create(
        ente=ente, number="210", description="Fondi UE", side="entrata",
        titolo=code("titolo", "2", "entrata"), category=code("tipologia", "20105", "entrata"),
        objective=operational, example=True,
    )  # fmt: skip
    BudgetAmount.objects.create(
        line=fees, year=2023, initial=Decimal("20000"), committed=Decimal("18500.50")
    )
    BudgetAmount.objects.create(
        line=eu, year=2023, initial=Decimal("30000"), committed=Decimal("12500.25")
    )
    Movement.objects.create(
        line=fees,
        year=2023,
        amount=Decimal("1500"),
        description="Quota Eurocities",
        recorded_by=user,
    )


def _load_schema() -> Any:
    """Read at collection time from the WSGI app itself; serving the document needs no database.

    (`schemathesis.pytest.from_fixture` would load it lazily, but schemathesis 4.32.5's lazy
    loader uses `Node._nodeid`, which pytest 9 no longer has.)
    """
    from ponti.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)


# Every app's operations (partners, agreements, networks, meetings, the dossier).
schema = _load_schema()


@schema.parametrize()
@settings(
    deadline=None,
    # One registry per operation, shared by its examples on purpose: the API must cope with
    # whatever the previous examples left (a deleted record, a bumped version).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_the_api_honours_its_openapi_document(case: Any, registry: dict[str, Any]) -> None:
    label = case.operation.label
    CASES[label] = CASES.get(label, 0) + 1
    reporting.count("schemathesis cases", label)
    response = case.call_and_validate(headers=registry["headers"])
    STATUSES[response.status_code] = STATUSES.get(response.status_code, 0) + 1
    reporting.count("schemathesis statuses", str(response.status_code))
