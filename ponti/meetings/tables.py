"""The columns of the exports of meetings, follow-up actions and gifts, which are also the
headers the imports read (`ponti.core.exports`): the first column is the record's ID.

A linked record (counterpart, agreement, meeting, partner) is named only when the reader may
see it: the `*_for_export` functions prefetch the links through the reader's querysets."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from ponti.agreements.models import Agreement
from ponti.core import countries
from ponti.core.exports import (
    Column,
    column,
    confidentiality_column,
    ente_column,
    id_column,
    names,
)
from ponti.partners.models import Organisation

from .models import ActionStatus, Gift, Meeting, MeetingKind, MeetingStatus


def _linked(attribute: str, field: str) -> Any:
    """A getter of the name of a prefetched, visible single link (None when hidden or absent)."""

    def get(record: Any) -> Any:
        linked = getattr(record, attribute, None)
        return getattr(linked, field) if linked is not None else None

    return get


MEETING_COLUMNS: list[Column] = [
    id_column(),
    column("title", _("Titolo")),
    column("kind", _("Tipo"), choices=MeetingKind.choices),
    column("status", _("Stato"), choices=MeetingStatus.choices),
    column("when", _("Data"), lambda m: m.when.as_input() if m.date else ""),
    column("starts_at", _("Inizio")),
    column("ends_at", _("Fine")),
    column("all_day", _("Tutto il giorno")),
    column("timezone", _("Fuso orario")),
    column("period", _("Periodo")),
    column("place", _("Luogo")),
    column("city", _("Città")),
    column("country", _("Paese"), choices=countries.choices),
    column("counterparts", _("Controparti"), names("counterparts")),
    column("agreements", _("Accordi collegati"), names("visible_agreements", "title")),
    column("sectors", _("Ambiti"), names("sectors")),
    column("topics", _("Temi")),
    column("source", _("Fonte")),
    ente_column(),
    confidentiality_column(),
]

ACTION_COLUMNS: list[Column] = [
    id_column(),
    column("description", _("Azione")),
    column("meeting", _("Incontro"), _linked("visible_meeting", "title")),
    column("organisation", _("Partner"), _linked("visible_organisation", "name")),
    column("owner", _("Responsabile"), lambda a: a.owner.get_full_name() or a.owner.username),
    column("due_date", _("Scadenza")),
    column("status", _("Stato"), choices=ActionStatus.choices),
    column("done_on", _("Fatta il")),
    ente_column(),
    confidentiality_column(),
]

GIFT_COLUMNS: list[Column] = [
    id_column(),
    column("given_on", _("Data")),
    column("description", _("Dono")),
    column("direction", _("Direzione"), choices=Gift.Direction.choices),
    column("counterpart", _("Controparte"), _linked("visible_counterpart", "name")),
    column("meeting", _("Incontro"), _linked("visible_meeting", "title")),
    column("estimated_value", _("Valore stimato (€)"), money=True),
    column("kept_at", _("Dove è custodito")),
    ente_column(),
    confidentiality_column(),
]


def meetings_for_export(qs: Any, user: Any) -> Any:
    return qs.prefetch_related(
        Prefetch("counterparts", queryset=Organisation.objects.visible_to(user)),
        Prefetch(
            "agreements",
            queryset=Agreement.objects.for_user(user).only("id", "title"),
            to_attr="visible_agreements",
        ),
        "sectors",
    )


def _single(field: str, qs: Any, to_attr: str) -> Prefetch:
    # A forward link prefetched to an attribute is the object, or None when the reader may
    # not see it: the export never follows the link itself.
    return Prefetch(field, queryset=qs, to_attr=to_attr)


def actions_for_export(qs: Any, user: Any) -> Any:
    return qs.select_related("owner").prefetch_related(
        _single("meeting", Meeting.objects.for_user(user).only("id", "title"), "visible_meeting"),
        _single(
            "organisation",
            Organisation.objects.visible_to(user).only("id", "name"),
            "visible_organisation",
        ),
    )


def gifts_for_export(qs: Any, user: Any) -> Any:
    return qs.prefetch_related(
        _single("meeting", Meeting.objects.for_user(user).only("id", "title"), "visible_meeting"),
        _single(
            "counterpart",
            Organisation.objects.visible_to(user).only("id", "name"),
            "visible_counterpart",
        ),
    )
