"""Confidentiality of records: who sees what is decided here, and only here.

Every page, API endpoint, export and search filters records with `visible_to(user)`
or checks one record with `can_see(user, obj)`.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Confidentiality(models.TextChoices):
    PUBBLICO = "pubblico", _("Pubblico")
    INTERNO = "interno", _("Interno")
    RISERVATO = "riservato", _("Riservato")

    @property
    def level(self) -> int:
        return CONFIDENTIALITY_LEVELS[self.value]

    @classmethod
    def up_to(cls, level: int) -> list[str]:
        """The values a user cleared for `level` may see."""
        return [value for value, lvl in CONFIDENTIALITY_LEVELS.items() if lvl <= level]


CONFIDENTIALITY_LEVELS = {"pubblico": 0, "interno": 1, "riservato": 2}


def clearance(user: Any) -> int:
    """Highest confidentiality level the user may read (-1 for nobody)."""
    from .roles import clearance_for_user

    return clearance_for_user(user)


def visible_levels(user: Any) -> list[str]:
    return Confidentiality.up_to(clearance(user))


def can_see(user: Any, obj: Any) -> bool:
    """May `user` read `obj`? A relation record (it has an ente) by the user's clearance in
    that ente, which is -1 for an ente the user does not belong to; a shared record by the
    user's clearance for the registry. A record may widen its readers with `shared_with_ente_ids()`
    (an agreement between two enti is read by both)."""
    from .roles import clearance_in

    level = CONFIDENTIALITY_LEVELS.get(getattr(obj, "confidentiality", "pubblico"), 2)
    ente_id = getattr(obj, "ente_id", None)
    if ente_id is None:
        return level <= clearance(user)
    allowed = clearance_in(user, ente_id)
    widen = getattr(obj, "shared_with_ente_ids", None)
    if callable(widen):
        allowed = max([allowed, *(clearance_in(user, pk) for pk in widen())])
    return level <= allowed
