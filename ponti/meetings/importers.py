"""Meetings of the importing ente (or of an ente under it) through the import engine.

A row is a meeting: when it happened as far as it is known (a day, a span of days, a month,
a year, or only a period in words), its counterparts by name (found through the matcher,
created once when new and their country is known), place, topics and source. A meeting
already recorded is recognised by its ID, or by the same title on the same date in the
same ente. Files shaped like `partners/data/florence_international_meetings.csv` (the demo's
own source) and like the meetings' export import without editing.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponti.agreements.models import Agreement
from ponti.core.dates import DatePrecision, ImpreciseDate
from ponti.core.importing.cells import CellError, parse_bool, parse_country, parse_imprecise
from ponti.core.importing.columns import Column
from ponti.core.importing.files import cell_text
from ponti.core.importing.kinds import RowReport, Written, changed_meanwhile, register, verbose_name
from ponti.core.importing.models import RowStatus
from ponti.core.models import Ente
from ponti.core.permissions import can
from ponti.partners.gazetteer import fold_name
from ponti.partners.importing import (
    NewOrganisation,
    RecordImporter,
    before_of,
    key_of,
    name_of,
    sectors_by_name,
    split_list,
    updated,
)
from ponti.partners.models import Organisation

from .demo import KIND_BY_DIRECTION, kind_of, title_for
from .models import Meeting, MeetingKind, MeetingStatus, Participant, ParticipantSide
from .services import create_meeting, update_meeting

C = Column
MEETING_COLUMNS = [
    C("id", "ID"),
    C("titolo", gettext_lazy("Titolo"), ("title",)),
    C("tipo", gettext_lazy("Tipo"), ("kind", "direction", "direzione")),
    C("stato", gettext_lazy("Stato"), ("status",)),
    C("data", gettext_lazy("Data"), ("date", "quando", "giorno")),
    C("precisione", gettext_lazy("Precisione della data"), ("date_precision",)),
    C("inizio", gettext_lazy("Inizio"), ("starts_at", "start")),
    C("fine", gettext_lazy("Fine"), ("ends_at", "end")),
    C("tutto_il_giorno", gettext_lazy("Tutto il giorno"), ("all_day",)),
    C("fuso", gettext_lazy("Fuso orario"), ("timezone",)),
    C("anno", gettext_lazy("Anno"), ("year",)),
    C("mese", gettext_lazy("Mese"), ("month",)),
    C("periodo", gettext_lazy("Periodo"), ("period",)),
    C("luogo", gettext_lazy("Luogo"), ("place",)),
    C("citta", gettext_lazy("Città"), ("city",)),
    C("paese", gettext_lazy("Paese"), ("country",)),
    C("citta_controparte", gettext_lazy("Città della controparte"), ("counterpart_city",)),
    C(
        "paesi_controparte",
        gettext_lazy("Paesi della controparte"),
        ("counterpart_country_iso2", "counterpart_country"),
    ),
    C(
        "controparti",
        gettext_lazy("Controparti"),
        ("counterparts", "counterpart_organisation", "partner", "partners"),
    ),
    C("accordi", gettext_lazy("Accordi collegati"), ("agreements",)),
    C("ambiti", gettext_lazy("Ambiti"), ("sectors", "settori")),
    C("temi", gettext_lazy("Temi"), ("topics", "topic_keywords")),
    C("esito", gettext_lazy("Esito"), ("outcome",)),
    C("agenda", gettext_lazy("Ordine del giorno"), ("agenda",)),
    C("fonte", gettext_lazy("Fonte"), ("source", "source_url")),
    C("note_fonte", gettext_lazy("Note sulla fonte"), ("notes",)),
    C("affidabilita", gettext_lazy("Affidabilità"), ("confidence",)),
    C("ente", gettext_lazy("Ente"), ("florence_entity",)),
    C("riservatezza", gettext_lazy("Riservatezza"), ("confidentiality",)),
    C("loro", gettext_lazy("Partecipanti della controparte"), ("counterpart_representative",)),
    C("loro_ruoli", gettext_lazy("Ruoli della controparte"), ("counterpart_role",)),
    C("nostri", gettext_lazy("Partecipanti dell'ente"), ("florence_participant_name",)),
    C("nostri_ruoli", gettext_lazy("Ruoli dell'ente"), ("florence_participant_role",)),
]
KIND_ALIASES = {**KIND_BY_DIRECTION, "incoming": MeetingKind.INCONTRO, "in_entrata": "incontro"}
TEXT = {
    "titolo": "title",
    "periodo": "period",
    "luogo": "place",
    "temi": "topics",
    "esito": "outcome",
    "agenda": "agenda",
    "fonte": "source",
    "fuso": "timezone",
}


@dataclass
class Plan:
    row: RowReport
    ente: Ente
    values: dict[str, Any]
    counterparts: list[Organisation | NewOrganisation] | None = None
    m2m: dict[str, Any] = field(default_factory=dict)
    participants: list[tuple[str, str, str]] = field(default_factory=list)
    existing: Meeting | None = None
    version: int = 0


def _pairs(names: str, roles: str) -> list[tuple[str, str]]:
    """Names and roles «a; b» / «x; y» (one role for all when only one is given)."""
    names_, roles_ = split_list(names), split_list(roles)
    one = roles_[0] if len(roles_) == 1 else ""
    return [(n[:200], (roles_[i] if i < len(roles_) else one)[:200]) for i, n in enumerate(names_)]


@register
class MeetingImporter(RecordImporter):
    kind = "meetings"
    label = gettext_lazy("Incontri, delegazioni e missioni")
    model = Meeting
    columns = MEETING_COLUMNS
    description = gettext_lazy(
        "Una riga per incontro: la data come è nota (03/07/2019, 07/2019, 2019, o un periodo), "
        "le controparti separate da «;», luogo, temi e fonte. Gli incontri già registrati sono "
        "riconosciuti per ID o per stesso titolo e data."
    )

    def prepare(self) -> None:
        super().prepare()
        self.enti = self.ente_names()
        tree = list(set(self.enti.values()))
        self.visible = Meeting.objects.for_user(self.user)
        self.known: dict[tuple[Any, ...], int] = {}
        for pk, ente_id, title, date, precision, period in self.visible.filter(
            ente__in=tree
        ).values_list("pk", "ente_id", "title", "date", "date_precision", "period"):
            self.known.setdefault(self._key(ente_id, title, date, precision, period), pk)
        self.sectors = sectors_by_name()
        self.agreements: dict[tuple[int, str], Agreement] = {
            (a.ente_id, fold_name(a.title)): a
            for a in Agreement.objects.for_user(self.user).filter(ente__in=tree)
        }
        self.tz = timezone.get_current_timezone()

    @staticmethod
    def _key(ente_id: int, title: str, date: Any, precision: str, period: str) -> tuple[Any, ...]:
        return (ente_id, fold_name(title), date, precision, fold_name(period) if not date else "")

    # --- reading ----------------------------------------------------------------------------

    def _moment(self, value: Any, zone: Any) -> datetime.datetime | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):
            moment = value
        elif isinstance(value, datetime.date):
            moment = datetime.datetime.combine(value, datetime.time.min)
        else:
            text = cell_text(value).replace("T", " ")
            try:
                moment = datetime.datetime.fromisoformat(text)
            except ValueError:
                match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2})[:.](\d{2}))?", text)
                if not match:
                    raise CellError(
                        _("«%(value)s» non è una data e ora: scrivi per esempio 03/07/2019 10:30.")
                        % {"value": text}
                    ) from None
                d, m, y, hh, mm = match.groups()
                moment = datetime.datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0))
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment, zone)

    def _when(self, row: RowReport, cells: list[Any], zone: Any) -> dict[str, Any]:
        """The meeting's date fields from whichever columns the file has."""
        out: dict[str, Any] = {}
        starts = self.read(row, cells, "inizio", lambda v: self._moment(v, self.tz))
        if starts is not None:
            out["starts_at"] = starts
            out["ends_at"] = self.read(row, cells, "fine", lambda v: self._moment(v, self.tz))
            all_day = self.read(row, cells, "tutto_il_giorno", parse_bool)
            if all_day is not None:
                out["all_day"] = all_day
            return out
        raw = self.text(cells, "data")
        precision = self.text(cells, "precisione")
        if "/" in raw and re.fullmatch(r"\d{4}-\d\d-\d\d/\d{4}-\d\d-\d\d", raw):
            first, last = (datetime.date.fromisoformat(x) for x in raw.split("/"))
            if last < first:
                row.error(self.column_label("data"), _("la fine precede l'inizio."))
                return out
            return {
                "date": first,
                "date_precision": DatePrecision.DAY,
                "all_day": True,
                "starts_at": datetime.datetime.combine(first, datetime.time(0, 0), zone),
                "ends_at": datetime.datetime.combine(last, datetime.time(23, 59), zone),
            }
        when = self.date_known_in_part(row, cells, "data")
        if (when is None or not when.is_known) and self.text(cells, "anno"):
            year = self.text(cells, "anno")
            month = self.text(cells, "mese")
            when = self.read(
                row, cells, "anno", lambda _v: parse_imprecise(f"{month}/{year}" if month else year)
            )
        if when is not None and when.is_known:
            out.update(date=when.value, date_precision=when.precision)
        elif precision.lower().startswith("unknown") and "(" in precision:
            # The demo list's «unknown (2004-2009)»: the span in words is the period.
            out.update(date=None, date_precision=DatePrecision.UNKNOWN)
            out["period"] = re.sub(r"^unknown\s*\((.*)\)$", r"\1", precision)[:120]
        return out

    def _values(self, row: RowReport, cells: list[Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key, name in TEXT.items():
            text = self.text(cells, key)
            if text:
                values[name] = self.max_length(row, Meeting, name, key, text)
        zone_name = values.get("timezone", "Europe/Rome")
        try:
            zone = zoneinfo.ZoneInfo(zone_name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            row.error(
                self.column_label("fuso"),
                _("«%(value)s» non è un fuso orario (es. Europe/Rome).") % {"value": zone_name},
            )
            return values
        kind = self.read(
            row, cells, "tipo", lambda v: parse_choice_kind(v) if cell_text(v) else None
        )
        if kind:
            values["kind"] = kind
        status = self.choice(row, cells, "stato", MeetingStatus)
        if status:
            values["status"] = status
        country = self.read(row, cells, "paese", parse_country)
        if country:
            values["country"] = country
        city = self.text(cells, "citta")
        if city:
            values["city"] = city[:120]
        countries = []
        for part in split_list(self.text(cells, "paesi_controparte")):
            try:
                countries.append(parse_country(part))
            except CellError as exc:
                row.error(self.column_label("paesi_controparte"), str(exc))
        values["_countries"] = [c for c in countries if c]
        level = self.confidentiality(row, cells)
        if level:
            values["confidentiality"] = level
        values.update(self._when(row, cells, zone))
        notes = " · ".join(
            x
            for x in (
                self.text(cells, "note_fonte"),
                _("affidabilità della fonte: %(value)s")
                % {"value": self.text(cells, "affidabilita")}
                if self.text(cells, "affidabilita")
                else "",
            )
            if x
        )
        if notes:
            values["source"] = f"{values.get('source', '')} — {notes}".strip(" —")[:1000]
        return values

    def _names(
        self, row: RowReport, cells: list[Any], key: str, table: dict[Any, Any], what: str
    ) -> list[Any] | None:
        text = self.text(cells, key)
        if not text:
            return None
        out = []
        for part in split_list(text):
            found = table.get(fold_name(part))
            if found is None:
                row.error(
                    self.column_label(key),
                    _("«%(value)s» non è %(what)s.") % {"value": part, "what": what},
                )
            else:
                out.append(found)
        return out

    # --- checking ---------------------------------------------------------------------------

    def check(self, row: RowReport, cells: list[Any]) -> Plan | None:
        existing = self.by_id(row, cells, self.visible)
        ente = existing.ente if existing else self.row_ente(row, cells, self.enti)
        values = self._values(row, cells)
        countries = values.pop("_countries", [])
        if existing is False or ente is None or row.errors:
            return None
        kind = values.get("kind") or MeetingKind.INCONTRO
        names = split_list(self.text(cells, "controparti"))
        theirs = _pairs(self.text(cells, "loro"), self.text(cells, "loro_ruoli"))
        if (
            "kind" in values
            and kind == MeetingKind.INCONTRO
            and ("delegation" in self.text(cells, "controparti").lower() or len(theirs) > 1)
        ):
            kind = values["kind"] = MeetingKind.DELEGAZIONE
        if "title" not in values and names:
            values["title"] = title_for({"counterpart_organisation": "; ".join(names)}, kind)
        row.label = values.get("title", "")
        plan = Plan(row=row, ente=ente, values=values)
        if names:
            plan.counterparts = self._counterparts(row, names, countries, values, cells)
        plan.m2m["sectors"] = self._names(row, cells, "ambiti", self.sectors, _("un ambito"))
        agreements = {k[1]: a for k, a in self.agreements.items() if k[0] == ente.pk}
        plan.m2m["agreements"] = self._names(
            row, cells, "accordi", agreements, _("un accordo dell'ente")
        )
        plan.m2m = {k: v for k, v in plan.m2m.items() if v is not None}
        if row.errors:
            return None
        if existing is None:
            existing = self._recognised(row, ente, values)
        if existing is not None:
            return self._plan_update(plan, existing)
        if not values.get("title"):
            row.error(self.column_label("titolo"), _("manca il titolo (o le controparti)."))
            return None
        key = self._key(
            ente.pk,
            values["title"],
            values.get("date"),
            values.get("date_precision", DatePrecision.UNKNOWN),
            values.get("period", ""),
        )
        if self.repeated(
            row, key, "titolo", _("lo stesso incontro è già alla riga %(row)s del file.")
        ):
            return None
        # Where: the meeting's own columns, else (a list of counterparts) where they are for a
        # mission abroad, and the ente's city for a meeting at home.
        outgoing = kind == MeetingKind.MISSIONE
        there = self.text(cells, "citta_controparte")
        values.setdefault("city", (there if outgoing else ente.city)[:120])
        values.setdefault(
            "country", (countries[0] if countries else "") if outgoing else ente.country
        )
        if "status" not in values:
            last = ImpreciseDate.of(values.get("date"), values.get("date_precision")).last_day
            values["status"] = (
                MeetingStatus.CONFERMATO
                if last and last > timezone.localdate()
                else MeetingStatus.SVOLTO
            )
        plan.participants = [
            (str(ParticipantSide.NOSTRO), n, r)
            for n, r in _pairs(self.text(cells, "nostri"), self.text(cells, "nostri_ruoli"))
        ] + [(str(ParticipantSide.CONTROPARTE), n, r) for n, r in theirs]
        meeting = Meeting(ente=ente, **values)
        try:
            meeting.full_clean(exclude=["ente"])
        except ValidationError as exc:
            row.invalid(exc, Meeting)
            return None
        row.status = RowStatus.NEW
        row.changes.append(
            _("Nuovo incontro dell'ente %(ente)s: %(when)s")
            % {"ente": ente, "when": meeting.when_text or str(meeting.when)}
        )
        return plan

    def _counterparts(
        self,
        row: RowReport,
        names: list[str],
        countries: list[str],
        values: dict[str, Any],
        cells: list[Any],
    ) -> list[Organisation | NewOrganisation]:
        """Each name in one of the counterparts' countries, else by its own name anywhere
        (an export names them without country), else new in the first country known."""
        out: list[Organisation | NewOrganisation] = []
        city = self.text(cells, "citta_controparte")
        for name in names:
            found: Organisation | NewOrganisation | None = None
            for country in countries:
                certain = [c for c in self.partners.index.match(name, country=country) if c.certain]
                if certain:
                    found = certain[0].organisation
                    break
            if found is None and len(same := self.partners.named(name)) == 1:
                found = same[0]
            if found is None:
                found = self.partners.find(
                    row,
                    name,
                    country=(countries or [values.get("country", "")])[0],
                    city=city,
                    kind=kind_of(name, city),
                )
            if found is not None and all(key_of(found) != key_of(o) for o in out):
                out.append(found)
        return out

    def _recognised(self, row: RowReport, ente: Ente, values: dict[str, Any]) -> Meeting | None:
        key = self._key(
            ente.pk,
            values.get("title", ""),
            values.get("date"),
            values.get("date_precision", DatePrecision.UNKNOWN),
            values.get("period", ""),
        )
        pk = self.known.get(key)
        if pk is None:
            return None
        row.warnings.append(_("Riconosciuto: stesso titolo e data (n. %(id)s).") % {"id": pk})
        return self.visible.get(pk=pk)

    def _plan_update(self, plan: Plan, meeting: Meeting) -> Plan | None:
        row = plan.row
        row.label = meeting.title
        if self.repeated(
            row, ("id", meeting.pk), "", _("lo stesso incontro è già alla riga %(row)s.")
        ):
            return None
        status = plan.values.pop("status", None)
        if status and status != meeting.status:
            row.error(
                self.column_label("stato"),
                _("lo stato si cambia con le azioni dell'incontro (%(from)s → %(to)s).")
                % {"from": meeting.get_status_display(), "to": MeetingStatus(status).label},
            )
            return None
        for name in ("ends_at", "starts_at"):
            if plan.values.get(name) is None:
                plan.values.pop(name, None)
        changes = self.changes(row, meeting, plan.values)
        m2m = {}
        if plan.counterparts is not None:
            plan.m2m["counterparts"] = plan.counterparts
        for name, items in plan.m2m.items():
            current = set(getattr(meeting, name).values_list("pk", flat=True))
            if any(isinstance(o, NewOrganisation) for o in items) or current != {
                o.pk for o in items
            }:
                m2m[name] = items
                row.changes.append(
                    f"{verbose_name(Meeting, name)}: {'; '.join(name_of(o) if name == 'counterparts' else str(o) for o in items)}"
                )
        if not changes and not m2m:
            row.status = RowStatus.UNCHANGED
            return None
        if not can(self.user, "change", Meeting, meeting):
            row.error("", _("non puoi modificare questo incontro."))
            return None
        row.status = RowStatus.UPDATED
        plan.values, plan.m2m, plan.counterparts = changes, m2m, None
        plan.existing, plan.version = meeting, meeting.version
        return plan

    # --- writing ----------------------------------------------------------------------------

    def apply_one(self, plan: Plan, written: list[Written]) -> None:
        m2m = dict(plan.m2m)
        if "counterparts" in m2m:
            m2m["counterparts"] = [self.partners.saved(o, written) for o in m2m["counterparts"]]
        if plan.counterparts is not None:
            m2m["counterparts"] = [self.partners.saved(o, written) for o in plan.counterparts]
        if plan.existing is None:
            meeting = create_meeting(user=self.user, ente=plan.ente, data={**plan.values, **m2m})
            written.append(Written(meeting))
            for side, name, role in plan.participants:
                written.append(
                    Written(
                        Participant.objects.create(
                            meeting=meeting, side=side, guest_name=name, role=role
                        )
                    )
                )
            return
        meeting = plan.existing
        before = before_of(meeting, [*plan.values, *m2m])
        with changed_meanwhile(
            _("«%(title)s» è stato modificato da qualcun altro durante l'importazione.")
            % {"title": meeting.title}
        ):
            update_meeting(
                meeting, user=self.user, data={**plan.values, **m2m}, expected_version=plan.version
            )
        written.append(updated(meeting, before))


def parse_choice_kind(value: Any) -> str | None:
    from ponti.core.importing.cells import parse_choice

    return parse_choice(value, MeetingKind, aliases=KIND_ALIASES)
