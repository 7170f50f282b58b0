"""Erasure (GDPR art. 17), or pseudonymisation where a legal record must stay.

A person is erased: their record, positions, participations, signatures and links are
deleted, their identifiers are replaced in free text, in stored documents' metadata and in
the audit history. Except where a legal record must keep them:

- a signatory of an agreement that was approved or signed (an act of the ente's council,
  Giunta or Mayor: the ente's archive keeps it, D.Lgs. 42/2004 art. 10, DPR 445/2000);
- a participant of a meeting that was held (the record of an official meeting).

Then the person stays as a pseudonym, "Persona rimossa #<id>", with no contacts, notes,
title, languages or positions. The role on the record itself (the signatory's "role at the
signing", the participant's "role that day") is kept: in what capacity someone signed or
met is part of the act's legal meaning (a mayor signs for a city); everything else about the
person is not needed for it. The erasure is global: a person is one record shared by every
ente, so the records of other enti change too (the confirmation page counts them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ponti.core import audit
from ponti.core.models import Versioned
from ponti.core.text import fold

from ..models import GdprBasis, Person
from . import documents, mentions
from .access import readable
from .collect import related_rows

PSEUDONYM_FIRST_NAME = "Persona rimossa"  # stored data: in the source language, like the rest

# Rows that are a legal record, by label (partners imports no other app), with the test.
LEGAL_RECORDS: dict[str, Q] = {
    "agreements.signatory": (
        Q(agreement__signed_on__isnull=False)
        | Q(agreement__approval_date__isnull=False)
        | ~Q(agreement__approval_number="")
        | Q(agreement__status__in=["approvato", "firmato", "attivo", "rinnovato", "sospeso"])
    ),
    "meetings.participant": Q(meeting__status="svolto"),
}


def pseudonym(person: Person) -> str:
    return f"{PSEUDONYM_FIRST_NAME} #{person.pk}"


@dataclass
class Line:
    label: str
    count: int


@dataclass
class Plan:
    """What an erasure will do, as the confirmation page and the API show it."""

    person: Person
    kept: list[Line] = field(default_factory=list)
    deleted: list[Line] = field(default_factory=list)
    hidden: int = 0  # rows of other enti or above the reader's clearance, counted only
    mentions: list[Line] = field(default_factory=list)
    mentions_not_rewritten: int = 0
    documents_checked: int = 0
    history_events: int = 0
    # internals, for `execute`
    keep_ids: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def pseudonymise(self) -> bool:
        return any(self.keep_ids.values())

    @property
    def label(self) -> str:
        return pseudonym(self.person)

    def as_dict(self) -> dict[str, Any]:
        return {
            "person_id": self.person.pk,
            "outcome": "pseudonymise" if self.pseudonymise else "erase",
            "pseudonym": self.label if self.pseudonymise else None,
            "kept": [line.__dict__ for line in self.kept],
            "deleted": [line.__dict__ for line in self.deleted],
            "hidden_records": self.hidden,
            "mentions": [line.__dict__ for line in self.mentions],
            "mentions_not_rewritten": self.mentions_not_rewritten,
            "documents_checked": self.documents_checked,
            "history_events": self.history_events,
        }


def _count(lines: list[Line], label: str) -> None:
    for line in lines:
        if line.label == label:
            line.count += 1
            return
    lines.append(Line(label, 1))


def plan(person: Person, user: Any) -> Plan:
    result = Plan(person=person)
    for rel, rows in related_rows(person):
        model = rel.related_model
        label = model._meta.label_lower
        test = LEGAL_RECORDS.get(label)
        keep = (
            set(
                model._base_manager.filter(pk__in=[r.pk for r in rows])
                .filter(test)
                .values_list("pk", flat=True)
            )
            if test is not None
            else set()
        )
        result.keep_ids[label] = sorted(keep)
        for row in rows:
            if not readable(user, row):
                result.hidden += 1
                continue
            kind = str(model._meta.verbose_name_plural)
            _count(result.kept if row.pk in keep else result.deleted, kind)
    terms = mentions.identifiers(person)
    for mention in mentions.find(terms):
        if mention.rewritable:
            _count(result.mentions, str(mention.obj._meta.verbose_name_plural))
        else:
            result.mentions_not_rewritten += 1
    result.documents_checked = documents.stored_documents()
    from .collect import history

    result.history_events = history(user, person, [], terms).count()
    return result


def _rewrite_mentions(terms: list[str], label: str) -> int:
    patterns = [re.compile(re.escape(t), re.IGNORECASE) for t in terms]
    count = 0
    for mention in mentions.find(terms):
        if not mention.rewritable:
            continue
        model = type(mention.obj)
        value = getattr(mention.obj, mention.field) or ""
        for pattern in patterns:
            value = pattern.sub(label, value)
        limit = getattr(model._meta.get_field(mention.field), "max_length", None)
        value = value[:limit] if limit else value
        # A raw update: an audited save would write the old text, the name, into the trail.
        changes: dict[str, Any] = {mention.field: value}
        if issubclass(model, Versioned):  # a form read before the erasure must not write it back
            changes["version"] = F("version") + 1
        model._base_manager.filter(pk=mention.obj.pk).update(**changes)
        count += 1
    return count


def execute(person: Person, *, user: Any) -> dict[str, Any]:
    """Erase or pseudonymise `person`, everywhere; answer what was done (counts only)."""
    with audit.acting_as(user), transaction.atomic():
        person = Person._base_manager.select_for_update().get(pk=person.pk)
        person_pk = person.pk
        the_plan = plan(person, user)
        label = the_plan.label
        terms = mentions.identifiers(person)
        relations = related_rows(person)
        deleted = kept = 0
        # First the roles of the rows that stay, while their positions still exist.
        for rel, rows in relations:
            keep = set(the_plan.keep_ids.get(rel.related_model._meta.label_lower, []))
            for row in rows:
                if row.pk in keep:
                    _keep_role(row)
                    kept += 1
        for rel, rows in relations:
            model = rel.related_model
            keep = set(the_plan.keep_ids.get(model._meta.label_lower, []))
            if rel.many_to_many:
                getattr(person, rel.get_accessor_name()).clear()
                deleted += len(rows)
                continue
            drop = [row.pk for row in rows if row.pk not in keep]
            if drop:
                model._base_manager.filter(pk__in=drop).delete()
            deleted += len(drop)
        rewritten = _rewrite_mentions(terms, label)
        if the_plan.pseudonymise:
            Person._base_manager.filter(pk=person.pk).update(
                honorific="",
                first_name=PSEUDONYM_FIRST_NAME,
                last_name=f"#{person.pk}",
                title="",
                languages="",
                email="",
                phone="",
                mobile="",
                notes="",
                gdpr_basis=GdprBasis.LEGAL_OBLIGATION,
                gdpr_source="",
                gdpr_date=timezone.localdate(),
                erased_at=timezone.now(),
                search_text=fold(label),
                version=F("version") + 1,
            )
        else:
            person.delete()
        files = documents.scrub_stored(terms, label)
        outcome = (
            _("Pseudonimizzazione (art. 17 GDPR)")
            if the_plan.pseudonymise
            else _("Cancellazione (art. 17 GDPR)")
        )
        note = _(
            "%(outcome)s: %(deleted)s record eliminati, %(kept)s conservati con lo pseudonimo, "
            "%(mentions)s menzioni sostituite, %(files)s documenti ripuliti."
        ) % {
            "outcome": outcome,
            "deleted": deleted,
            "kept": kept,
            "mentions": rewritten,
            "files": files,
        }
        events = audit.scrub_personal_data(
            ContentType.objects.get_for_model(Person),
            person_pk,
            {term: label for term in terms},
            label=label,
            note=note,
            confidentiality=person.confidentiality,
        )
    return {
        "person_id": person_pk,
        "outcome": "pseudonymise" if the_plan.pseudonymise else "erase",
        "pseudonym": label if the_plan.pseudonymise else None,
        "records_deleted": deleted,
        "records_kept": kept,
        "mentions_rewritten": rewritten,
        "documents_rewritten": files,
        "history_events_rewritten": events,
    }


def _keep_role(row: models.Model) -> None:
    """The capacity on a kept legal record: its own role, or the position's, written on the
    row before the positions go."""
    position = getattr(row, "position", None)
    if hasattr(row, "role") and not row.role and position is not None:
        type(row)._base_manager.filter(pk=row.pk).update(role=position.role)
