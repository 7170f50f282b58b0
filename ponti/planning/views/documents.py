"""TEMPORARY: being written (see ponti/planning/urls.py for the routes)."""

from typing import Any

def objective_sheet(request: Any, pk: Any, fmt: Any) -> Any:
    raise NotImplementedError


def progress_report(request: Any, pk: Any, year: Any, fmt: Any) -> Any:
    raise NotImplementedError


def lines_xlsx(request: Any) -> Any:
    raise NotImplementedError
