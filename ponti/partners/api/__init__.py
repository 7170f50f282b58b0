"""The partner registry as JSON: organisations, people, their positions over time, and history.

Reads go through `ponti.core.permissions` (a record the user may not see is a 404, a
missing role permission a 403); every change goes through `services`, the functions the
pages call. Organisations and people carry a `version`: an update names the version it
was made from, and a stale one is answered with 409 and what changed meanwhile.
"""

from . import gdpr, history, merge, organisations, people, positions  # noqa: F401 - each module adds its operations
from .common import router

# OpenAPI operationIds are built from each view's module and name; they predate the split
# into submodules, so the views keep the package as their module to keep those ids stable.
for _path_view in router.path_operations.values():
    for _operation in _path_view.operations:
        _operation.view_func.__module__ = __name__

__all__ = ["router"]
