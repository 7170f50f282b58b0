"""Property-based fuzzing of the networks operations ("reti" tag) with schemathesis, in-process.

The same checks and settings as the partner registry's run (tests/api/test_schemathesis.py):
no 5xx, every status declared, every body as documented, invalid data refused. A 422 is an
acceptable answer to schema-valid data (a year already paid, an end before the start).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

MAX_EXAMPLES = 10
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20251125,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422"],
            },
        },
    }
)


@pytest.fixture
def networks(personas: dict[str, Any], ente: Any, make_person: Any) -> dict[str, Any]:
    """Small records whose ids (1, 2, 3…) are the first ones schemathesis tries."""
    from ponti.accounts.models import ApiToken
    from ponti.networks.models import Fee, Membership, MembershipRole, NetworkMember, WorkingGroup
    from ponti.partners.models import Organisation

    network = Organisation.objects.create(name="Eurocities", kind="network", country="BE")
    other = Organisation.objects.create(name="Climate Alliance", kind="network", country="DE")
    leipzig = Organisation.objects.create(name="Leipzig", kind="city", country="DE")
    membership = Membership.objects.create(ente=ente, network=network, since_year=2003)
    MembershipRole.objects.create(
        membership=membership, kind="vicepresidenza", start_date=datetime.date(2018, 11, 30)
    )
    group = WorkingGroup.objects.create(membership=membership, name="Culture Forum")
    group.representatives.add(make_person())
    Fee.objects.create(membership=membership, year=2025, amount=Decimal("1500"))
    NetworkMember.objects.create(network=network, member=leipzig)
    NetworkMember.objects.create(network=other, member=leipzig)
    _token, raw = ApiToken.issue(personas["ufficio"], "schemathesis")
    return {"headers": {"Authorization": f"Bearer {raw}"}}


def _load_schema() -> Any:
    from ponti.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)


schema = _load_schema().include(tag="reti")


@schema.parametrize()
@settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@pytest.mark.django_db
def test_the_networks_api_honours_its_openapi_document(case: Any, networks: dict[str, Any]) -> None:
    case.call_and_validate(headers=networks["headers"])
