"""Demo data loaders: each app registers its own in `<app>/demo.py`; `ponti demo` runs them.

Core imports no app: the loaders are found by module name at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.apps import apps

Loader = Callable[..., Any]
_LOADERS: list[tuple[int, str, Loader]] = []


def register(order: int, name: str) -> Callable[[Loader], Loader]:
    def decorator(func: Loader) -> Loader:
        if all(n != name for _, n, _ in _LOADERS):
            _LOADERS.append((order, name, func))
        return func

    return decorator


def loaders() -> list[tuple[str, Loader]]:
    for config in apps.get_app_configs():
        if config.name.startswith("ponti."):
            try:
                import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
    return [(name, func) for _, name, func in sorted(_LOADERS, key=lambda item: item[0])]
