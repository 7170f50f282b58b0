"""The columns of the registry's exports, which are also the headers its imports read
(`ponti.core.exports`): the first column is the record's ID.

`for_export` adds what the columns read (prefetched, chunk by chunk) to a list's queryset,
narrowed to what the reader may see: a hidden parent or organisation is never named."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from ponti.core import countries
from ponti.core.confidentiality import visible_levels
from ponti.core.exports import Column, column, confidentiality_column, id_column, names

from .models import GdprBasis, Organisation, OrganisationKind, PersonKind, Position


def _parent(org: Organisation) -> str:
    parent = getattr(org, "visible_parent", None)
    return parent.name if parent else ""


def _other_names(org: Organisation) -> list[str]:
    return [f"{n.language}: {n.name}" for n in org.other_names.all()]


ORGANISATION_COLUMNS: list[Column] = [
    id_column(),
    column("name", _("Nome")),
    column("kind", _("Tipo"), choices=OrganisationKind.choices),
    column("country", _("Paese"), choices=countries.choices),
    column("city", _("Città")),
    column("address", _("Indirizzo")),
    column("latitude", _("Latitudine")),
    column("longitude", _("Longitudine")),
    column("website", _("Sito web")),
    column("wikidata_id", _("ID Wikidata")),
    column("parent", _("Organizzazione madre"), _parent),
    column("other_names", _("Altri nomi"), _other_names),
    column("sectors", _("Settori"), names("sectors")),
    column("tags", _("Etichette"), names("tags")),
    column("description", _("Descrizione")),
    column("source", _("Fonte")),
    confidentiality_column(),
]


def _positions(person: Any) -> list[str]:
    return [f"{p.role}, {p.organisation.name}" for p in person.current_positions]


PERSON_COLUMNS: list[Column] = [
    id_column(),
    column("honorific", _("Appellativo")),
    column("first_name", _("Nome")),
    column("last_name", _("Cognome")),
    column("title", _("Titolo o qualifica")),
    column("positions", _("Incarichi attuali"), _positions),
    column("languages", _("Lingue")),
    column("email", _("E-mail")),
    column("phone", _("Telefono")),
    column("mobile", _("Cellulare")),
    column("kind", _("Tipo di persona"), choices=PersonKind.choices),
    column("gdpr_basis", _("Base giuridica (GDPR)"), choices=GdprBasis.choices),
    column("gdpr_source", _("Fonte dei dati")),
    column("gdpr_date", _("Data di raccolta")),
    column("notes", _("Note")),
    confidentiality_column(),
]


def organisations_for_export(qs: Any, user: Any) -> Any:
    visible = Organisation.objects.filter(confidentiality__in=visible_levels(user))
    return qs.defer(None).prefetch_related(
        "sectors",
        "tags",
        "other_names",
        Prefetch("parent", queryset=visible.only("id", "name"), to_attr="visible_parent"),
    )


def people_for_export(qs: Any, user: Any) -> Any:
    current = (
        Position.objects.current()
        .filter(organisation__confidentiality__in=visible_levels(user))
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    return qs.prefetch_related(Prefetch("positions", queryset=current, to_attr="current_positions"))
