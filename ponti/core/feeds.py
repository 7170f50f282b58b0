"""Events of the personal ICS feed: each app may contribute in `<app>/calendar.py`.

The feed (meetings' `calendario/<token>.ics`) adds what every registered source returns for
the feed's user. A source returns only what that user may read (ente and clearance): the
feed shows it as given. Core imports no app: sources are found by module name.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ponti.core.discovery import import_app_modules


@dataclass(frozen=True)
class FeedEvent:
    uid: str  # stable, without the host: the feed adds "@host"
    summary: str
    starts_at: datetime.datetime  # aware; shown in `time_zone`
    time_zone: str
    url: str = ""  # site path; the feed makes it absolute
    description: str = ""
    duration: datetime.timedelta = datetime.timedelta(0)


Source = Callable[[Any], Iterable[FeedEvent]]
_SOURCES: dict[str, Source] = {}


def register(name: str) -> Callable[[Source], Source]:
    def decorator(func: Source) -> Source:
        _SOURCES[name] = func
        return func

    return decorator


def events_for(user: Any) -> list[FeedEvent]:
    import_app_modules("calendar")
    out: list[FeedEvent] = []
    for source in _SOURCES.values():
        out.extend(source(user))
    return out
