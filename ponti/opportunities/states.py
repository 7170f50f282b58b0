"""The office's decision on an opportunity, defined once: states, allowed steps, who takes them.

da valutare → interessante → candidatura in preparazione → presentata → finanziata / non
finanziata; scartata (with a reason) from any state before the result, and back to «da
valutare» when a discarded call is worth a second look. The call's own status (forthcoming,
open, closed) is not here: it is computed from its dates (`models.CallStatus`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from ponti.core.roles import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Decision(models.TextChoices):
    DA_VALUTARE = "da_valutare", _("Da valutare")
    INTERESSANTE = "interessante", _("Interessante")
    IN_PREPARAZIONE = "in_preparazione", _("Candidatura in preparazione")
    PRESENTATA = "presentata", _("Presentata")
    FINANZIATA = "finanziata", _("Finanziata")
    NON_FINANZIATA = "non_finanziata", _("Non finanziata")
    SCARTATA = "scartata", _("Scartata")

    @property
    def is_final(self) -> bool:
        return self in FINAL


FINAL = {Decision.FINANZIATA, Decision.NON_FINANZIATA}
# Those who follow the calls: the same roles that edit agreements (README).
EDITORS = frozenset({Role.AMMINISTRATORE, Role.UFFICIO, Role.CONSIGLIERE})


@dataclass(frozen=True)
class Step:
    source: Decision
    target: Decision
    label: StrOrPromise
    roles: frozenset[str] = EDITORS
    needs_reason: bool = False  # a discarded call says why


D = Decision
STEPS: list[Step] = [
    Step(D.DA_VALUTARE, D.INTERESSANTE, _("Segna come interessante")),
    Step(D.INTERESSANTE, D.IN_PREPARAZIONE, _("Avvia la candidatura")),
    Step(D.INTERESSANTE, D.DA_VALUTARE, _("Riporta a da valutare")),
    Step(D.IN_PREPARAZIONE, D.PRESENTATA, _("Registra la presentazione")),
    Step(D.IN_PREPARAZIONE, D.INTERESSANTE, _("Sospendi la candidatura")),
    Step(D.PRESENTATA, D.FINANZIATA, _("Registra il finanziamento")),
    Step(D.PRESENTATA, D.NON_FINANZIATA, _("Registra il mancato finanziamento")),
    *[
        Step(source, D.SCARTATA, _("Scarta"), needs_reason=True)
        for source in (D.DA_VALUTARE, D.INTERESSANTE, D.IN_PREPARAZIONE)
    ],
    Step(D.SCARTATA, D.DA_VALUTARE, _("Riconsidera")),
]


def find(source: str, target: str) -> Step | None:
    return next((s for s in STEPS if s.source == source and s.target == target), None)


def available(source: str, role: str | None, *, superuser: bool = False) -> list[Step]:
    return [s for s in STEPS if s.source == source and (superuser or role in s.roles)]
