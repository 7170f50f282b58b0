"""Networks as JSON: memberships with their roles, working groups and fees, and the members
of each network explored as potential partners. Same permissions and service functions as
the pages. Mounted by ponti/api.py."""

from . import members, memberships, parts  # noqa: F401 - each module adds its operations
from .common import router

__all__ = ["router"]
