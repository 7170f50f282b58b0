"""What the planning pages share: reading a record the user may see, errors on forms, histories."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ponti.core.confidentiality import can_see
from ponti.core.ids import parse_id
from ponti.core.models import AuditEvent
from ponti.core.permissions import can, get_for_user, visible_in

from ..models import BudgetLine, Indicator, Objective

HISTORY_ROWS = 20


def perms_for(user: Any, model: type[Any]) -> dict[str, bool]:
    return {action: can(user, action, model) for action in ("add", "change", "delete")}


def objective_for(user: Any, pk: Any, *, action: str = "view") -> tuple[Objective, bool]:
    return get_for_user(user, Objective, pk, action=action)


def indicator_for(user: Any, pk: Any, *, action: str = "view") -> tuple[Indicator, bool]:
    """An indicator is seen through its objective: another ente's or a too-confidential one is a 404."""
    indicator = (
        Indicator.objects.select_related("objective").filter(pk=key).first()
        if (key := parse_id(pk))
        else None
    )
    if indicator is None:
        raise Http404
    objective, _can_edit = objective_for(user, indicator.objective_id)
    indicator.objective = objective
    if action != "view" and not can(user, action, Indicator, objective):
        raise PermissionDenied
    return indicator, can(user, "change", Indicator, objective)


def line_for(user: Any, pk: Any, *, action: str = "view") -> tuple[BudgetLine, bool]:
    return get_for_user(user, BudgetLine, pk, action=action)


def visible_ancestors(user: Any, objective: Objective) -> list[Objective]:
    """The objective's ancestors the user may read (a too-confidential one is not named)."""
    return [a for a in objective.ancestors() if a.ente_id == objective.ente_id and can_see(user, a)]


def objective_history(
    user: Any, objective: Objective, descendants: list[int], line_ids: list[int]
) -> QuerySet[AuditEvent]:
    """Events of the objective, of the objectives under it, of its indicators and of its lines."""
    objective_ct = ContentType.objects.get_for_model(Objective)
    line_ct = ContentType.objects.get_for_model(BudgetLine)
    ids = [str(i) for i in [objective.pk, *descendants]]
    match = Q(links__content_type=objective_ct, links__object_id__in=ids)
    if line_ids:
        match |= Q(links__content_type=line_ct, links__object_id__in=[str(i) for i in line_ids])
    return (
        AuditEvent.objects.filter(match)
        .visible_to(user)
        .distinct()
        .select_related("actor", "content_type")
        .order_by("-at", "-id")
    )


def line_history(user: Any, line: BudgetLine) -> QuerySet[AuditEvent]:
    """Events of the line, of its amounts and of the movements charged to it."""
    return AuditEvent.objects.for_object(line).visible_to(user)


def lines_of(user: Any, objective_ids: list[int]) -> QuerySet[BudgetLine]:
    return visible_in(user, BudgetLine.objects.filter(objective_id__in=objective_ids))
