"""The lifecycle of an agreement, defined once: states, allowed transitions, and who may make them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from ponti.core.roles import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class AgreementStatus(models.TextChoices):
    PROPOSTA = "proposta", _("Proposta")
    NEGOZIAZIONE = "negoziazione", _("In negoziazione")
    APPROVATO = "approvato", _("Approvato")
    FIRMATO = "firmato", _("Firmato")
    ATTIVO = "attivo", _("Attivo")
    RINNOVATO = "rinnovato", _("Rinnovato")
    SOSPESO = "sospeso", _("Sospeso")
    CONCLUSO = "concluso", _("Concluso")

    @property
    def is_in_force(self) -> bool:
        return self in IN_FORCE


Status = AgreementStatus  # the short name inside this app; the API shows AgreementStatus


IN_FORCE = {Status.FIRMATO, Status.ATTIVO, Status.RINNOVATO}

OFFICE = frozenset({Role.AMMINISTRATORE, Role.UFFICIO})
DIPLOMACY = frozenset({Role.AMMINISTRATORE, Role.UFFICIO, Role.CONSIGLIERE})


@dataclass(frozen=True)
class Transition:
    source: Status
    target: Status
    roles: frozenset[str]
    label: StrOrPromise
    needs_approval: bool = False  # the approval act (body, number, date) must be recorded
    needs_signing: bool = False  # signing date and place must be recorded


TRANSITIONS: list[Transition] = [
    Transition(Status.PROPOSTA, Status.NEGOZIAZIONE, DIPLOMACY, _("Avvia la negoziazione")),
    Transition(Status.PROPOSTA, Status.CONCLUSO, DIPLOMACY, _("Archivia la proposta")),
    Transition(Status.NEGOZIAZIONE, Status.PROPOSTA, DIPLOMACY, _("Riporta a proposta")),
    Transition(
        Status.NEGOZIAZIONE,
        Status.APPROVATO,
        OFFICE,
        _("Registra l'atto di approvazione"),
        needs_approval=True,
    ),
    Transition(Status.NEGOZIAZIONE, Status.CONCLUSO, DIPLOMACY, _("Interrompi la negoziazione")),
    Transition(
        Status.APPROVATO, Status.FIRMATO, OFFICE, _("Registra la firma"), needs_signing=True
    ),
    Transition(Status.FIRMATO, Status.ATTIVO, OFFICE, _("Rendi attivo")),
    Transition(Status.ATTIVO, Status.RINNOVATO, OFFICE, _("Registra il rinnovo")),
    Transition(Status.ATTIVO, Status.SOSPESO, OFFICE, _("Sospendi")),
    Transition(Status.ATTIVO, Status.CONCLUSO, OFFICE, _("Concludi")),
    Transition(Status.RINNOVATO, Status.RINNOVATO, OFFICE, _("Registra un nuovo rinnovo")),
    Transition(Status.RINNOVATO, Status.SOSPESO, OFFICE, _("Sospendi")),
    Transition(Status.RINNOVATO, Status.CONCLUSO, OFFICE, _("Concludi")),
    Transition(Status.SOSPESO, Status.ATTIVO, OFFICE, _("Riattiva")),
    Transition(Status.SOSPESO, Status.CONCLUSO, OFFICE, _("Concludi")),
]


def find(source: str, target: str) -> Transition | None:
    return next((t for t in TRANSITIONS if t.source == source and t.target == target), None)


def available(source: str, roles: list[str], *, superuser: bool = False) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == source and (superuser or t.roles & set(roles))]


def may_create_in(status: str, role: str | None, *, superuser: bool = False) -> bool:
    """Who may register an agreement directly in `status` (a history already lived, e.g. a
    twinning in force since 1958): the roles that may move one into that state. A proposal
    needs only the permission to add agreements."""
    if superuser or status == Status.PROPOSTA:
        return True
    return any(t.target == status and role in t.roles for t in TRANSITIONS)
