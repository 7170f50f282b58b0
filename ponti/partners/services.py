"""State changes of the partner registry. Views and the API call these, never .save()."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from ponti.core import audit
from ponti.core.audit import acting_as
from ponti.core.confidentiality import CONFIDENTIALITY_LEVELS
from ponti.core.dates import ImpreciseDate
from ponti.core.models import AuditAction, AuditEvent
from ponti.core.services import save_new_or_claimed, save_versioned
from ponti.core.text import similarity

from . import search_index
from .models import Organisation, OrganisationMerge, OrganisationName, Person, Position

M2M_FIELDS = ("sectors", "tags")


def _split_m2m(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    plain = {k: v for k, v in data.items() if k not in M2M_FIELDS}
    m2m = {k: v for k, v in data.items() if k in M2M_FIELDS}
    return plain, m2m


def create_organisation(
    *, user: Any, data: dict[str, Any], other_names: dict[str, str] | None = None
) -> Organisation:
    plain, m2m = _split_m2m(data)
    with acting_as(user), transaction.atomic():
        org = Organisation(**plain)
        org.full_clean()
        org.save()
        for name, values in m2m.items():
            getattr(org, name).set(values)
        if other_names:
            set_other_names(org, other_names, user=user)
    return org


def update_organisation(
    org: Organisation,
    *,
    user: Any,
    data: dict[str, Any],
    expected_version: int,
    other_names: dict[str, str] | None = None,
) -> Organisation:
    plain, m2m = _split_m2m(data)
    for key, value in plain.items():
        setattr(org, key, value)
    org.full_clean()
    with transaction.atomic():
        save_versioned(org, expected_version=expected_version, user=user, m2m=m2m)
        if other_names is not None:
            set_other_names(org, other_names, user=user)
    return org


def set_other_names(org: Organisation, names: dict[str, str], *, user: Any) -> None:
    """Make the organisation's names in other languages exactly `names` (language → name)."""
    with acting_as(user), transaction.atomic():
        existing = {n.language: n for n in org.other_names.all()}
        for lang, name in names.items():
            name = name.strip()
            if lang in existing:
                if existing[lang].name != name:
                    existing[lang].name = name
                    existing[lang].full_clean()
                    existing[lang].save()
            elif name:
                entry = OrganisationName(organisation=org, language=lang, name=name)
                entry.full_clean()
                entry.save()
        for lang, entry in existing.items():
            if lang not in names:
                entry.delete()
        Organisation.objects.filter(pk=org.pk).update(search_text=org.build_search_text())


def delete_organisation(org: Organisation, *, user: Any) -> None:
    with acting_as(user), transaction.atomic():
        org.delete()


def create_person(*, user: Any, data: dict[str, Any]) -> Person:
    with acting_as(user), transaction.atomic():
        person = Person(**data)
        person.full_clean()
        person.save()
    return person


def update_person(
    person: Person, *, user: Any, data: dict[str, Any], expected_version: int
) -> Person:
    if person.erased_at is not None:
        # A pseudonym stands in legal records only: giving it data back would undo the erasure.
        raise ValidationError(
            _("I dati di questa persona sono stati cancellati: la scheda non si modifica più.")
        )
    for key, value in data.items():
        setattr(person, key, value)
    person.full_clean()
    return save_versioned(person, expected_version=expected_version, user=user)


def delete_person(person: Person, *, user: Any) -> None:
    with acting_as(user), transaction.atomic():
        person.delete()


def save_position(
    position: Position, *, user: Any, expected_version: int | None = None
) -> Position:
    return save_new_or_claimed(position, user=user, expected_version=expected_version)


def delete_position(position: Position, *, user: Any) -> None:
    with acting_as(user), transaction.atomic():
        position.delete()


def possible_duplicates(
    name: str,
    city: str = "",
    *,
    reader: Any,
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list[Organisation]:
    """Organisations the reader may see whose name and city are close to these: shown as a
    warning on create and as merge candidates. A warning must not reveal a riservato record."""
    folded = search_index.query_text(name)
    if folded is None or len(folded) < 3:
        return []
    # Narrow with the index-friendly prefix of each word, then score precisely.
    words = [w for w in folded.replace("-", " ").split() if len(w) >= 3][:3]
    query = models.Q()
    for word in words:
        query |= models.Q(search_text__contains=word[:5])
    candidates = Organisation.objects.filter(query).visible_to(reader)
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    scored = []
    for org in candidates.only("id", "name", "city", "country", "kind", "confidentiality")[:400]:
        score = similarity(name, org.name)
        if city and org.city:
            score = score * 0.7 + similarity(city, org.city) * 0.3
        if score >= 0.75:
            scored.append((score, org))
    scored.sort(key=lambda pair: -pair[0])
    return [org for _, org in scored[:limit]]


def merge_organisations(source: Organisation, target: Organisation, *, user: Any) -> Organisation:
    """Merge the duplicate `source` into `target`.

    Every record pointing at the duplicate (positions, names, notes, children, and any
    future app's foreign keys) is moved; empty fields of the target are filled from the
    duplicate; sectors and tags are united; the target becomes as confidential as the
    duplicate if that was more. The duplicate's history stays reachable from the target's
    history page through the OrganisationMerge row.
    """
    if source.pk == target.pk:
        raise ValueError(_("Non si può unire un'organizzazione con sé stessa."))
    with acting_as(user), transaction.atomic():
        moved: dict[str, int] = {}
        for rel in Organisation._meta.related_objects:
            if rel.related_model is OrganisationMerge:
                continue
            if rel.many_to_many:
                # A later app's M2M to organisations (e.g. an agreement's parties).
                accessor = rel.get_accessor_name()
                assert (
                    accessor is not None
                )  # None only for a symmetrical M2M of Organisation to itself
                for obj in getattr(source, accessor).all():
                    getattr(obj, rel.field.name).add(target)
                    getattr(obj, rel.field.name).remove(source)
                continue
            field = rel.field.name
            related = rel.related_model._base_manager.filter(**{field: source})
            if rel.related_model is OrganisationName:
                taken = set(target.other_names.values_list("language", flat=True))
                related.filter(language__in=taken).delete()
            if rel.related_model is Organisation:
                related = related.exclude(pk=target.pk)
            for obj in related:
                setattr(obj, field, target)
                try:
                    with transaction.atomic():
                        obj.save()
                except IntegrityError:
                    # The target already has the same link (e.g. both were members of a network).
                    # A pure link row is dropped; a record with dependants needs a person to decide.
                    if rel.related_model._meta.related_objects:
                        raise ValidationError(
                            _(
                                "Non si può unire: entrambe le organizzazioni hanno «%(what)s» (%(obj)s). "
                                "Risolvi prima il doppione."
                            )
                            % {"what": rel.related_model._meta.verbose_name, "obj": obj}
                        ) from None
                    obj.delete()
                    continue
                moved[rel.related_model._meta.label] = (
                    moved.get(rel.related_model._meta.label, 0) + 1
                )
        for name in M2M_FIELDS:
            getattr(target, name).add(*getattr(source, name).all())
        filled = []
        for field in (
            "city",
            "address",
            "latitude",
            "longitude",
            "website",
            "description",
            "source",
        ):
            if getattr(target, field) in (None, "") and getattr(source, field) not in (None, ""):
                setattr(target, field, getattr(source, field))
                filled.append(field)
        # The duplicate's names, people and notes now live on the target: it becomes at least as
        # confidential as the duplicate, so that they reach no reader the duplicate hid them from.
        if (
            CONFIDENTIALITY_LEVELS[source.confidentiality]
            > CONFIDENTIALITY_LEVELS[target.confidentiality]
        ):
            target.confidentiality = source.confidentiality
            filled.append("confidentiality")
        wikidata = source.wikidata_id
        source_id, source_name = source.pk, source.name
        source.delete()
        if wikidata and not target.wikidata_id:
            target.wikidata_id = wikidata
            filled.append("wikidata_id")
        target.version += 1
        target.save()
        OrganisationMerge.objects.create(
            source_id=source_id, source_name=source_name, target=target, merged_by=user
        )
        audit.record(
            target,
            AuditAction.MERGE,
            {"merged": [source_name, target.name], "moved": moved, "filled": filled},
            note=_("Unito il duplicato «%(name)s» (#%(id)s)")
            % {"name": source_name, "id": source_id},
        )
    return target


def history_for_organisation(org: Organisation) -> Any:
    """Events of the organisation and of every duplicate merged into it."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Organisation)
    ids = [org.pk, *org.merged_from.values_list("source_id", flat=True)]
    return AuditEvent.objects.for_key(ct, ids)


def add_position(
    org: Organisation,
    *,
    user: Any,
    person: Person | None,
    new_person: dict[str, Any] | None,
    role: str,
    start_date: Any = None,
    end_date: Any = None,
    start_precision: str | None = None,
    end_precision: str | None = None,
) -> Position:
    """Add a position, creating the person in the same transaction if new. Its dates may be
    known in part: the first day known and its precision (core.dates; a date alone is a day)."""
    start = ImpreciseDate.of(start_date, start_precision)
    end = ImpreciseDate.of(end_date, end_precision)
    with acting_as(user), transaction.atomic():
        if person is None:
            person = create_person(user=user, data=new_person or {})
        position = Position(
            person=person,
            organisation=org,
            role=role,
            start_date=start.value,
            start_precision=start.precision,
            end_date=end.value,
            end_precision=end.precision,
        )
        position.full_clean()
        position.save()
    return position


def add_note(org: Organisation, *, user: Any, ente: Any, text: str, confidentiality: str) -> Any:
    from .models import OrganisationNote

    with acting_as(user), transaction.atomic():
        note = OrganisationNote(
            organisation=org, ente=ente, text=text, confidentiality=confidentiality, author=user
        )
        note.full_clean()
        note.save()
    return note
