"""Due items ("scadenze"): each app contributes a collector in `<app>/due.py`.

`ponti scadenze` (run daily by a scheduler; `make run` starts one) asks every collector
for what is due, e-mails each recipient the items not sent before, and the Scadenze page
shows the same list. Core imports no app: collectors are found by module name.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ponti.core.discovery import import_app_modules


@dataclass(frozen=True)
class DueItem:
    kind: str  # e.g. "scadenza", "rinnovo", "impegno", "anniversario", "dormiente"
    kind_label: str
    key: str  # stable: the same item on another day has the same key (idempotent alerts)
    title: str
    day: datetime.date | None
    year: int | None
    url: str
    ente_id: int
    confidentiality: str
    recipients: tuple[int, ...] = field(default=())  # user ids
    overdue: bool = False


Collector = Callable[[datetime.date], Iterable[DueItem]]
_COLLECTORS: dict[str, Collector] = {}


def register(name: str) -> Callable[[Collector], Collector]:
    def decorator(func: Collector) -> Collector:
        _COLLECTORS[name] = func
        return func

    return decorator


def collectors() -> dict[str, Collector]:
    import_app_modules("due")
    return dict(_COLLECTORS)


def collect(today: datetime.date) -> list[DueItem]:
    items: list[DueItem] = []
    for collector in collectors().values():
        items.extend(collector(today))
    return sorted(
        items, key=lambda i: (i.day or datetime.date(i.year or today.year, 12, 31), i.title)
    )


def visible_items(user: Any, items: list[DueItem]) -> list[DueItem]:
    """The items `user` may read: of an ente where they have a place, within their clearance
    there. The Scadenze page and every e-mail of `ponti scadenze` pass through here."""
    from .confidentiality import CONFIDENTIALITY_LEVELS
    from .roles import clearance_in

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return [
        i
        for i in items
        if CONFIDENTIALITY_LEVELS.get(i.confidentiality, 2) <= clearance_in(user, i.ente_id)
    ]
