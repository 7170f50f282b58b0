"""Fixtures for the meetings tests: a meeting factory."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

TZ = datetime.UTC


@pytest.fixture
def make_meeting(db: Any, ente: Any, make_org: Any) -> Any:
    from ponti.meetings.models import Meeting

    def make(*, counterparts: list[Any] | None = None, **kwargs: Any) -> Any:
        values = {
            "ente": ente,
            "title": "Incontro con il Sindaco di Reims",
            "status": "confermato",
            "starts_at": datetime.datetime(2026, 12, 3, 9, 0, tzinfo=TZ),
            "ends_at": datetime.datetime(2026, 12, 3, 10, 0, tzinfo=TZ),
            "confidentiality": "interno",
        }
        values.update(kwargs)
        meeting = Meeting.objects.create(**values)
        meeting.counterparts.set(
            counterparts if counterparts is not None else [make_org(name="Città di Reims")]
        )
        return meeting

    return make
