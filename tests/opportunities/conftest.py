"""Fixtures of the opportunities tests: a programme, opportunities with deadlines."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest

BRUSSELS = ZoneInfo("Europe/Brussels")


def brussels(year: int, month: int, day: int, hour: int = 17) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=BRUSSELS)


@pytest.fixture
def cerv(db: Any) -> Any:
    from ponti.opportunities.models import Programme

    return Programme.objects.get(code="43251589")


@pytest.fixture
def make_opportunity(ente: Any, cerv: Any) -> Callable[..., Any]:
    from ponti.opportunities.models import Deadline, Opportunity

    def make(*, deadlines: list[datetime.datetime] | None = None, **kwargs: Any) -> Any:
        values: dict[str, Any] = {
            "ente": ente,
            "kind": "bando_ue",
            "title": "Gemellaggio tra città",
            "title_en": "Town twinning",
            "programme": cerv,
            "call_identifier": "CERV-2026-CITIZENS-TOWN",
            "topic_identifier": "CERV-2026-CITIZENS-TOWN-TT",
            "confidentiality": "interno",
        }
        values.update(kwargs)
        opportunity = Opportunity.objects.create(**values)
        for due in deadlines or []:
            Deadline.objects.create(opportunity=opportunity, due_at=due)
        return opportunity

    return make
