"""TEMPORARY: being written (see ponti/planning/urls.py for the routes)."""

from typing import Any

def import_amounts(request: Any) -> Any:
    raise NotImplementedError


def classification_list(request: Any) -> Any:
    raise NotImplementedError


def import_classification(request: Any) -> Any:
    raise NotImplementedError
