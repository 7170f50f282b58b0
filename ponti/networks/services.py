"""State changes of memberships and network members. Views, the API and the demo call these.

Each function takes the acting user as a keyword, validates the model, and saves in one
transaction; the audit trail records the change inside it (ponti.core.audit).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ponti.core.audit import acting_as
from ponti.core.services import save_new_or_claimed, save_versioned
from ponti.planning import services as planning

from .models import Fee, Membership, MembershipRole, NetworkMember, WorkingGroup

# "No change asked": the fee keeps the budget line it charges (if any).
KEEP = object()


def create_membership(*, user: Any, ente: Any, data: dict[str, Any]) -> Membership:
    with acting_as(user), transaction.atomic():
        membership = Membership(ente=ente, **data)
        membership.full_clean()
        membership.save()
    return membership


def update_membership(
    membership: Membership, *, user: Any, data: dict[str, Any], expected_version: int
) -> Membership:
    """Change the membership if nobody saved it since `expected_version` (else ConflictError)."""
    for key, value in data.items():
        setattr(membership, key, value)
    membership.full_clean()
    return save_versioned(membership, expected_version=expected_version, user=user)


def delete_membership(membership: Membership, *, user: Any) -> None:
    """Delete with its roles and working groups; refused (ProtectedError) while it has fees,
    which are expenditure records."""
    with acting_as(user), transaction.atomic():
        membership.delete()


def save_role(
    role: MembershipRole, *, user: Any, expected_version: int | None = None
) -> MembershipRole:
    return save_new_or_claimed(role, user=user, expected_version=expected_version)


def save_working_group(
    group: WorkingGroup,
    *,
    user: Any,
    representatives: list[Any] | None = None,
    expected_version: int | None = None,
) -> WorkingGroup:
    """Save the group; `representatives`, when given, become exactly its representatives."""
    with acting_as(user), transaction.atomic():
        save_new_or_claimed(group, user=user, expected_version=expected_version)
        if representatives is not None:
            group.representatives.set(representatives)
    return group


def save_fee(
    fee: Fee, *, user: Any, budget_line_id: Any = KEEP, expected_version: int | None = None
) -> Fee:
    """Save the fee and charge it to a budget line through planning (the fee's ente only).

    `budget_line_id`: a line's id charges it (an impegno for the amount, and a pagamento once
    paid); None stops charging; KEEP updates what is already charged. All or nothing: a line of
    another ente or a year outside the line's objective refuses the fee too.
    """
    with acting_as(user), transaction.atomic():
        save_new_or_claimed(fee, user=user, expected_version=expected_version)
        current = planning.movement_for(fee)
        line_id = (
            (current.line_id if current else None) if budget_line_id is KEEP else budget_line_id
        )
        if line_id is None:
            planning.cancel_movements(source=fee, user=user)
        else:
            network = fee.membership.network
            label = f"Quota {network.name} {fee.year}"
            common = {
                "source": fee,
                "ente_id": fee.membership.ente_id,
                "line_id": line_id,
                "year": fee.year,
                "amount": fee.amount,
                "user": user,
            }
            planning.record_movement(**common, description=label)
            if fee.paid:
                planning.record_movement(
                    **common, description=label, kind="cashed", day=fee.paid_on
                )
            else:
                planning.cancel_movements(source=fee, user=user, kind="cashed")
    return fee


def save_network_member(
    member: NetworkMember, *, user: Any, expected_version: int | None = None
) -> NetworkMember:
    return save_new_or_claimed(member, user=user, expected_version=expected_version)


def delete(obj: MembershipRole | WorkingGroup | Fee | NetworkMember, *, user: Any) -> None:
    """Delete a role, a working group, a fee or a network member; the history stays."""
    with acting_as(user), transaction.atomic():
        if isinstance(obj, Fee):
            planning.cancel_movements(source=obj, user=user)
        obj.delete()
