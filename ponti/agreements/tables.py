"""The columns of the agreements' export, which are also the headers the import reads
(`ponti.core.exports`): the first column is the record's ID.

`for_export` reads the list's agreements as values, with their partners (only those the reader
may see) and sectors one query per chunk: 10,000 agreements export in a fraction of a second."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ponti.core import countries
from ponti.core.confidentiality import visible_levels
from ponti.core.dates import ImpreciseDate
from ponti.core.exports import (
    Column,
    among_ids,
    column,
    confidentiality_column,
    ente_column,
    group,
    id_column,
    value_records,
)

from .models import Agreement, AgreementConfidence, AgreementKind, ApprovalBody
from .states import Status

FIELDS = [
    "title",
    "kind",
    "status",
    "signed_on",
    "signed_precision",
    "signed_place",
    "start_date",
    "start_precision",
    "end_date",
    "renewal_date",
    "approval_body",
    "approval_number",
    "approval_date",
    "confidence",
    "source",
    "ente_id",
    "confidentiality",
]


@lru_cache(maxsize=4096)  # the start is often the signature's day: one of two found here
def _known(day: Any, precision: str) -> str:
    """A date known in part as the import reads it back in either language: 1958, 07/1958, 03/07/1958."""
    return ImpreciseDate.of(day, precision).as_input() if day else ""


def _partner_names(agreement: Any) -> list[str]:
    return [name for name, _country in agreement.partners]


def _countries(agreement: Any) -> list[str]:
    return sorted({country for _name, country in agreement.partners if country})


AGREEMENT_COLUMNS: list[Column] = [
    id_column(),
    column("title", _("Titolo")),
    column("kind", _("Tipo"), choices=AgreementKind.choices),
    column("status", _("Stato"), choices=Status.choices),
    column("partners", _("Partner"), _partner_names),
    column("countries", _("Paesi"), _countries, choices=countries.choices),
    column("signed", _("Firma"), lambda a: _known(a.signed_on, a.signed_precision)),
    column("signed_place", _("Luogo della firma")),
    column("start", _("Inizio validità"), lambda a: _known(a.start_date, a.start_precision)),
    column("end_date", _("Fine validità")),
    column("renewal_date", _("Data di rinnovo")),
    column("approval_body", _("Organo che approva"), choices=ApprovalBody.choices),
    column("approval_number", _("Numero dell'atto")),
    column("approval_date", _("Data dell'atto")),
    column("sectors", _("Ambiti")),
    column("confidence", _("Affidabilità"), choices=AgreementConfidence.choices),
    column("source", _("Fonte")),
    ente_column(),
    confidentiality_column(),
]


def for_export(qs: Any, user: Any) -> Iterator[Any]:
    """The agreements of `qs` (already narrowed to the reader), in the list's order, with the
    partners the reader may see and the sectors in the reader's language."""
    levels = visible_levels(user)  # as Organisation.objects.visible_to
    partners = Agreement.partners.through.objects.order_by("organisation__name")
    sectors = Agreement.sectors.through.objects.order_by("sector__position", "sector__code")
    sector_name = (
        "sector__name_en" if (get_language() or "it").startswith("en") else "sector__name_it"
    )

    def load_partners(ids: list[int]) -> dict[int, tuple[Any, ...]]:
        return group(
            partners.filter(
                among_ids("agreement_id", ids), organisation__confidentiality__in=levels
            ).values_list("agreement_id", "organisation__name", "organisation__country")
        )

    def load_sectors(ids: list[int]) -> dict[int, tuple[Any, ...]]:
        return group(
            sectors.filter(among_ids("agreement_id", ids)).values_list("agreement_id", sector_name)
        )

    return value_records(
        qs.order_by("-signed_on", "title", "pk"),
        FIELDS,
        {"partners": load_partners, "sectors": load_sectors},
    )


def _side(attribute: str, field: str) -> Any:
    return lambda bond: getattr(getattr(bond, attribute), field)


# Known bonds between two organisations (`bonds.KnownBond`): no ente, so no ente column.
BOND_COLUMNS: list[Column] = [
    id_column(),
    column("first", _("Città"), _side("first", "name")),
    column(
        "first_country",
        _("Paese della città"),
        _side("first", "country"),
        choices=countries.choices,
    ),
    column("second", _("Partner"), _side("second", "name")),
    column(
        "second_country",
        _("Paese del partner"),
        _side("second", "country"),
        choices=countries.choices,
    ),
    column("kind", _("Tipo"), choices=AgreementKind.choices),
    column("year", _("Anno")),
    column("confidence", _("Affidabilità"), choices=AgreementConfidence.choices),
    column("source", _("Fonte")),
]
