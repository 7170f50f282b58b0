"""The budget classification page; the old import addresses lead to the import engine's page.

Both imports (amounts, kind «budget»; the classification, kind «budget-codes») run in the
import engine (`ponti.core.importing`), in the background, never inside a request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from ponti.core.permissions import can, require
from ponti.core.typing import AuthedRequest

from ..models import BudgetAmount, BudgetCode, CodeLevel, Side

# --- Amounts ----------------------------------------------------------------------------------


@login_required
def import_amounts(request: AuthedRequest) -> HttpResponse:
    """The amounts are imported by the import engine, in the background (kind «budget»)."""
    require(request.user, "change", BudgetAmount)
    return redirect(reverse("core:import_new") + "?tipo=budget")


# --- Classification ---------------------------------------------------------------------------

SECTIONS = [
    (Side.SPESA, CodeLevel.MISSIONE, gettext_lazy("Missioni")),
    (Side.SPESA, CodeLevel.PROGRAMMA, gettext_lazy("Programmi")),
    (Side.SPESA, CodeLevel.TITOLO, gettext_lazy("Titoli di spesa")),
    (Side.SPESA, CodeLevel.MACROAGGREGATO, gettext_lazy("Macroaggregati di spesa")),
    (Side.ENTRATA, CodeLevel.TITOLO, gettext_lazy("Titoli di entrata")),
    (Side.ENTRATA, CodeLevel.TIPOLOGIA, gettext_lazy("Tipologie di entrata")),
]


def _may_change_classification(user: Any) -> bool:
    return can(user, "change", BudgetCode) and can(user, "add", BudgetCode)


@login_required
def classification_list(request: AuthedRequest) -> HttpResponse:
    require(request.user, "view", BudgetCode)
    codes = list(BudgetCode.objects.select_related("parent").order_by("code"))
    sides: dict[str, list[dict[str, Any]]] = {Side.SPESA: [], Side.ENTRATA: []}
    for side, level, title in SECTIONS:
        sides[side].append(
            {
                "title": title,
                "codes": [c for c in codes if c.side == side and c.level == level],
                "has_parent": CodeLevel(level).parent_level is not None,
                "anchor": f"{level}-{side}",
            }
        )
    return render(
        request,
        "planning/classification_list.html",
        {
            "sides": [(Side(side).label, groups) for side, groups in sides.items()],
            "total": len(codes),
            "can_import": _may_change_classification(request.user),
        },
    )


@login_required
def import_classification(request: AuthedRequest) -> HttpResponse:
    """The classification is imported by the import engine, in the background (kind «budget-codes»)."""
    if not _may_change_classification(request.user):
        raise PermissionDenied
    return redirect(reverse("core:import_new") + "?tipo=budget-codes")
