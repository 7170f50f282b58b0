"""Agreements and twin-town lists, through the import engine.

A row names an Italian city (or nobody: the importing ente) and a partner. When the Italian
city is the importing ente or one of its child enti, the row is that ente's agreement: an
agreement it already has with that partner is recognised, never duplicated. Otherwise the row
is a known bond between the comune's organisation and its partner (`bonds.KnownBond`), never
counted as the ente's own. Partners are found by every name, the Wikidata id, GeoNames and
coordinates (`partners.matching`); a city met for the first time is created once, under its
GeoNames name, with the list's spelling kept as its Italian name. Files shaped like the
Wikipedia/Wikidata twin-town lists (`italian_city,partner_city,partner_country_iso2,…`) and like
Ponti's own agreements export import without editing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from ponti.core.dates import DatePrecision, ImpreciseDate
from ponti.core.importing.cells import (
    CellError,
    parse_choice,
    parse_coordinate,
    parse_country,
    parse_day,
    parse_imprecise,
)
from ponti.core.importing.columns import Column
from ponti.core.importing.files import cell_text, normalise_name
from ponti.core.importing.kinds import Importer, RowReport, Written, register
from ponti.core.importing.models import RecordAction, RowStatus
from ponti.core.models import Ente
from ponti.core.permissions import can
from ponti.partners import gazetteer
from ponti.partners.gazetteer import fold_name
from ponti.partners.importing import (
    NewOrganisation,
    enti_by_name,
    key_of,
    name_of,
    warn_probable,
)
from ponti.partners.matching import OrganisationIndex
from ponti.partners.models import Organisation, OrganisationKind, OrganisationName

from . import tables
from .import_bonds import KnownBonds
from .models import Agreement, AgreementConfidence, AgreementKind
from .services import create_agreement, twin_conflicts
from .states import Status

C = Column
IMPORT_COLUMNS = [
    C("id", "ID"),
    C(
        "citta_italiana",
        gettext_lazy("Città italiana"),
        ("italian_city", "ente", "comune", "florence_entity", "citta"),
    ),
    C(
        "partner",
        gettext_lazy("Partner"),
        ("partner_city", "citta_partner", "twin_town", "sister_city", "partner_name", "city"),
        required=True,
    ),
    C(
        "altro_nome",
        gettext_lazy("Altro nome del partner"),
        ("partner_wiki_title", "city_name_in_it_sources", "nome_italiano", "partner_label"),
    ),
    C(
        "paese",
        gettext_lazy("Paese"),
        (
            "paesi",
            "partner_country_iso2",
            "country_iso2",
            "country",
            "partner_country",
            "nazione",
            "paese_del_partner",
            "partner_s_country",
        ),
    ),
    C("nome_paese", gettext_lazy("Nome del paese"), ("partner_country_label_wikidata_it",)),
    # Ponti's export of known bonds: the city's country (Italy for a comune of the territory);
    # in such a file the ID is the bond's, not an agreement's.
    C("paese_citta", gettext_lazy("Paese della città")),
    C("latitudine", gettext_lazy("Latitudine"), ("partner_lat", "lat", "latitude")),
    C("longitudine", gettext_lazy("Longitudine"), ("partner_lon", "lon", "lng", "longitude")),
    C("wikidata", gettext_lazy("Wikidata"), ("partner_wikidata", "wikidata_id", "qid")),
    C("tipo", gettext_lazy("Tipo"), ("kind", "tipo_accordo")),
    C("anno", gettext_lazy("Anno"), ("year", "year_signed", "anno_firma")),
    C("firma", gettext_lazy("Firma"), ("date_signed", "data_firma", "signed", "signed_on")),
    C("stato", gettext_lazy("Stato"), ("status",)),
    C("titolo", gettext_lazy("Titolo"), ("title",)),
    C("affidabilita", gettext_lazy("Affidabilità"), ("confidence", "affidabilita_dato")),
    C("fonte", gettext_lazy("Fonte"), ("source", "fonti", "sources")),
]
# Every other column of Ponti's own export is known too: a row with an ID is compared with
# the record's export, cell by cell, so that export → import changes nothing and an edit the
# import does not apply is refused by name, never ignored.
_KNOWN = {c.key for c in IMPORT_COLUMNS} | {
    "id",
    "partners",
    "countries",
    "title",
    "kind",
    "status",
    "confidence",
    "source",
    "signed",
}
EXPORT_ONLY = [
    C(f"export_{c.key}", c.label) for c in tables.AGREEMENT_COLUMNS if c.key not in _KNOWN
]
UPDATABLE = {"titolo": "title", "fonte": "source", "affidabilita": "confidence"}
KIND_ALIASES: dict[str, str] = {
    "twinning": AgreementKind.GEMELLAGGIO,
    "twin_town": AgreementKind.GEMELLAGGIO,
    "twin_city": AgreementKind.GEMELLAGGIO,
    "sister_city": AgreementKind.GEMELLAGGIO,
    "jumelage": AgreementKind.GEMELLAGGIO,
    "amicizia": AgreementKind.AMICIZIA,
    "friendship": AgreementKind.AMICIZIA,
    "friendship_pact": AgreementKind.AMICIZIA,
    "patto_di_amicizia": AgreementKind.AMICIZIA,
    "fratellanza": AgreementKind.FRATELLANZA,
    "protocollo_d_intesa": AgreementKind.MOU,
    "protocollo_di_intesa": AgreementKind.MOU,
    "memorandum_of_understanding": AgreementKind.MOU,
    "cooperation": AgreementKind.COOPERAZIONE,
    "cooperation_agreement": AgreementKind.COOPERAZIONE,
    "letter_of_intent": AgreementKind.INTENTI,
    "other": AgreementKind.ALTRO,
}
CONFIDENCE_ALIASES = {"alta": "high", "media": "medium", "bassa": "low", "da_verificare": "low"}
TWIN_KINDS = {AgreementKind.GEMELLAGGIO, AgreementKind.AMICIZIA, AgreementKind.FRATELLANZA}


@dataclass
class Plan:
    row: RowReport
    ente: Ente | None  # the agreement's ente; None for a known bond
    partner: Organisation | NewOrganisation
    italian: Organisation | NewOrganisation | None = None  # the comune of a known bond
    data: dict[str, Any] = field(default_factory=dict)
    existing: Agreement | None = None
    changes: dict[str, Any] = field(default_factory=dict)


def _kind(value: str) -> str:
    """«gemellaggio (as listed in it.wikipedia …)» → gemellaggio; «other (protocollo…)» → altro."""
    head = value.split("(")[0].strip() or value
    return parse_choice(head, AgreementKind, aliases=KIND_ALIASES) or AgreementKind.GEMELLAGGIO


@register
class AgreementImporter(Importer):
    kind = "agreements"
    label = gettext_lazy("Accordi e gemellaggi (anche elenchi di città gemellate)")
    model = Agreement
    columns = [*IMPORT_COLUMNS, *EXPORT_ONLY]
    ignored_columns = ("country_basis", "domestic_partner", "notes", "note", "nota")
    description = gettext_lazy(
        "Una riga per accordo: la città italiana (vuota: il tuo ente), il partner e il suo paese; "
        "se la città italiana non è il tuo ente né un ente che ne dipende, la riga diventa un "
        "legame noto tra le due città."
    )

    def prepare(self) -> None:
        self.index = OrganisationIndex.visible_to(self.user)
        self.gazetteer = gazetteer.get()
        tree = list(Ente.objects.filter(pk__in=self.ente.descendant_ids()))
        self.enti = enti_by_name(tree, city=True)
        self.own = {
            (ente_id, partner_id): agreement_id
            for agreement_id, ente_id, partner_id in Agreement.objects.filter(
                ente__in=tree
            ).values_list("pk", "ente_id", "partners")
            if partner_id
        }
        self.bonds = KnownBonds(self)
        self.new_orgs: dict[
            tuple[str, str], NewOrganisation
        ] = {}  # (country, folded name) → planned org

    # --- Reading a row --------------------------------------------------------------------

    def _country(self, row: RowReport, cells: list[Any]) -> str | None:
        code = self.read(row, cells, "paese", parse_country)
        if code is None and not row.errors and self.text(cells, "nome_paese"):
            code = self.read(row, cells, "nome_paese", parse_country)
        return code

    def _signed(self, row: RowReport, cells: list[Any]) -> ImpreciseDate | None:
        """The signature as far as it is known («1958», «07/1958», a spreadsheet date), else
        the year column; None when neither says."""
        if cell_text(self.cell(cells, "firma")):
            return self.read(row, cells, "firma", parse_imprecise)
        year_text = self.text(cells, "anno")
        if not year_text:
            return None
        if year_text.isdigit() and 1000 <= int(year_text) <= 2200:
            return ImpreciseDate.of(datetime.date(int(year_text), 1, 1), DatePrecision.YEAR)
        row.error(
            self.column_label("anno"),
            _("«%(value)s» non è un anno (per esempio 1958).") % {"value": year_text},
        )
        return None

    def check(self, row: RowReport, cells: list[Any]) -> Plan | None:
        partner_name = self.text(cells, "partner")
        italian_name = self.text(cells, "citta_italiana")
        row.label = " – ".join(n for n in (italian_name or str(self.ente), partner_name) if n)
        record_id = self.text(cells, "id")
        if record_id and not self.bonds.only():
            return self._check_existing(row, cells, record_id)
        if not partner_name:
            row.error(self.column_label("partner"), _("manca il nome del partner."))
            return None
        unread = [c for c in EXPORT_ONLY if self.text(cells, c.key)]
        if unread:
            row.warnings.append(
                _(
                    "Per un accordo nuovo non si leggono %(columns)s: completali dalla pagina dell'accordo."
                )
                % {"columns": ", ".join(f"«{self.column_label(c.key)}»" for c in unread)}
            )
        country = self._country(row, cells)
        if country is None and not row.errors:
            row.error(self.column_label("paese"), _("manca il paese del partner."))
        latitude = self.read(row, cells, "latitudine", lambda v: parse_coordinate(v, limit=90))
        longitude = self.read(row, cells, "longitudine", lambda v: parse_coordinate(v, limit=180))
        kind = self.read(
            row, cells, "tipo", lambda v: _kind(cell_text(v)) if cell_text(v) else None
        )
        kind = kind or AgreementKind.GEMELLAGGIO
        status = self.choice(row, cells, "stato", Status) or Status.ATTIVO
        confidence = (
            self.choice(row, cells, "affidabilita", AgreementConfidence, aliases=CONFIDENCE_ALIASES)
            or AgreementConfidence.MEDIUM
        )
        signed = self._signed(row, cells)
        source = self.text(cells, "fonte")[:1000]
        if row.errors or country is None:
            return None
        alternative = self.text(cells, "altro_nome")
        wikidata = self.text(cells, "wikidata").upper()
        partner = self.organisation(
            row, partner_name, country, latitude, longitude, wikidata, alternative, source
        )
        ente = self.enti.get(fold_name(italian_name)) if italian_name else self.ente
        if self.bonds.only():
            ente = None
        plan = Plan(row=row, ente=ente, partner=partner)
        if ente is not None:
            return self._plan_agreement(plan, kind, status, confidence, signed, source, cells)
        return self.bonds.plan(plan, cells, italian_name, kind, confidence, signed, source)

    def _plan_agreement(
        self,
        plan: Plan,
        kind: str,
        status: str,
        confidence: str,
        signed: ImpreciseDate | None,
        source: str,
        cells: list[Any],
    ) -> Plan | None:
        row, ente, partner = plan.row, plan.ente, plan.partner
        assert ente is not None
        if ente != self.ente and not can(self.user, "add", Agreement, ente):
            row.error(
                self.column_label("citta_italiana"),
                _("non puoi creare accordi per l'ente «%(ente)s».") % {"ente": ente},
            )
            return None
        key = (ente.pk, key_of(partner))
        if self.repeated(
            row, key, "partner", _("lo stesso accordo è già alla riga %(row)s del file.")
        ):
            return None
        if isinstance(partner, Organisation):
            if partner.represents_id == ente.pk:
                row.error(
                    self.column_label("partner"), _("un accordo non lega un ente a sé stesso.")
                )
                return None
            existing = self.own.get((ente.pk, partner.pk))
            if existing is not None:
                row.status = RowStatus.UNCHANGED
                row.warnings.append(
                    _("Accordo già presente (n. %(id)s): riconosciuto, non duplicato.")
                    % {"id": existing}
                )
                return None
            conflicts = twin_conflicts(ente=ente, kind=kind, partners=[partner])
            if conflicts:
                row.error(
                    self.column_label("paese"),
                    _(
                        "l'ente ha già un gemellaggio in questo paese (%(other)s) e ne ammette uno solo."
                    )
                    % {"other": conflicts[0]},
                )
                return None
        row.status = RowStatus.NEW
        title = self.text(cells, "titolo") or _("%(kind)s %(ente)s – %(partner)s") % {
            "kind": AgreementKind(kind).label,
            "ente": ente.city or ente.short_name or ente.name,
            "partner": name_of(partner),
        }
        plan.data = {
            "kind": kind,
            "title": title[:300],
            "status": status,
            "confidence": confidence,
            "source": source,
            "signed_on": signed.first_day if signed else None,
            "signed_precision": signed.precision if signed else DatePrecision.UNKNOWN,
            "confidentiality": "interno",
        }
        row.changes.append(
            _("Nuovo accordo dell'ente %(ente)s: %(title)s (%(status)s%(when)s)")
            % {
                "ente": ente,
                "title": plan.data["title"],
                "status": Status(status).label,
                "when": f", {signed}" if signed else "",
            }
        )
        if confidence == AgreementConfidence.LOW:
            row.warnings.append(_("Affidabilità bassa: da verificare."))
        return plan

    def _check_existing(self, row: RowReport, cells: list[Any], record_id: str) -> Plan | None:
        """A row of Ponti's own export, recognised by its ID and compared cell by cell with the
        agreement's export now: title, source and confidence are updated; any other difference
        is refused by name (the state, the partners, the dates change on the agreement's page)."""
        from ponti.core.exports import row_texts
        from ponti.core.ids import parse_id

        pk = parse_id(record_id)
        agreement = Agreement.objects.for_user(self.user).filter(pk=pk).first() if pk else None
        if agreement is None:
            row.error(
                "ID", _("nessun accordo n. %(id)s tra quelli che puoi vedere.") % {"id": record_id}
            )
            return None
        row.label = agreement.title
        assert self.mapping is not None
        current: dict[str, set[str]] = {}
        for language in ("it", "en"):
            with override(language):
                record = next(
                    iter(tables.for_export(Agreement.objects.filter(pk=agreement.pk), self.user))
                )
                texts = row_texts(tables.AGREEMENT_COLUMNS, record)
                for column, text in zip(tables.AGREEMENT_COLUMNS, texts, strict=True):
                    current.setdefault(normalise_name(column.label), set()).add(cell_text(text))
        changes: dict[str, Any] = {}
        for key in self.mapping.index:
            if key == "id":
                continue
            written = self.mapping.written[key]
            given = self.text(cells, key)
            known = current.get(normalise_name(written))
            if known is None or given in known or _same_date(given, known):
                continue
            if key in UPDATABLE:
                changes[UPDATABLE[key]] = given
                continue
            row.error(
                written,
                _(
                    "«%(value)s» è diverso da quanto registrato («%(now)s»): si cambia dalla pagina dell'accordo, non con un'importazione."
                )
                % {"value": given, "now": sorted(known)[0]},
            )
        if "confidence" in changes:
            confidence = self.read(
                row,
                cells,
                "affidabilita",
                lambda v: parse_choice(v, AgreementConfidence, aliases=CONFIDENCE_ALIASES),
            )
            if confidence is None or confidence == agreement.confidence:
                changes.pop("confidence")
            else:
                changes["confidence"] = confidence
        if "title" in changes:
            changes["title"] = changes["title"][:300]
        if "source" in changes:
            changes["source"] = changes["source"][:1000]
        if row.errors:
            return None
        if not changes:
            row.status = RowStatus.UNCHANGED
            return None
        if not can(self.user, "change", Agreement, agreement):
            row.error("", _("non puoi modificare questo accordo."))
            return None
        row.status = RowStatus.UPDATED
        for name, value in changes.items():
            row.changes.append(f"{name}: {getattr(agreement, name)} → {value}")
        return Plan(
            row=row,
            ente=agreement.ente,
            partner=Organisation(),
            existing=agreement,
            changes=changes,
        )

    # --- Partners ---------------------------------------------------------------------------

    def organisation(
        self,
        row: RowReport,
        name: str,
        country: str,
        latitude: Any,
        longitude: Any,
        wikidata: str,
        alternative: str,
        source: str,
    ) -> Organisation | NewOrganisation:
        """The city a row names: a certain match among the organisations the user may see,
        else one planned once for the batch, under its GeoNames name when GeoNames knows it
        (the row's spelling kept as its Italian name)."""
        found = self.index.match(
            name,
            country=country,
            latitude=latitude,
            longitude=longitude,
            wikidata_id=wikidata,
            other_names=[alternative] if alternative else [],
        )
        certain = [c for c in found if c.certain]
        if certain:
            return certain[0].organisation
        city = self.gazetteer.lookup(name, country) or (
            self.gazetteer.lookup(alternative, country) if alternative else None
        )
        keys = [(country, fold_name(n)) for n in (name, alternative) if n]
        if city is not None:
            keys.append((country, f"geonames:{city}"))
        for key in keys:
            if key in self.new_orgs:
                return self.new_orgs[key]
        warn_probable(row, name, found)
        known = self.gazetteer.city(city) if city is not None else None
        canonical = known.name if known is not None else name
        if known is not None and latitude is None:
            latitude = Decimal(str(round(known.latitude, 6)))
            longitude = Decimal(str(round(known.longitude, 6)))
        org = Organisation(
            name=canonical[:300],
            kind=OrganisationKind.CITY,
            country=country,
            city=canonical[:120],
            latitude=latitude,
            longitude=longitude,
            wikidata_id=wikidata or None,
            source=source[:500],
            confidentiality="interno",
        )
        try:
            org.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            row.invalid(exc)
        italian = name if name != canonical else alternative
        planned = NewOrganisation(
            org, first_row=row.number, names={"it": italian} if italian else {}
        )
        for key in keys:
            self.new_orgs[key] = planned
        row.changes.append(
            _("Nuova organizzazione: %(name)s (%(country)s)")
            % {"name": canonical, "country": country}
        )
        return planned

    # --- Writing ----------------------------------------------------------------------------

    def saved(self, org: Organisation | NewOrganisation, written: list[Written]) -> Organisation:
        """The organisation, created now if it was planned (once, for every row naming it)."""
        if isinstance(org, Organisation):
            return org
        if not org.created:
            org.org.full_clean()
            org.org.save()
            org.created = True
            written.append(Written(org.org))
            italian = org.names.get("it", "")
            if italian and fold_name(italian) != fold_name(org.org.name):
                written.append(
                    Written(
                        OrganisationName.objects.create(
                            organisation=org.org, language="it", name=italian[:300]
                        )
                    )
                )
            self.index.add(org.org)
        return org.org

    def apply_one(self, plan: Plan, written: list[Written]) -> None:
        if plan.existing is not None:
            agreement = plan.existing
            before = {name: getattr(agreement, name) for name in plan.changes}
            for name, value in plan.changes.items():
                setattr(agreement, name, value)
            agreement.full_clean()
            agreement.version += 1
            agreement.save()
            written.append(Written(agreement, RecordAction.UPDATED, before))
            return
        partner = self.saved(plan.partner, written)
        if plan.ente is not None:
            agreement = create_agreement(
                user=self.user, ente=plan.ente, data={**plan.data, "partners": [partner]}
            )
            written.append(Written(agreement))
            return
        self.bonds.write(plan, partner, written)


def _same_date(given: str, known: set[str]) -> bool:
    """A spreadsheet may turn «1958-07-03» into a date cell: read back as the same day."""
    try:
        day = parse_day(given)
    except CellError:
        return False
    return day is not None and day.isoformat() in known
