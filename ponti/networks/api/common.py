"""The networks router; the helpers its operations share come from `ponti.core.api`."""

from __future__ import annotations

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

router = Router(tags=["reti"])
