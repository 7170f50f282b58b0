"""People of the registry, each with a position, through the import engine.

A row is a person and, optionally, one position: the organisation by name and country
(found through the matcher, or created once), the role and its dates as known («1998»,
«03/2004»). A person already in the registry is recognised by ID, else by e-mail, else by
the same name at the same organisation; the report says which. A new person needs the
source of the data (GDPR): the legal basis, when not given, is the one set for the kind of
person (`RetentionRule`). The headers are the labels of the people's export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponti.core.dates import ImpreciseDate
from ponti.core.importing.cells import CellError, parse_country, parse_day
from ponti.core.importing.columns import Column
from ponti.core.importing.kinds import RowReport, Written, changed_meanwhile, register
from ponti.core.importing.models import RowStatus
from ponti.core.permissions import can

from .gazetteer import fold_name
from .importing import (
    NewOrganisation,
    RecordImporter,
    before_of,
    key_of,
    name_of,
    updated,
)
from .models import (
    GdprBasis,
    Organisation,
    OrganisationKind,
    Person,
    PersonKind,
    Position,
    RetentionRule,
)
from .services import create_person, save_position, update_person

C = Column
PERSON_COLUMNS = [
    C("id", "ID"),
    C("appellativo", gettext_lazy("Appellativo"), ("honorific",)),
    C("nome", gettext_lazy("Nome"), ("first_name", "name", "given_name"), required=True),
    C("cognome", gettext_lazy("Cognome"), ("last_name", "surname", "family_name"), required=True),
    C("titolo", gettext_lazy("Titolo o qualifica"), ("title", "qualifica", "titolo")),
    # What the export shows of the current positions: read by nobody (positions are
    # imported one a row through the columns below).
    C("incarichi_attuali", gettext_lazy("Incarichi attuali"), ("current_positions",)),
    C("lingue", gettext_lazy("Lingue"), ("languages",)),
    C("email", gettext_lazy("E-mail"), ("email", "mail", "posta_elettronica")),
    C("telefono", gettext_lazy("Telefono"), ("phone", "tel")),
    C("cellulare", gettext_lazy("Cellulare"), ("mobile",)),
    C("tipo", gettext_lazy("Tipo di persona"), ("kind", "tipo", "person_kind")),
    C("base_giuridica", gettext_lazy("Base giuridica (GDPR)"), ("gdpr_basis", "base_giuridica")),
    C("fonte", gettext_lazy("Fonte dei dati"), ("gdpr_source", "fonte", "source")),
    C("data_raccolta", gettext_lazy("Data di raccolta"), ("gdpr_date",)),
    C("note_persona", gettext_lazy("Note"), ("notes", "note")),
    C("riservatezza", gettext_lazy("Riservatezza"), ("confidentiality",)),
    C("organizzazione", gettext_lazy("Organizzazione"), ("organisation", "organization", "ente")),
    C(
        "paese",
        gettext_lazy("Paese dell'organizzazione"),
        ("paese", "country", "organisation_country"),
    ),
    C("ruolo", gettext_lazy("Ruolo"), ("role", "position", "incarico")),
    C("dal", gettext_lazy("Dal"), ("from", "since", "start", "inizio")),
    C("al", gettext_lazy("Al"), ("to", "until", "end", "fine")),
]
TEXT = {
    "appellativo": "honorific",
    "nome": "first_name",
    "cognome": "last_name",
    "titolo": "title",
    "telefono": "phone",
    "cellulare": "mobile",
    "fonte": "gdpr_source",
    "note_persona": "notes",
}


@dataclass
class PositionPlan:
    organisation: Organisation | NewOrganisation
    role: str
    start: ImpreciseDate
    end: ImpreciseDate
    existing: Position | None = None


@dataclass
class Plan:
    row: RowReport
    values: dict[str, Any]
    existing: Person | None = None
    version: int | None = None
    position: PositionPlan | None = None


def _languages(value: Any) -> str:
    codes = [c.strip().lower() for c in re.split(r"[,;/ ]+", str(value or "")) if c.strip()]
    for code in codes:
        if not re.fullmatch(r"[a-z]{2,3}", code):
            raise CellError(
                _("«%(code)s» non è un codice lingua (es. it, en, fr).") % {"code": code}
            )
    return ", ".join(codes)


@register
class PersonImporter(RecordImporter):
    kind = "people"
    label = gettext_lazy("Persone e incarichi")
    model = Person
    columns = PERSON_COLUMNS
    description = gettext_lazy(
        "Una riga per persona: nome, cognome, contatti, la fonte dei dati (GDPR) e, se vuoi, un "
        "incarico: organizzazione e paese, ruolo, dal e al («1998», «03/2004»). Le persone già "
        "presenti sono riconosciute per ID, e-mail o stesso nome nella stessa organizzazione."
    )

    def prepare(self) -> None:
        super().prepare()
        self.visible = Person.objects.visible_to(self.user)
        self.may_change = can(self.user, "change", Person, self.ente)
        self.by_email: dict[str, int] = {}
        self.by_name: dict[str, set[int]] = {}
        for pk, first, last, email in self.visible.values_list(
            "pk", "first_name", "last_name", "email"
        ):
            if email:
                self.by_email.setdefault(email.lower(), pk)
            self.by_name.setdefault(fold_name(f"{first} {last}"), set()).add(pk)
        self.basis = dict(RetentionRule.objects.values_list("kind", "legal_basis"))

    # --- reading ----------------------------------------------------------------------------

    def _values(self, row: RowReport, cells: list[Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key, name in TEXT.items():
            text = self.text(cells, key)
            if text:
                values[name] = self.max_length(row, Person, name, key, text)
        email = self.text(cells, "email").lower()
        if email:
            try:
                validate_email(email)
                values["email"] = email
            except ValidationError:
                row.error(
                    self.column_label("email"),
                    _("«%(value)s» non è un indirizzo e-mail.") % {"value": email},
                )
        readers = (
            ("lingue", "languages", _languages),
            ("data_raccolta", "gdpr_date", parse_day),
        )
        for key, name, reader in readers:
            value = self.read(row, cells, key, reader)
            if value:
                values[name] = value
        for key, name, choices in (
            ("tipo", "kind", PersonKind),
            ("base_giuridica", "gdpr_basis", GdprBasis),
        ):
            value = self.choice(row, cells, key, choices)
            if value:
                values[name] = value
        level = self.confidentiality(row, cells)
        if level:
            values["confidentiality"] = level
        return values

    def _position(self, row: RowReport, cells: list[Any]) -> PositionPlan | None:
        name = self.text(cells, "organizzazione")
        role = self.text(cells, "ruolo")
        start = self.date_known_in_part(row, cells, "dal") or ImpreciseDate.unknown()
        end = self.date_known_in_part(row, cells, "al") or ImpreciseDate.unknown()
        country = self.read(row, cells, "paese", parse_country) or ""
        if not name:
            if role or start.is_known or end.is_known:
                row.error(
                    self.column_label("organizzazione"),
                    _("un incarico ha bisogno dell'organizzazione."),
                )
            return None
        if not role:
            row.error(self.column_label("ruolo"), _("manca il ruolo dell'incarico."))
        if start.is_known and end.is_known and end.last_day < start.first_day:  # type: ignore[operator]
            row.error(
                self.column_label("al"),
                _("la fine (%(end)s) precede l'inizio (%(start)s).") % {"end": end, "start": start},
            )
        if row.errors:
            return None
        org = self.partners.find(row, name, country=country, kind=OrganisationKind.GOVERNMENT)
        if org is None:
            row.error(
                self.column_label("paese"),
                _("«%(name)s» non è nel registro: indica il paese per crearla.") % {"name": name},
            )
            return None
        return PositionPlan(org, role[:200], start, end)

    # --- checking ---------------------------------------------------------------------------

    def check(self, row: RowReport, cells: list[Any]) -> Plan | None:
        existing = self.by_id(row, cells, self.visible)
        values = self._values(row, cells)
        row.label = " ".join(filter(None, (values.get("first_name"), values.get("last_name"))))
        position = self._position(row, cells)
        if existing is False or row.errors:
            return None
        if not values.get("first_name") or not values.get("last_name"):
            row.error(
                self.column_label("nome" if not values.get("first_name") else "cognome"),
                _("obbligatorio."),
            )
            return None
        how = ""
        if existing is None:
            existing, how = self._recognise(values, position)
        key = (
            existing.pk
            if existing
            else (
                values.get("email") or fold_name(row.label),
                key_of(position.organisation) if position else None,
            )
        )
        if self.repeated(
            row, key, "cognome", _("la stessa persona è già alla riga %(row)s del file.")
        ):
            return None
        plan = Plan(row=row, values=values, position=position)
        if existing is None:
            return self._plan_new(plan)
        if how:
            row.warnings.append(how)
        return self._plan_update(plan, existing)

    def _recognise(self, values: dict[str, Any], position: PositionPlan | None) -> tuple[Any, str]:
        email = values.get("email")
        if email and email in self.by_email:
            person = self.visible.get(pk=self.by_email[email])
            return person, _("Riconosciuta per e-mail (n. %(id)s).") % {"id": person.pk}
        if position is not None and isinstance(position.organisation, Organisation):
            same = self.by_name.get(
                fold_name(f"{values['first_name']} {values['last_name']}"), set()
            )
            there = set(
                Position.objects.filter(
                    person__in=same, organisation=position.organisation
                ).values_list("person_id", flat=True)
            )
            if len(there) == 1:
                person = self.visible.get(pk=there.pop())
                return person, _("Riconosciuta: stesso nome presso %(org)s (n. %(id)s).") % {
                    "org": position.organisation.name,
                    "id": person.pk,
                }
        return None, ""

    def _plan_new(self, plan: Plan) -> Plan | None:
        row, values = plan.row, plan.values
        if not values.get("gdpr_source"):
            row.error(
                self.column_label("fonte"),
                _(
                    "indica da dove vengono i dati della persona (GDPR): un sito, un biglietto, una lettera."
                ),
            )
            return None
        values.setdefault("kind", PersonKind.INSTITUTIONAL)
        values.setdefault("gdpr_basis", self.basis.get(values["kind"], GdprBasis.PUBLIC_ROLE))
        person = Person(**values)
        try:
            person.full_clean()
        except ValidationError as exc:
            row.invalid(exc, Person)
            return None
        row.status = RowStatus.NEW
        row.changes.append(_("Nuova persona"))
        self._describe_position(plan)
        return plan

    def _plan_update(self, plan: Plan, person: Person) -> Plan | None:
        row = plan.row
        if person.erased_at is not None:
            row.error("", _("i dati di questa persona sono stati cancellati (GDPR)."))
            return None
        plan.values = self.changes(row, person, plan.values)
        position = plan.position
        if position is not None and isinstance(position.organisation, Organisation):
            for each in Position.objects.filter(person=person, organisation=position.organisation):
                if fold_name(each.role) == fold_name(position.role):
                    position.existing = each
            held = position.existing
            if held is not None and (held.start, held.end) == (
                position.start if position.start.is_known else held.start,
                position.end if position.end.is_known else held.end,
            ):
                plan.position = None
        if not plan.values and plan.position is None:
            row.status = RowStatus.UNCHANGED
            return None
        if not self.may_change:
            row.error("", _("non puoi modificare le persone del registro."))
            return None
        row.status = RowStatus.UPDATED
        plan.existing, plan.version = person, person.version
        self._describe_position(plan)
        return plan

    def _describe_position(self, plan: Plan) -> None:
        position = plan.position
        if position is None:
            return
        when = " – ".join(str(d) for d in (position.start, position.end) if d.is_known)
        text = f"{position.role}, {name_of(position.organisation)}" + (f" ({when})" if when else "")
        if position.existing is not None:
            plan.row.changes.append(_("Date dell'incarico: %(position)s") % {"position": text})
        else:
            plan.row.changes.append(_("Nuovo incarico: %(position)s") % {"position": text})

    # --- writing ----------------------------------------------------------------------------

    def apply_one(self, plan: Plan, written: list[Written]) -> None:
        if plan.existing is None:
            person = create_person(user=self.user, data=plan.values)
            written.append(Written(person))
        else:
            person = plan.existing
            if plan.values:
                was = before_of(person, plan.values)
                with changed_meanwhile(
                    _("«%(name)s» è stata modificata da qualcun altro durante l'importazione.")
                    % {"name": person}
                ):
                    update_person(
                        person, user=self.user, data=plan.values, expected_version=plan.version or 0
                    )
                written.append(updated(person, was))
        position = plan.position
        if position is None:
            return
        org = self.partners.saved(position.organisation, written)
        held = position.existing or Position(person=person, organisation=org, role=position.role)
        before: dict[str, Any] | None = None
        if position.existing is not None:
            before = before_of(held, ["start_date", "start_precision", "end_date", "end_precision"])
        for name, value in (("start", position.start), ("end", position.end)):
            if value.is_known or before is None:
                setattr(held, f"{name}_date", value.value)
                setattr(held, f"{name}_precision", value.precision)
        save_position(held, user=self.user, expected_version=held.version if before else None)
        written.append(Written(held) if before is None else updated(held, before))
