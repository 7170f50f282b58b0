"""What the networks pages share."""

from __future__ import annotations

from ..queries import networks_for, partner_of_user

__all__ = ["networks_for", "partner_of_user"]
