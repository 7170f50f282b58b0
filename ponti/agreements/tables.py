"""The columns of the agreements' export, which are also the headers the import reads
(`ponti.core.exports`): the first column is the record's ID.

The partners are those the reader may see (the list's queryset prefetches them already
narrowed); `for_export` adds the rest, read chunk by chunk."""

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

from .models import AgreementConfidence, AgreementKind, ApprovalBody
from .states import Status


def _countries(agreement: Any) -> list[str]:
    return sorted({p.country for p in agreement.partners.all() if p.country})


AGREEMENT_COLUMNS: list[Column] = [
    id_column(),
    column("title", _("Titolo")),
    column("kind", _("Tipo"), choices=AgreementKind.choices),
    column("status", _("Stato"), choices=Status.choices),
    column("partners", _("Partner"), names("partners")),
    column("countries", _("Paesi"), _countries, choices=countries.choices),
    column("signed_on", _("Data della firma")),
    column("signed_year", _("Anno della firma")),
    column("signed_place", _("Luogo della firma")),
    column("start_date", _("Inizio validità")),
    column("end_date", _("Fine validità")),
    column("renewal_date", _("Data di rinnovo")),
    column("approval_body", _("Organo che approva"), choices=ApprovalBody.choices),
    column("approval_number", _("Numero dell'atto")),
    column("approval_date", _("Data dell'atto")),
    column("sectors", _("Ambiti"), names("sectors")),
    column("confidence", _("Affidabilità"), choices=AgreementConfidence.choices),
    column("source", _("Fonte")),
    ente_column(),
    confidentiality_column(),
]


def for_export(qs: Any) -> Any:
    """The list's queryset (partners already narrowed to the visible ones), with the sectors,
    in the list's order."""
    return qs.prefetch_related("sectors").order_by("-signed_on", "title", "pk")
