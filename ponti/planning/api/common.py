"""The planning router and the helpers its operations share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router

from ponti.core.api import (  # noqa: F401 - shared helpers, used by this router's modules
    AUTH,
    BODY,
    CREATE,
    CREATE_UNDER,
    DELETE,
    LIST,
    READ,
    UPDATE,
    UPDATE_VERSIONED,
    api_errors,
    check_clearance,
    choose_ente,
    page,
    stale,
    user_of,
)
from ponti.core.confidentiality import can_see
from ponti.core.permissions import get_for_user, require, visible_queryset

from ..models import BudgetCode, BudgetLine, Indicator, Objective

router = Router(tags=["Programmazione"])


CENT = Decimal("0.01")


def money(value: Decimal | None) -> str | None:
    """A decimal string with two places, as every amount in a response."""
    return None if value is None else f"{Decimal(value).quantize(CENT):f}"


def budget_code(
    field: str,
    code: str | None,
    levels: list[str],
    errors: dict[str, list[str]],
    side: str | None = None,
) -> BudgetCode | None:
    """The classification entry `code` at one of `levels` (and `side`), or a 422 on `field`."""
    if code is None:
        return None
    qs = BudgetCode.objects.filter(code=code, level__in=levels)
    if side:
        qs = qs.filter(side=side)
    found = qs.first()
    if found is None:
        errors.setdefault(field, []).append(
            _("Il codice %(code)s non è nella classificazione di bilancio.") % {"code": code}
        )
    return found


def objective_for(user: Any, pk: int, action: str = "view") -> Objective:
    """An objective of the user's enti within their clearance (404 otherwise), 403 without the role."""
    objective, _editable = get_for_user(user, Objective, pk, action=action)
    return objective


def visible_objectives(user: Any) -> Any:
    return visible_queryset(user, Objective)


def indicator_for(user: Any, pk: int, action: str = "view") -> Indicator:
    require(user, "view", Indicator)
    indicator = (
        Indicator.objects.filter(pk=pk, objective__in=visible_objectives(user))
        .select_related("objective")
        .first()
    )
    if indicator is None or not can_see(user, indicator.objective):
        raise Http404
    if action != "view":
        require(user, action, Indicator)
    return indicator


def line_for(user: Any, pk: int, action: str = "view") -> BudgetLine:
    line, _editable = get_for_user(user, BudgetLine, pk, action=action)
    return line
