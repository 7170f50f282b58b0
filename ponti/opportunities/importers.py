"""Opportunities through the import engine: the list's own export (CSV, XLSX, ODS) and the EU
Funding & Tenders Portal's files (`portal.py`: grantsTenders.json and the search API's pages).

A row is recognised by its ID, else by its topic identifier in the same ente: importing the
same file again changes nothing, and never duplicates. A re-import updates what the source
knows (titles, programme, dates, amounts, the portal's status) and never the office's own
fields (owner, decision, notes, confidentiality). A moved deadline is shown in the dry run
as old → new and flagged on the opportunity until the office has seen it. A deadline the
file no longer lists is kept, with a warning (an import never deletes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponti.core.importing.cells import CellError, parse_country, parse_day
from ponti.core.importing.columns import Column
from ponti.core.importing.kinds import DataChanged, RowReport, Written, register
from ponti.core.importing.models import RecordAction, RowStatus
from ponti.core.models import Sector
from ponti.core.money import AmountError, parse_amount
from ponti.core.permissions import can
from ponti.core.services import ConflictError
from ponti.partners.importing import RecordImporter, before_of, split_list, updated

from . import portal, services
from .deadlines import DeadlineError, DeadlineValue, parse_deadline, stages
from .models import DeadlineModel, Opportunity, OpportunityKind
from .programmes import ProgrammeIndex

C = Column
EXPORT_ONLY = gettext_lazy("Solo in esportazione: non è letta.")
COLUMNS = [
    C("id", "ID"),
    C("kind", gettext_lazy("Tipo"), ("tipo",)),
    C("title", gettext_lazy("Titolo"), ("titolo",)),
    C("title_en", gettext_lazy("Titolo in inglese"), ("titolo_en",)),
    C("programme", gettext_lazy("Programma"), ("programma",)),
    C("programme_code", gettext_lazy("Codice del programma"), ("frameworkprogramme",)),
    C("call_identifier", gettext_lazy("Identificativo del bando"), ("callidentifier", "bando")),
    C("topic_identifier", gettext_lazy("Identificativo del topic"), ("identifier", "topic")),
    C("url", gettext_lazy("Link"), ("link",)),
    C("opens_on", gettext_lazy("Apertura"), ("startdate", "apertura", "opening")),
    C("deadlines", gettext_lazy("Scadenze (ora di Bruxelles)"), ("scadenze", "deadline")),
    C("deadline_model", gettext_lazy("Modello di scadenza"), ("deadlinemodel",)),
    C("portal_status", gettext_lazy("Stato sul portale"), ("status",)),
    C("budget", gettext_lazy("Budget del bando (€)"), ("budget",)),
    C("grant_size", gettext_lazy("Contributo atteso per progetto (€)"), ("contributo",)),
    C("sectors", gettext_lazy("Settori"), ("settori",)),
    C("eligible_applicants", gettext_lazy("Soggetti ammissibili"), ("richiedenti",)),
    C("countries", gettext_lazy("Paesi ammissibili"), ("paesi",)),
    C("confidentiality", gettext_lazy("Riservatezza"), ("riservatezza",)),
    C("ente", gettext_lazy("Ente"), ()),
    C("portal_type", gettext_lazy("Tipo sul portale"), ("type",)),
    C("call_status", gettext_lazy("Stato del bando"), (), help=EXPORT_ONLY),
    C("decision", gettext_lazy("Decisione"), (), help=EXPORT_ONLY),
    C("owner", gettext_lazy("Responsabile"), (), help=EXPORT_ONLY),
]


@dataclass
class Plan:
    row: RowReport
    ente: Any
    values: dict[str, Any]
    deadlines: list[DeadlineValue] | None
    sectors: list[Sector] | None = None
    existing: Opportunity | None = None
    version: int = 0
    confidentiality: str = ""


@register
class OpportunityImporter(RecordImporter):
    kind = "opportunities"
    label = gettext_lazy("Opportunità (bandi)")
    model = Opportunity
    columns = COLUMNS
    description = gettext_lazy(
        "L'esportazione dell'elenco delle opportunità, oppure i file del Funding & Tenders "
        "Portal (grantsTenders.json, le pagine di risultati della ricerca). Un bando già "
        "registrato è riconosciuto per ID o per identificativo del topic: si aggiorna, senza "
        "toccare responsabile, decisione e note."
    )
    json_records = staticmethod(portal.records)  # type: ignore[assignment]  # mypy reads a callable ClassVar as a method

    def header_errors(self) -> list[str]:
        if not (self.has("title") or self.has("title_en")):
            return [_("Manca la colonna del titolo (Titolo o Titolo in inglese).")]
        return []

    def prepare(self) -> None:
        self.enti = self.ente_names()
        self.visible = Opportunity.objects.for_user(self.user).prefetch_related("deadlines")
        ente_ids = [e.pk for e in set(self.enti.values())]
        self.by_topic = {
            (o.ente_id, o.topic_identifier): o
            for o in self.visible.filter(ente__in=ente_ids).exclude(topic_identifier="")
        }
        self.programmes = ProgrammeIndex()
        self.sectors = {s.code: s for s in Sector.objects.all()}
        self.seen: dict[Any, int] = {}

    # --- reading ----------------------------------------------------------------------------

    def _amount(self, row: RowReport, cells: list[Any], key: str) -> Any:
        raw = self.text(cells, key)
        if not raw:
            return None
        try:
            return parse_amount(self.cell(cells, key), negative=False)
        except AmountError as exc:
            row.error(self.column_label(key), f"«{raw}»: {exc}")
            return None

    def _deadlines(
        self, row: RowReport, cells: list[Any], model: str
    ) -> list[DeadlineValue] | None:
        if not self.has("deadlines"):
            return None
        instants = []
        for part in split_list(self.text(cells, "deadlines")):
            try:
                instants.append(parse_deadline(part))
            except DeadlineError as exc:
                row.error(self.column_label("deadlines"), str(exc))
        return stages(model, instants)

    def _values(self, row: RowReport, cells: list[Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key in ("title", "title_en", "call_identifier", "topic_identifier", "url"):
            text = self.text(cells, key)
            if text:
                values[key] = self.max_length(row, Opportunity, key, key, text)
        if self.has("portal_status"):
            values["portal_status"] = self.text(cells, "portal_status")[:60]
        kind = self.choice(row, cells, "kind", OpportunityKind)
        if kind:
            values["kind"] = kind
        model = self.choice(row, cells, "deadline_model", DeadlineModel)
        if model:
            values["deadline_model"] = model
        if self.has("opens_on"):
            values["opens_on"] = self.read(row, cells, "opens_on", parse_day)
        for key in ("budget", "grant_size"):
            if self.has(key):
                values[key] = self._amount(row, cells, key)
        text = self.text(cells, "eligible_applicants")
        if text:
            values["eligible_applicants"] = text
        if self.has("countries"):
            codes = []
            for part in split_list(self.text(cells, "countries")):
                try:
                    codes.append(parse_country(part))
                except CellError as exc:
                    row.error(self.column_label("countries"), str(exc))
            values["countries"] = [c for c in dict.fromkeys(codes) if c]
        self._programme(row, cells, values)
        return values

    def _programme(self, row: RowReport, cells: list[Any], values: dict[str, Any]) -> None:
        code, name = self.text(cells, "programme_code"), self.text(cells, "programme")
        if not (code or name):
            return
        found = self.programmes.find(code, name)
        values["programme"] = found
        # What the file wrote is kept only when it names no known programme.
        values["programme_code"] = "" if found else (code or name)
        if found is None:
            row.warnings.append(
                _("Programma «%(p)s» non tra i programmi noti: tenuto come indicato.")
                % {"p": code or name}
            )

    def _sectors(self, row: RowReport, cells: list[Any]) -> list[Sector] | None:
        if not self.text(cells, "sectors"):
            return None
        by_name = {str(s.name_it).lower(): s for s in self.sectors.values()}
        by_name.update({str(s.name_en).lower(): s for s in self.sectors.values()})
        out = []
        for part in split_list(self.text(cells, "sectors")):
            found = self.sectors.get(part) or by_name.get(part.lower())
            if found is None:
                row.error(
                    self.column_label("sectors"), _("«%(s)s» non è un settore.") % {"s": part}
                )
            else:
                out.append(found)
        return out

    # --- checking ---------------------------------------------------------------------------

    def check(self, row: RowReport, cells: list[Any]) -> Plan | None:
        kind = self.text(cells, "portal_type")
        if kind and kind not in portal.GRANT_TYPES:
            row.status = RowStatus.UNCHANGED
            row.label = self.text(cells, "topic_identifier") or self.text(cells, "title_en")
            row.warnings.append(
                _("Non è un bando di sovvenzione (una gara d'appalto): non importato.")
            )
            return None
        existing = self.by_id(row, cells, self.visible)
        ente = existing.ente if existing else self.row_ente(row, cells, self.enti)
        values = self._values(row, cells)
        topic = values.get("topic_identifier", "")
        row.label = topic or values.get("title") or values.get("title_en", "")
        model = values.get("deadline_model") or (
            existing.deadline_model if existing else DeadlineModel.SINGLE
        )
        deadlines = self._deadlines(row, cells, model)
        sectors = self._sectors(row, cells)
        level = self.confidentiality(row, cells, "confidentiality")
        if existing is False or ente is None or row.errors:
            return None
        if existing is None and topic:
            existing = self.by_topic.get((ente.pk, topic))
        key = existing.pk if existing else (ente.pk, topic or f"row{row.number}")
        if key in self.seen:
            row.error(
                self.column_label("topic_identifier"),
                _("lo stesso bando è già alla riga %(row)s del file.") % {"row": self.seen[key]},
            )
            return None
        self.seen[key] = row.number
        plan = Plan(
            row=row,
            ente=ente,
            values=values,
            deadlines=deadlines,
            sectors=sectors,
            confidentiality=level or "interno",
        )
        try:
            services.check_deadlines(
                values["opens_on"] if "opens_on" in values else getattr(existing, "opens_on", None),
                deadlines or [],
            )
        except ValidationError as exc:
            for message in exc.messages:
                row.error(self.column_label("deadlines"), message)
            return None
        if existing is not None:
            return self._plan_update(plan, existing)
        return self._plan_new(plan)

    def _plan_new(self, plan: Plan) -> Plan | None:
        values = plan.values
        values.setdefault("title", values.get("title_en", ""))
        values["confidentiality"] = plan.confidentiality
        values["imported_at"] = timezone.now()
        candidate = Opportunity(ente=plan.ente, **values)
        try:
            candidate.full_clean(exclude=["ente"], validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                plan.row.errors.extend(f"{name}: {m}" for m in messages)
            return None
        plan.row.status = RowStatus.NEW
        plan.row.changes.append(_("Nuova opportunità: %(t)s") % {"t": values["title"]})
        return plan

    def _plan_update(self, plan: Plan, opportunity: Opportunity) -> Plan | None:
        row, values = plan.row, plan.values
        values.pop("confidentiality", None)
        # A title the office translated stays; one still equal to the English title follows it.
        if (
            "title" not in values
            and "title_en" in values
            and opportunity.title == opportunity.title_en
        ):
            values["title"] = values["title_en"]
        values.pop("topic_identifier", None)
        values = self.changes(row, opportunity, values)
        plan.deadlines = self._deadline_changes(plan, opportunity, values)
        if plan.sectors is not None and {s.pk for s in plan.sectors} == {
            s.pk for s in opportunity.sectors.all()
        }:
            plan.sectors = None
        if not values and plan.deadlines is None and plan.sectors is None:
            row.status = RowStatus.UNCHANGED
            return None
        if not can(self.user, "change", Opportunity, opportunity):
            row.error("", _("non puoi modificare questa opportunità."))
            return None
        values["imported_at"] = timezone.now()
        plan.values, plan.existing, plan.version = values, opportunity, opportunity.version
        row.status = RowStatus.UPDATED
        return plan

    def _deadline_changes(
        self, plan: Plan, opportunity: Opportunity, values: dict[str, Any]
    ) -> list[DeadlineValue] | None:
        """The deadlines to write, or None when they are as recorded; a move is described, and
        flagged on the opportunity (in `values`) when it had deadlines already."""
        if plan.deadlines is None:
            return None
        old = services.values_of(opportunity)
        new = plan.deadlines
        if [(d.due_at, d.stage) for d in old[: len(new)]] == [(d.due_at, d.stage) for d in new]:
            return None
        before = "; ".join(d.local_text() for d in old)
        after = "; ".join(d.local_text() for d in new)
        plan.row.changes.append(
            _("Scadenze cambiate: «%(old)s» → «%(new)s»") % {"old": before, "new": after}
        )
        if len(old) > len(new):
            plan.row.warnings.append(
                _("Le scadenze non più nel file restano: %(d)s.")
                % {"d": "; ".join(d.local_text() for d in old[len(new) :])}
            )
        if old:
            values["deadlines_changed_at"] = timezone.now()
            values["previous_deadlines"] = [d.local_text() for d in old]
        return new

    # --- writing ----------------------------------------------------------------------------

    def apply_one(self, plan: Plan, written: list[Written]) -> None:
        data = dict(plan.values)
        if plan.sectors is not None:
            data["sectors"] = plan.sectors
        if plan.existing is None:
            opportunity = services.create_opportunity(
                user=self.user, ente=plan.ente, data=data, deadlines=plan.deadlines or []
            )
            written.append(Written(opportunity))
            return
        opportunity = plan.existing
        before = before_of(opportunity, data)
        try:
            services.update_opportunity(
                opportunity, user=self.user, data=data, expected_version=plan.version
            )
        except ConflictError:
            raise DataChanged(
                _("L'opportunità «%(t)s» è stata modificata durante l'importazione.")
                % {"t": opportunity}
            ) from None
        written.append(updated(opportunity, before))
        if plan.deadlines is not None:
            for deadline, old in services.sync_deadlines(
                opportunity, plan.deadlines, delete_extra=False
            ):
                written.append(
                    Written(deadline)
                    if old is None
                    else Written(deadline, RecordAction.UPDATED, old)
                )
