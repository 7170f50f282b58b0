"""What other apps tell planning: metrics that compute an indicator's actual, and lists of
what was done in a year for the progress report.

Planning imports no app. Each app registers its metrics and lists in its own `metrics.py`,
found by module name at run time (as `core.panels` finds panels).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

from ponti.core.discovery import import_app_modules

# A metric counts for one ente and one year, over every record of the ente (an indicator is an
# official figure: it does not depend on who reads it).
MetricFunc = Callable[[int, int], Decimal | int]


@dataclass(frozen=True)
class Metric:
    code: str
    label: str | Promise
    unit: str | Promise
    description: str | Promise
    compute: MetricFunc

    def value(self, ente_id: int, year: int) -> Decimal:
        return Decimal(self.compute(ente_id, year))


@dataclass(frozen=True)
class DoneItem:
    """One line of "what was done": an agreement signed, a meeting held, a role taken."""

    title: str
    when: str = ""
    detail: str = ""
    url: str = ""


# A list of what was done: for the reader (whose clearance filters the records), the ente and the year.
DoneFunc = Callable[[Any, int, int], list[DoneItem]]


@dataclass(frozen=True)
class DoneSection:
    code: str
    order: int
    label: str | Promise
    collect: DoneFunc
    items: list[DoneItem] = field(default_factory=list)


_METRICS: dict[str, Metric] = {}
_SECTIONS: dict[str, DoneSection] = {}
_loaded = False


def metric(
    code: str, *, label: str | Promise, unit: str | Promise, description: str | Promise = ""
) -> Callable[[MetricFunc], MetricFunc]:
    def decorator(func: MetricFunc) -> MetricFunc:
        _METRICS.setdefault(code, Metric(code, label, unit, description, func))
        return func

    return decorator


def done_section(code: str, *, order: int, label: str | Promise) -> Callable[[DoneFunc], DoneFunc]:
    def decorator(func: DoneFunc) -> DoneFunc:
        _SECTIONS.setdefault(code, DoneSection(code, order, label, func))
        return func

    return decorator


def _load() -> None:
    global _loaded
    if _loaded:
        return
    import_app_modules("metrics")
    _loaded = True


def metrics() -> dict[str, Metric]:
    _load()
    return dict(sorted(_METRICS.items()))


def get_metric(code: str) -> Metric | None:
    _load()
    return _METRICS.get(code)


def metric_choices() -> list[tuple[str, str]]:
    return [(m.code, str(m.label)) for m in metrics().values()]


def done_sections(user: Any, ente_id: int, year: int) -> list[DoneSection]:
    """Every app's list of what was done in the year, in their order, each filled for the reader."""
    _load()
    return [
        DoneSection(s.code, s.order, s.label, s.collect, s.collect(user, ente_id, year))
        for s in sorted(_SECTIONS.values(), key=lambda s: s.order)
    ]
