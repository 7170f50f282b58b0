"""Demo data loaders: each app registers its own in `<app>/demo.py`; `ponti demo` runs them.

Core imports no app: the loaders are found by module name at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ponti.core.discovery import import_app_modules

Loader = Callable[..., Any]
_LOADERS: list[tuple[int, str, Loader]] = []


def register(order: int, name: str) -> Callable[[Loader], Loader]:
    def decorator(func: Loader) -> Loader:
        if all(n != name for _, n, _ in _LOADERS):
            _LOADERS.append((order, name, func))
        return func

    return decorator


def loaders() -> list[tuple[str, Loader]]:
    import_app_modules("demo")
    return [(name, func) for _, name, func in sorted(_LOADERS, key=lambda item: item[0])]
