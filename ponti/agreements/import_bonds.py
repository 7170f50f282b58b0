"""Twin-town rows that are not the importing ente's agreements: known bonds.

A row whose Italian city is neither the importing ente nor one under it (Bari–Banja Luka in a
list of every comune's twinnings), and every row of Ponti's export of known bonds, is a fact
about the world: a `bonds.KnownBond` between the city's organisation and its partner, stored
once a pair, never counted as an ente's agreement. The agreements' importer (`importers.py`)
reads the row and finds both organisations; this part plans and writes the bond.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from ponti.core.dates import ImpreciseDate
from ponti.core.importing.cells import parse_country
from ponti.core.importing.kinds import Written
from ponti.core.importing.models import RowStatus
from ponti.partners.importing import key_of, name_of
from ponti.partners.models import Organisation

from .bonds import KnownBond, ordered

if TYPE_CHECKING:
    from .importers import AgreementImporter, Plan


class KnownBonds:
    """The known-bond path of the agreements' importer: the bonds already known (by ordered
    pair of organisation ids), those the batch plans, and their writing."""

    def __init__(self, importer: AgreementImporter) -> None:
        self.importer = importer
        self.pairs: dict[tuple[int, int], int] = {
            (a, b): pk for pk, a, b in KnownBond.objects.values_list("pk", "first_id", "second_id")
        }

    def only(self) -> bool:
        """A file of Ponti's known-bonds export (it names the city's country): every row is a
        known bond, whoever the cities are, and its ID is the bond's, not an agreement's."""
        mapping = self.importer.mapping
        return mapping is not None and "paese_citta" in mapping

    def plan(
        self,
        plan: Plan,
        cells: list[Any],
        italian_name: str,
        kind: str,
        confidence: str,
        signed: ImpreciseDate | None,
        source: str,
    ) -> Plan | None:
        """The bond between the row's Italian city and its partner, unless the file or the
        registry already has it."""
        importer, row, partner = self.importer, plan.row, plan.partner
        # A known bonds' export names each side's country; a twin-town list's city is Italian.
        side_country = importer.read(row, cells, "paese_citta", parse_country) or "IT"
        italian = importer.organisation(row, italian_name, side_country, None, None, "", "", source)
        plan.italian = italian
        pair = tuple(sorted((key_of(italian), key_of(partner)), key=str))
        if pair[0] == pair[1]:
            row.error(importer.column_label("partner"), _("il partner è la città stessa."))
            return None
        if pair in importer.seen:
            row.status = RowStatus.UNCHANGED
            row.warnings.append(
                _("Lo stesso legame è già alla riga %(row)s: resta uno solo.")
                % {"row": importer.seen[pair]}
            )
            return None
        importer.seen[pair] = row.number
        if (
            isinstance(italian, Organisation)
            and isinstance(partner, Organisation)
            and ordered(italian.pk, partner.pk) in self.pairs
        ):
            row.status = RowStatus.UNCHANGED
            row.warnings.append(_("Legame già noto."))
            return None
        row.status = RowStatus.NEW
        row.changes.append(
            _("Legame noto tra %(a)s e %(b)s (non è un accordo dell'ente).")
            % {
                "a": name_of(italian),
                "b": name_of(partner),
            }
        )
        plan.data = {
            "kind": kind,
            "year": signed.year if signed else None,
            "confidence": confidence,
            "source": source,
        }
        return plan

    def write(self, plan: Plan, partner: Organisation, written: list[Written]) -> None:
        """The bond, created unless an earlier row of the batch already wrote it."""
        assert plan.italian is not None
        italian = self.importer.saved(plan.italian, written)
        first, second = ordered(italian.pk, partner.pk)
        if (first, second) in self.pairs:
            return
        bond = KnownBond.objects.create(first_id=first, second_id=second, **plan.data)
        self.pairs[(first, second)] = bond.pk
        written.append(Written(bond))
