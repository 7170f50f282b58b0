"""TEMPORARY: being written (see ponti/planning/urls.py for the routes)."""

from typing import Any

def line_list(request: Any) -> Any:
    raise NotImplementedError


def line_create(request: Any) -> Any:
    raise NotImplementedError


def line_detail(request: Any, pk: Any) -> Any:
    raise NotImplementedError


def line_edit(request: Any, pk: Any) -> Any:
    raise NotImplementedError


def line_delete(request: Any, pk: Any) -> Any:
    raise NotImplementedError


def amount_edit(request: Any, pk: Any, year: Any) -> Any:
    raise NotImplementedError
