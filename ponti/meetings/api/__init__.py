"""Meetings as JSON: meetings (with a status action), participants, visit requests (with a
decision action), follow-up actions and gifts (the briefing dossier is ponti/reports/api.py).
Same permissions and
the same service functions as the pages; a record the user may not see is a 404.
"""

from . import actions, gifts, meetings, participants, visits  # noqa: F401 - each module adds its operations
from .common import router

# OpenAPI operationIds are built from each view's module and name; they predate the split
# into submodules, so the views keep the package as their module to keep those ids stable.
for _path_view in router.path_operations.values():
    for _operation in _path_view.operations:
        _operation.view_func.__module__ = __name__

__all__ = ["router"]
