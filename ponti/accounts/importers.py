"""Enti in bulk through the import engine: kind, parent, ISTAT code, city.

Who may import, as in the office pages (`scope`, `services.create_ente`): an ente's
Amministratore creates and changes enti under the enti they run; only a superuser creates an
ente of the first level. A row's parent is named by its name or ISTAT code, and may be an
ente of an earlier row of the same file (parents first); an empty parent is the importing
ente (for a superuser: the first level). An ente already in Ponti is recognised by its ID, its
ISTAT code or its name; its registry organisation is created with it, as on the office page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponti.core.importing.cells import parse_country
from ponti.core.importing.columns import Column
from ponti.core.importing.files import cell_text
from ponti.core.importing.kinds import DataChanged, RowReport, Written, register
from ponti.core.importing.models import RowStatus
from ponti.core.models import Ente, EnteKind
from ponti.core.services import ConflictError
from ponti.partners.gazetteer import fold_name
from ponti.partners.importing import RecordImporter, before_of, updated

from . import scope, services

C = Column
ENTE_COLUMNS = [
    C("id", "ID"),
    C("nome", gettext_lazy("Nome"), ("name", "denominazione"), required=True),
    C("nome_breve", gettext_lazy("Nome breve"), ("short_name", "sigla")),
    C("tipo", gettext_lazy("Tipo di ente"), ("kind", "tipo", "tipologia")),
    C("superiore", gettext_lazy("Ente superiore"), ("parent", "ente_superiore", "appartiene_a")),
    C("istat", gettext_lazy("Codice ISTAT"), ("istat", "istat_code", "codice_istat", "pro_com_t")),
    C("citta", gettext_lazy("Città"), ("city", "comune", "sede")),
    C("paese", gettext_lazy("Paese"), ("country",)),
]
KIND_ALIASES = {"cm": EnteKind.CITTA_METROPOLITANA, "provincia": EnteKind.CITTA_METROPOLITANA}


@dataclass
class NewEnte:
    """An ente of an earlier row, created when the batch is written (a later row's parent)."""

    name: str
    ente: Ente | None = None


@dataclass
class Plan:
    row: RowReport
    values: dict[str, Any]
    parent: Ente | NewEnte | None
    new: NewEnte | None = None
    existing: Ente | None = None
    version: int = 0
    changes: dict[str, Any] = field(default_factory=dict)


def parse_istat(value: Any) -> str:
    """3 digits (a province or metropolitan city) or 6 (a comune); a spreadsheet number that
    lost its leading zeros (48017) gets them back."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = cell_text(value)
    if isinstance(value, int) and len(text) in (1, 2, 4, 5):
        text = text.zfill(3 if len(text) < 3 else 6)
    if not re.fullmatch(r"\d{3}(\d{3})?", text):
        from ponti.core.importing.cells import CellError

        raise CellError(
            _(
                "«%(value)s» non è un codice ISTAT: 6 cifre per un comune (048017), 3 per una provincia (048)."
            )
            % {"value": text}
        )
    return text


@register
class EnteImporter(RecordImporter):
    kind = "enti"
    label = gettext_lazy("Enti (comuni, unioni, città metropolitane)")
    model = Ente
    columns = ENTE_COLUMNS
    description = gettext_lazy(
        "Una riga per ente: nome, tipo, ente superiore (nome o codice ISTAT, anche di una riga "
        "precedente del file; vuoto: il tuo ente), codice ISTAT e città. Gli enti già presenti "
        "sono riconosciuti per ID, codice ISTAT o nome."
    )

    def refusal(self) -> str | None:
        if getattr(self.user, "is_superuser", False):
            return None
        if self.ente.pk in scope.administered_ente_ids(self.user):
            return None
        return _("Solo l'Amministratore dell'ente «%(ente)s» può importare enti sotto di esso.") % {
            "ente": self.ente
        }

    def prepare(self) -> None:
        self.superuser = bool(getattr(self.user, "is_superuser", False))
        self.administered = scope.administered_ente_ids(self.user)
        self.all = {e.pk: e for e in Ente.objects.all()}
        self.by_name = {fold_name(e.name): e for e in self.all.values()}
        self.by_istat = {e.istat_code: e for e in self.all.values() if e.istat_code}
        self.planned: dict[str, tuple[NewEnte, int]] = {}  # folded name or ISTAT → (ente, row)

    # --- reading ----------------------------------------------------------------------------

    def _find(self, text: str) -> Ente | NewEnte | None:
        key = text if text.isdigit() else fold_name(text)
        if key in self.planned:
            return self.planned[key][0]
        if text.isdigit():
            return self.by_istat.get(parse_istat(int(text)) if len(text) in (4, 5) else text)
        return self.by_name.get(key)

    def _parent(self, row: RowReport, cells: list[Any]) -> Ente | NewEnte | None:
        text = self.text(cells, "superiore")
        if not text:
            return None if self.superuser else self.ente
        parent = self._find(text)
        if parent is None:
            row.error(
                self.column_label("superiore"),
                _(
                    "«%(value)s» non è un ente di Ponti né di una riga precedente del file (metti prima le righe degli enti superiori)."
                )
                % {"value": text},
            )
        elif isinstance(parent, Ente) and not self.superuser and parent.pk not in self.administered:
            row.error(
                self.column_label("superiore"),
                _("non gestisci l'ente «%(ente)s»: non puoi aggiungervi enti.") % {"ente": parent},
            )
            return None
        return parent

    def _values(self, row: RowReport, cells: list[Any]) -> dict[str, Any]:
        values: dict[str, Any] = {"name": self.text(cells, "nome")}
        short = self.text(cells, "nome_breve")
        if short:
            values["short_name"] = self.max_length(row, Ente, "short_name", "nome_breve", short)
        kind = self.choice(row, cells, "tipo", EnteKind, aliases=KIND_ALIASES)
        if kind:
            values["kind"] = kind
        istat = self.read(row, cells, "istat", lambda v: parse_istat(v) if cell_text(v) else None)
        if istat:
            values["istat_code"] = istat
        city = self.text(cells, "citta")
        if city:
            values["city"] = self.max_length(row, Ente, "city", "citta", city)
        country = self.read(row, cells, "paese", parse_country)
        if country:
            values["country"] = country
        return values

    # --- checking ---------------------------------------------------------------------------

    def check(self, row: RowReport, cells: list[Any]) -> Plan | None:
        existing = self.by_id(row, cells, Ente.objects.all())
        values = self._values(row, cells)
        row.label = values["name"]
        parent = self._parent(row, cells)
        if existing is False or row.errors:
            return None
        if not values["name"]:
            row.error(self.column_label("nome"), _("manca il nome."))
            return None
        how = ""
        if existing is None and values.get("istat_code") in self.by_istat:
            existing = self.by_istat[values["istat_code"]]
            how = _("Riconosciuto per codice ISTAT: «%(ente)s».") % {"ente": existing}
        if existing is None and fold_name(values["name"]) in self.by_name:
            existing = self.by_name[fold_name(values["name"])]
            values["name"] = existing.name  # the same name, however capitalised
            how = _("Riconosciuto per nome.")
        keys = [existing.pk] if existing else [fold_name(values["name"]), values.get("istat_code")]
        for key in filter(None, keys):
            if key in self.seen or key in self.planned:
                first = self.seen.get(key) or self.planned[key][1]
                row.error(
                    self.column_label("nome"),
                    _("lo stesso ente è già alla riga %(row)s del file.") % {"row": first},
                )
                return None
        for key in filter(None, keys):
            self.seen[key] = row.number
        if how:
            row.warnings.append(how)
        plan = Plan(row=row, values=values, parent=parent)
        if existing is not None:
            return self._plan_update(
                plan, existing, parent_given=bool(self.text(cells, "superiore"))
            )
        return self._plan_new(plan)

    def _plan_new(self, plan: Plan) -> Plan | None:
        row, values = plan.row, plan.values
        if plan.parent is None and not self.superuser:
            row.error(
                self.column_label("superiore"),
                _("solo chi gestisce l'installazione crea enti di primo livello."),
            )
            return None
        ente = Ente(**values, slug="import")
        try:
            ente.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            row.invalid(exc, Ente)
            return None
        plan.new = NewEnte(values["name"])
        for key in filter(None, (fold_name(values["name"]), values.get("istat_code"))):
            self.planned[key] = (plan.new, row.number)
        row.status = RowStatus.NEW
        under = plan.parent.name if plan.parent else _("primo livello")
        row.changes.append(_("Nuovo ente (%(under)s)") % {"under": under})
        return plan

    def _plan_update(self, plan: Plan, ente: Ente, *, parent_given: bool) -> Plan | None:
        row = plan.row
        row.label = ente.name
        changes = self.changes(row, ente, plan.values)
        other = self.by_istat.get(changes.get("istat_code", ""))
        if other is not None and other != ente:
            row.error(
                self.column_label("istat"),
                _("il codice è già dell'ente «%(ente)s».") % {"ente": other},
            )
            return None
        parent = plan.parent if parent_given else (ente.parent if ente.parent_id else None)
        if parent_given and (not isinstance(parent, Ente) or parent.pk != ente.parent_id):
            changes["parent"] = parent
            row.changes.append(
                _("ente superiore: → «%(name)s»") % {"name": parent.name if parent else ""}
            )
        if not changes:
            row.status = RowStatus.UNCHANGED
            return None
        if not self.superuser and ente.pk not in self.administered:
            row.error(
                "", _("non gestisci l'ente «%(ente)s»: non puoi modificarlo.") % {"ente": ente}
            )
            return None
        row.status = RowStatus.UPDATED
        plan.existing, plan.version, plan.changes = ente, ente.version, changes
        plan.parent = parent
        return plan

    # --- writing ----------------------------------------------------------------------------

    def _parent_of(self, plan: Plan) -> Ente | None:
        parent = plan.parent
        if isinstance(parent, NewEnte):
            assert parent.ente is not None  # an earlier row, written before this one
            return parent.ente
        return parent

    def apply_one(self, plan: Plan, written: list[Written]) -> None:
        parent = self._parent_of(plan)
        try:
            if plan.existing is None:
                assert plan.new is not None
                ente = services.create_ente(by=self.user, data=plan.values, parent=parent)
                plan.new.ente = ente
                written.append(Written(ente))
                organisation = getattr(ente, "organisation", None)
                if organisation is not None:
                    written.append(Written(organisation))
                return
            ente = plan.existing
            data = {k: v for k, v in plan.changes.items() if k != "parent"}
            before = before_of(ente, plan.changes)
            services.update_ente(
                ente, by=self.user, data=data, parent=parent, expected_version=plan.version
            )
            written.append(updated(ente, before))
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from None
        except ConflictError:
            raise DataChanged(
                _("L'ente «%(ente)s» è stato modificato durante l'importazione.")
                % {"ente": plan.row.label}
            ) from None
