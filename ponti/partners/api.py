"""Partner registry API (to be completed)."""

from ninja import Router

router = Router(tags=["partner"])
