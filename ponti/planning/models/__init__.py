"""Planning: the budget classification, the DUP objectives and indicators, budget lines and money."""

from .budget import BudgetAmount, BudgetLine, BudgetLineQuerySet, Movement, MovementKind
from .classification import BudgetCode, CodeLevel, Side
from .objectives import (
    Direction,
    Indicator,
    IndicatorValue,
    Objective,
    ObjectiveLevel,
    ObjectiveQuerySet,
)

__all__ = [
    "BudgetAmount",
    "BudgetCode",
    "BudgetLine",
    "BudgetLineQuerySet",
    "CodeLevel",
    "Direction",
    "Indicator",
    "IndicatorValue",
    "Movement",
    "MovementKind",
    "Objective",
    "ObjectiveLevel",
    "ObjectiveQuerySet",
    "Side",
]
