"""TEMPORARY: being written (see ponti/planning/urls.py for the routes)."""

from typing import Any

def objective_list(request: Any) -> Any:
    raise NotImplementedError


def objective_create(request: Any) -> Any:
    raise NotImplementedError


def objective_detail(request: Any, pk: Any) -> Any:
    raise NotImplementedError


def objective_edit(request: Any, pk: Any) -> Any:
    raise NotImplementedError


def objective_delete(request: Any, pk: Any) -> Any:
    raise NotImplementedError


def indicator_create(request: Any, pk: Any) -> Any:
    raise NotImplementedError


def indicator_edit(request: Any, pk: Any) -> Any:
    raise NotImplementedError


def indicator_values(request: Any, pk: Any) -> Any:
    raise NotImplementedError


def indicator_delete(request: Any, pk: Any) -> Any:
    raise NotImplementedError
