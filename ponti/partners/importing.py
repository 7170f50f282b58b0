"""What the importers of records (organisations, people, meetings, memberships, enti) share on
top of the engine (`ponti.core.importing`): dates known in part, confidentiality levels, the
enti and sectors by name, a record by its ID, the diff between a row and a record (with `before` for undo), and partners found by
name through the matcher, or planned once and created when the batch is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from ponti.core.confidentiality import Confidentiality, visible_levels
from ponti.core.ids import parse_id
from ponti.core.importing.cells import parse_imprecise
from ponti.core.importing.kinds import Importer, RowReport, Written, verbose_name
from ponti.core.importing.models import RecordAction
from ponti.core.models import Ente, EnteKind, Sector
from ponti.core.permissions import can

from .gazetteer import fold_name
from .matching import OrganisationIndex
from .models import Organisation, OrganisationKind, OrganisationName

SEPARATOR = ";"


def split_list(text: str) -> list[str]:
    """«a; b; c» (the exports join several values with "; ")."""
    return [part.strip() for part in text.split(SEPARATOR) if part.strip()]


def jsonable(value: Any) -> Any:
    """A field's value as `ImportedRecord.before` keeps it (read back by the field's to_python)."""
    if isinstance(value, (datetime.date, datetime.datetime, Decimal)):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


class RecordImporter(Importer):
    """An importer of records with an ID column, typed cells and updates of existing records."""

    def prepare(self) -> None:
        """The organisations rows name, found among those the user may see (`Partners`)."""
        self.partners = Partners(self.user)

    # --- cells ------------------------------------------------------------------------------

    def date_known_in_part(self, row: RowReport, cells: list[Any], key: str) -> Any:
        return self.read(row, cells, key, parse_imprecise)

    def confidentiality(self, row: RowReport, cells: list[Any], key: str = "riservatezza") -> Any:
        """A level the user may read (else they would create what they cannot see)."""
        level = self.choice(row, cells, key, Confidentiality)
        if level and level not in visible_levels(self.user):
            row.error(
                self.column_label(key),
                _("non puoi assegnare il livello «%(level)s», superiore al tuo.")
                % {"level": Confidentiality(level).label},
            )
            return None
        return level

    def max_length(
        self, row: RowReport, model: type[models.Model], name: str, key: str, value: str
    ) -> str:
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if limit and len(value) > limit:
            row.error(
                self.column_label(key),
                _("il testo ha %(n)s caratteri, al massimo %(max)s.")
                % {"n": len(value), "max": limit},
            )
        return value

    # --- enti -------------------------------------------------------------------------------

    def ente_names(self) -> dict[str, Any]:
        """The importing ente and the enti under it, by name and short name."""
        return enti_by_name(Ente.objects.filter(pk__in=self.ente.descendant_ids()))

    def row_ente(self, row: RowReport, cells: list[Any], enti: dict[str, Any]) -> Any:
        """The ente the row names (column «ente»): the importing one or one under it; another
        name is the importing ente, with a warning; None (a row error) when the user may not
        add records there."""
        name = self.text(cells, "ente")
        ente = enti.get(fold_name(name)) if name else self.ente
        if ente is None:
            row.warnings.append(
                _(
                    "«%(name)s» non è il tuo ente né un ente che ne dipende: la riga va a «%(ente)s»."
                )
                % {"name": name, "ente": self.ente}
            )
            return self.ente
        if ente != self.ente and not can(self.user, "add", self.model, ente):
            row.error(
                self.column_label("ente"),
                _("non puoi aggiungere dati per l'ente «%(ente)s».") % {"ente": ente},
            )
            return None
        return ente

    # --- records ----------------------------------------------------------------------------

    def by_id(self, row: RowReport, cells: list[Any], queryset: models.QuerySet) -> Any:
        """The record the ID column names among those the user may see; None when the cell is
        empty; False (with a row error) when no such record is visible."""
        raw = self.text(cells, "id") if self.has("id") else ""
        if not raw:
            return None
        pk = parse_id(raw)
        found = queryset.filter(pk=pk).first() if pk else None
        if found is None:
            row.error(
                "ID",
                _("nessun record «%(type)s» n. %(id)s tra quelli che puoi vedere.")
                % {"type": queryset.model._meta.verbose_name, "id": raw},
            )
            return False
        return found

    def changes(self, row: RowReport, obj: models.Model, values: dict[str, Any]) -> dict[str, Any]:
        """The values that differ from the record's, each described in the row's report."""
        out = {}
        for name, value in values.items():
            current = getattr(obj, name)
            if isinstance(current, Decimal) and value is not None:
                same = current == Decimal(str(value))
            else:
                same = (
                    (current or None) == (value or None)
                    if not isinstance(value, bool)
                    else current == value
                )
            if not same:
                out[name] = value
                label = verbose_name(type(obj), name)
                row.changes.append(f"{label}: «{_shown(current)}» → «{_shown(value)}»")
        return out


def enti_by_name(enti: Iterable[Ente], *, city: bool = False) -> dict[str, Ente]:
    """The enti by name and short name (and by city, with `city`), folded: a comune before
    another ente of the same name (a city's name means its comune, before the metropolitan
    city that shares it)."""
    names: dict[str, Ente] = {}
    for ente in sorted(enti, key=lambda e: (e.kind != EnteKind.COMUNE, e.pk)):
        for name in (ente.name, ente.short_name, ente.city if city else ""):
            if name:
                names.setdefault(fold_name(name), ente)
    return names


def sectors_by_name() -> dict[str, Sector]:
    """Every sector by its code and its Italian and English names, folded."""
    out: dict[str, Sector] = {}
    for sector in Sector.objects.all():
        for name in (sector.code, sector.name_it, sector.name_en):
            out.setdefault(fold_name(name), sector)
    return out


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set)):
        return "; ".join(sorted(str(v) for v in value))
    return str(value)


def before_of(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The named fields as they are now, JSON-able, for undo (`Written.before`)."""
    out: dict[str, Any] = {}
    for name in names:
        field_ = obj._meta.get_field(name)
        if field_.many_to_many:
            out[name] = sorted(getattr(obj, name).values_list("pk", flat=True))
        else:
            out[name] = jsonable(getattr(obj, getattr(field_, "attname", name)))
    return out


def updated(obj: models.Model, before: dict[str, Any]) -> Written:
    return Written(obj, RecordAction.UPDATED, before)


# --- partners by name -------------------------------------------------------------------------


@dataclass
class NewOrganisation:
    """An organisation rows need and nobody has yet: created once, when the batch is written."""

    org: Organisation
    first_row: int
    created: bool = False
    names: dict[str, str] = field(default_factory=dict)


class Partners:
    """Organisations named in rows, found by the matcher among those the user may see (a
    certain match is the organisation; a probable one is only a warning), or planned once."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.index = OrganisationIndex.visible_to(user)
        self.planned: dict[tuple[str, str], NewOrganisation] = {}

    def find(
        self,
        row: RowReport,
        name: str,
        *,
        country: str = "",
        city: str = "",
        kind: str = OrganisationKind.CITY,
        create: bool = True,
        accept: Callable[[Organisation], bool] | None = None,
    ) -> Organisation | NewOrganisation | None:
        """The organisation `name` means; planned when new (with a country and `create`), else
        None with a warning. `accept` narrows the certain matches (e.g. networks only)."""
        found = self.index.match(name, country=country)
        certain = [c for c in found if c.certain and (accept is None or accept(c.organisation))]
        if not country and not certain:
            # Without a country a name is certain only if it is one organisation's own name.
            same = self.named(name, found, accept)
            if len(same) > 1:
                row.warnings.append(
                    _("«%(name)s» indica più organizzazioni: indica il paese.") % {"name": name}
                )
                return None
            return same[0] if same else self._unknown(row, name, found)
        if certain:
            return certain[0].organisation
        key = (country, fold_name(name))
        if key in self.planned:
            return self.planned[key]
        if not create:
            return self._unknown(row, name, found)
        warn_probable(row, name, found)
        org = Organisation(
            name=name[:300],
            kind=kind,
            country=country,
            city=city[:120],
            confidentiality="interno",
        )
        try:
            org.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                for message in messages:
                    row.error(name, message)
            return None
        planned = NewOrganisation(org, first_row=row.number)
        self.planned[key] = planned
        row.changes.append(
            _("Nuova organizzazione: %(name)s (%(country)s)") % {"name": name, "country": country}
        )
        return planned

    def named(
        self,
        name: str,
        found: list[Any] | None = None,
        accept: Callable[[Organisation], bool] | None = None,
    ) -> list[Organisation]:
        """The organisations whose own name is `name`, in any country."""
        folded = fold_name(name)
        return [
            c.organisation
            for c in (found if found is not None else self.index.match(name))
            if fold_name(c.organisation.name) == folded
            and (accept is None or accept(c.organisation))
        ]

    @staticmethod
    def _unknown(row: RowReport, name: str, found: list[Any]) -> None:
        probable = [c for c in found if c.probable or c.score >= 0.5]
        row.warnings.append(
            _("«%(name)s» non è nel registro%(hint)s: non è collegata.")
            % {
                "name": name,
                "hint": _(" (forse «%(other)s»?)") % {"other": probable[0].organisation.name}
                if probable
                else "",
            }
        )

    def saved(self, org: Organisation | NewOrganisation, written: list[Written]) -> Organisation:
        """The organisation, created now if it was planned (once, for every row that named it)."""
        if isinstance(org, Organisation):
            return org
        if not org.created:
            from .services import create_organisation

            org.org = create_organisation(
                user=self.user,
                data={
                    f: getattr(org.org, f)
                    for f in ("name", "kind", "country", "city", "confidentiality")
                },
            )
            org.created = True
            written.append(Written(org.org))
            for language, name in org.names.items():
                written.append(
                    Written(
                        OrganisationName.objects.create(
                            organisation=org.org, language=language, name=name
                        )
                    )
                )
            self.index.add(org.org)
        return org.org


def warn_probable(row: RowReport, name: str, found: list[Any]) -> None:
    """A probable match (not a certain one) is only a warning: the organisation is new."""
    probable = [c for c in found if c.probable]
    if probable:
        row.warnings.append(
            _(
                "«%(name)s» somiglia a «%(other)s» (%(why)s): sarà creata una nuova organizzazione; se è la stessa, uniscile dopo."
            )
            % {
                "name": name,
                "other": probable[0].organisation.name,
                "why": "; ".join(probable[0].reasons),
            }
        )


def name_of(org: Organisation | NewOrganisation) -> str:
    return org.org.name if isinstance(org, NewOrganisation) else org.name


def key_of(org: Organisation | NewOrganisation) -> Any:
    return ("new", id(org)) if isinstance(org, NewOrganisation) else org.pk
