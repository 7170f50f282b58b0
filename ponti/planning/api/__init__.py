"""Planning as JSON: objectives with their totals and history, indicators (with their computed
actuals), the budget classification, budget lines, amounts, movements, documents and the import
of amounts. Same permissions and service functions as the pages. Mounted by ponti/api.py."""

from . import budget, documents, indicators, movements, objectives  # noqa: F401 - each adds its operations
from .common import router

__all__ = ["router"]
