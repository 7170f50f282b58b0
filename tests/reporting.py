"""Figures the suite reports at its end (schemathesis cases, axe-core pages, matrix cases),
gathered across pytest-xdist's workers: each worker sends its own, the controller adds them."""

from __future__ import annotations

import json
from typing import Any

# name -> {key: count} or [items]
REPORTS: dict[str, Any] = {}


def count(name: str, key: str, n: int = 1) -> None:
    bucket = REPORTS.setdefault(name, {})
    bucket[key] = bucket.get(key, 0) + n


def append(name: str, item: Any) -> None:
    REPORTS.setdefault(name, []).append(item)


def dump() -> str:
    return json.dumps(REPORTS)


def merge(text: str) -> None:
    for name, value in json.loads(text).items():
        if isinstance(value, dict):
            for key, n in value.items():
                count(name, key, n)
        else:
            REPORTS.setdefault(name, []).extend(value)
