"""The demo's opportunities: real programmes, marked as examples, loaded once."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_loads_marked_examples_with_real_programmes_once(ente: Any) -> None:
    from ponti.opportunities.demo import load_opportunities
    from ponti.opportunities.models import Opportunity

    assert "4 nuove" in load_opportunities()
    assert "0 nuove" in load_opportunities()
    examples = Opportunity.objects.filter(ente=ente)
    assert examples.count() == 4
    assert all("esempio" in o.title and "inventati" in o.notes for o in examples)
    assert all(o.programme is not None for o in examples)
    town = examples.get(topic_identifier="CERV-2026-CITIZENS-TOWN-TT")
    assert town.programme.abbreviation == "CERV" and town.call_status() == "open"
    mission = examples.get(topic_identifier="HORIZON-MISS-2026-01-CIT-01")
    assert mission.call_status() == "forthcoming"
    assert [d.stage for d in mission.deadlines.all()] == [1, 2]
