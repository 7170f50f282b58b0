"""Find what each app registers in a module of a given name (`demo`, `due`, `panels`, `metrics`…).

Registries live in core or in the app that owns the idea; the apps that feed them are found
here by module name at run time, so no registry imports the apps that register with it.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps


def import_app_modules(name: str) -> None:
    """Import `<app>.<name>` for every Ponti app that has one; an import error inside one is raised."""
    for config in apps.get_app_configs():
        if config.name.startswith("ponti."):
            try:
                import_module(f"{config.name}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.{name}":
                    raise
