"""The columns of the opportunities' export, which are also the headers the import reads
(`ponti.core.exports`, `importers.py`): the first column is the record's ID. The call's
status, the decision and the owner are the office's view: exported, never imported."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ponti.core import countries
from ponti.core.exports import (
    Column,
    column,
    confidentiality_column,
    ente_column,
    id_column,
    names,
)

from .models import CallStatus, DeadlineModel, OpportunityKind
from .states import Decision


def _deadlines(opportunity: Any) -> list[str]:
    """Each deadline as the import reads it back: day and time in its own time zone."""
    return [f"{d.local:%d/%m/%Y %H:%M}" for d in opportunity.deadlines.all()]


def _programme(opportunity: Any) -> str:
    p = opportunity.programme
    return (p.abbreviation or p.name) if p else ""


def _programme_code(opportunity: Any) -> str:
    p = opportunity.programme
    return (p.code or p.key) if p else opportunity.programme_code


OPPORTUNITY_COLUMNS: list[Column] = [
    id_column(),
    column("kind", _("Tipo"), choices=OpportunityKind.choices),
    column("title", _("Titolo")),
    column("title_en", _("Titolo in inglese")),
    column("programme", _("Programma"), _programme),
    column("programme_code", _("Codice del programma"), _programme_code),
    column("call_identifier", _("Identificativo del bando")),
    column("topic_identifier", _("Identificativo del topic")),
    column("url", _("Link")),
    column("opens_on", _("Apertura")),
    column("deadlines", _("Scadenze (ora di Bruxelles)"), _deadlines),
    column("deadline_model", _("Modello di scadenza"), choices=DeadlineModel.choices),
    column(
        "call_status", _("Stato del bando"), lambda o: o.call_status(), choices=CallStatus.choices
    ),
    column("portal_status", _("Stato sul portale")),
    column("budget", _("Budget del bando (€)"), money=True),
    column("grant_size", _("Contributo atteso per progetto (€)"), money=True),
    column("sectors", _("Settori"), names("sectors")),
    column("eligible_applicants", _("Soggetti ammissibili")),
    column("countries", _("Paesi ammissibili"), choices=countries.choices),
    column("decision", _("Decisione"), choices=Decision.choices),
    column("owner", _("Responsabile"), lambda o: o.owner.username if o.owner else ""),
    ente_column(),
    confidentiality_column(),
]


def for_export(qs: Any) -> Any:
    """The list's queryset, with what each row reads prefetched (a chunk at a time)."""
    return qs.select_related("programme", "owner").prefetch_related("sectors", "deadlines")
