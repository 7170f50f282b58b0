"""Planning's API: objectives, indicators, budget lines, amounts, movements, documents."""

from ninja import Router

router = Router(tags=["Programmazione"])

__all__ = ["router"]
