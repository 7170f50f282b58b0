"""State changes of meetings, visit requests, follow-up actions, gifts and calendar feeds.

Views, the API and commands call these: each takes the acting `user` as a keyword, runs
in one transaction and records the audit trail through `acting_as`.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import zoneinfo
from typing import Any

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ponti.core.activity import report_activity
from ponti.core.audit import acting_as
from ponti.core.dates import DatePrecision
from ponti.core.permissions import can
from ponti.core.services import save_new_or_claimed, save_versioned

from .models import (
    MEETING_TRANSITIONS,
    CalendarFeed,
    FollowUpAction,
    Gift,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Participant,
    ParticipantSide,
    VisitDecision,
    VisitRequest,
)

M2M = ("counterparts", "agreements", "sectors")
RICH_FIELDS = ("agenda", "outcome", "minutes", "talking_points")
ACTIVE_STATUSES = {MeetingStatus.CONFERMATO, MeetingStatus.SVOLTO}

# Rich text: basic formatting and links only; everything else is stripped (a script with
# its content).
ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def sanitize_html(value: str) -> str:
    """Rich text reduced to p, br, strong, em, lists and links; <script> and its content removed."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        clean_content_tags={"script", "style"},
    ).strip()


def _sanitize(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: sanitize_html(v) if k in RICH_FIELDS and isinstance(v, str) else v
        for k, v in data.items()
    }


def _check_timezone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError(
            {
                "timezone": _("«%(v)s» non è un fuso orario IANA (es. Europe/Rome, Asia/Tokyo).")
                % {"v": name}
            }
        )


def _activity_day(meeting: Meeting) -> datetime.date | None:
    return meeting.day or meeting.date


def _when_changes(data: dict[str, Any]) -> dict[str, Any]:
    """The start and the date known in part describe one thing (Meeting.normalise_when):
    a new date replaces the start, and a start taken away takes its day with it."""
    data = dict(data)
    if ("date" in data or "date_precision" in data) and "starts_at" not in data:
        data.update(starts_at=None, ends_at=None)
    elif "starts_at" in data and data["starts_at"] is None and "date" not in data:
        data.update(date=None, date_precision=DatePrecision.UNKNOWN)
    return data


def report_meeting_activity(meeting: Meeting) -> None:
    """A confirmed or held meeting keeps its counterparts' agreements alive."""
    day = _activity_day(meeting)
    if meeting.status not in ACTIVE_STATUSES or day is None:
        return
    ids = list(meeting.counterparts.values_list("pk", flat=True))
    if ids:
        report_activity(ente_id=meeting.ente_id, organisation_ids=ids, day=day, source="meetings")


def _require(user: Any, action: str, model: type) -> None:
    if not (getattr(user, "is_superuser", False) or can(user, action, model)):
        raise PermissionDenied(_("Il tuo ruolo non può modificare questi dati."))


def _require_ente(user: Any, ente: Any, action: str, model: type) -> None:
    """The user's role in that ente (not in another of theirs) allows `action` on `model`."""
    if user.is_superuser:
        return
    if not hasattr(ente, "_meta"):
        from ponti.core.models import Ente

        ente = Ente.objects.get(pk=ente)
    if not can(user, action, model, ente):
        raise PermissionDenied(_("Il tuo ruolo in questo ente non lo permette."))


# --- meetings -----------------------------------------------------------------------------


def _check_agreements(ente_id: int, agreements: Any) -> None:
    """A meeting links only agreements of its own ente, whatever other enti its author has."""
    if any(a.ente_id != ente_id for a in agreements or []):
        raise ValidationError(
            {"agreements": _("Puoi collegare solo accordi dell'ente dell'incontro.")}
        )


def create_meeting(*, user: Any, ente: Any, data: dict[str, Any]) -> Meeting:
    _require(user, "add", Meeting)
    _require_ente(user, ente, "add", Meeting)
    data = _sanitize(data)
    _check_timezone(data.get("timezone") or "Europe/Rome")
    plain = {k: v for k, v in data.items() if k not in M2M}
    _check_agreements(getattr(ente, "pk", ente), data.get("agreements"))
    with acting_as(user), transaction.atomic():
        meeting = Meeting(ente=ente, **plain)
        meeting.full_clean()
        meeting.save()
        for name in M2M:
            if name in data:
                getattr(meeting, name).set(data[name])
        report_meeting_activity(meeting)
    return meeting


def update_meeting(
    meeting: Meeting, *, user: Any, data: dict[str, Any], expected_version: int
) -> Meeting:
    """Change a meeting's fields (not its status: see change_status) unless saved meanwhile."""
    _require(user, "change", Meeting)
    data = _sanitize({k: v for k, v in data.items() if k != "status"})
    if "timezone" in data:
        _check_timezone(data["timezone"])
    _check_agreements(meeting.ente_id, data.get("agreements"))
    before = (_activity_day(meeting), set(meeting.counterparts.values_list("pk", flat=True)))
    for key, value in _when_changes(data).items():
        if key not in M2M:
            setattr(meeting, key, value)
    meeting.full_clean()
    with transaction.atomic():
        save_versioned(
            meeting,
            expected_version=expected_version,
            user=user,
            m2m={k: data[k] for k in M2M if k in data},
        )
        after = (_activity_day(meeting), set(meeting.counterparts.values_list("pk", flat=True)))
        if after != before:
            report_meeting_activity(meeting)
    return meeting


def allowed_statuses(meeting: Meeting) -> list[str]:
    return [s for s in MeetingStatus.values if s in MEETING_TRANSITIONS[meeting.status]]


def change_status(meeting: Meeting, target: str, *, user: Any) -> Meeting:
    _require(user, "change", Meeting)
    if target not in MEETING_TRANSITIONS.get(meeting.status, set()):
        label = MeetingStatus(target).label if target in MeetingStatus.values else target
        raise ValidationError(
            {
                "status": _("Passaggio non consentito: da «%(a)s» a «%(b)s».")
                % {"a": MeetingStatus(meeting.status).label, "b": label}
            }
        )
    with acting_as(user), transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != meeting.status:
            raise ValidationError(
                {"status": _("Lo stato è cambiato nel frattempo: ricarica la pagina.")}
            )
        locked.status = target
        locked.version += 1
        locked.save()
        report_meeting_activity(locked)
    meeting.refresh_from_db()
    return meeting


def position_warning(meeting: Meeting, person: Any, position: Any = None) -> str | None:
    """A warning (never a block) when the person's positions do not cover the meeting's day."""
    day = meeting.day
    if person is None or day is None:
        return None
    if position is not None:
        held = (position.start_date is None or position.start_date <= day) and (
            position.end_date is None or position.end_date >= day
        )
        if held:
            return None
        return _("%(p)s non ricopriva l'incarico «%(r)s» il %(d)s: verifica.") % {
            "p": person.full_name,
            "r": position.role,
            "d": day.strftime("%d/%m/%Y"),
        }
    if person.positions.exists() and not person.positions.held_on(day).exists():
        return _("Nessun incarico di %(p)s nel registro copre il %(d)s: verifica il ruolo.") % {
            "p": person.full_name,
            "d": day.strftime("%d/%m/%Y"),
        }
    return None


def add_participant(
    meeting: Meeting,
    *,
    user: Any,
    side: str,
    person: Any = None,
    position: Any = None,
    participant_user: Any = None,
    guest_name: str = "",
    role: str = "",
) -> tuple[Participant, str | None]:
    """Add someone to the meeting; returns the participant and a position warning (or None)."""
    _require(user, "change", Meeting)
    if side not in ParticipantSide.values:
        raise ValidationError({"side": _("Parte non valida.")})
    if (
        participant_user is not None
        and not participant_user.is_superuser
        and not participant_user.enti.filter(pk=meeting.ente_id).exists()
    ):
        raise ValidationError(
            {"participant_user": _("L'utente non appartiene all'ente dell'incontro.")}
        )
    if person is not None and position is None and meeting.day is not None:
        counterparts = meeting.counterparts.all()
        position = (
            person.positions.held_on(meeting.day).filter(organisation__in=counterparts).first()
            or person.positions.held_on(meeting.day).first()
        )
    if position is not None and person is not None and position.person_id != person.pk:
        raise ValidationError({"position": _("L'incarico scelto non è di questa persona.")})
    if position is not None and not role:
        role = position.role
    warning = position_warning(meeting, person, position)
    with acting_as(user), transaction.atomic():
        participant = Participant(
            meeting=meeting,
            side=side,
            person=person,
            position=position,
            user=participant_user,
            guest_name=guest_name.strip(),
            role=role.strip(),
        )
        if participant.person is None and participant.user is None and not participant.guest_name:
            raise ValidationError(
                {
                    "guest_name": _(
                        "Indica una persona del registro, un utente o il nome dell'ospite."
                    )
                }
            )
        participant.full_clean()
        participant.save()
    return participant, warning


def remove_participant(participant: Participant, *, user: Any) -> None:
    _require(user, "change", Meeting)
    with acting_as(user), transaction.atomic():
        participant.delete()


# --- visit requests ----------------------------------------------------------------------


def create_visit_request(*, user: Any, ente: Any, data: dict[str, Any]) -> VisitRequest:
    _require(user, "add", VisitRequest)
    _require_ente(user, ente, "add", VisitRequest)
    with acting_as(user), transaction.atomic():
        visit = VisitRequest(ente=ente, **data)
        visit.full_clean()
        visit.save()
    return visit


def update_visit_request(
    visit: VisitRequest, *, user: Any, data: dict[str, Any], expected_version: int
) -> VisitRequest:
    _require(user, "change", VisitRequest)
    for key, value in data.items():
        setattr(visit, key, value)
    visit.full_clean()
    return save_versioned(visit, expected_version=expected_version, user=user)


def save_screening(
    visit: VisitRequest, *, user: Any, answers: dict[str, bool], notes: str = ""
) -> VisitRequest:
    """The screening checklist: one yes/no per criterion of the ente (keys are criterion ids)."""
    _require(user, "change", VisitRequest)
    with acting_as(user), transaction.atomic():
        visit.checklist = {"answers": {str(k): bool(v) for k, v in answers.items()}, "notes": notes}
        visit.version += 1
        visit.save()
    return visit


def decide_visit_request(
    visit: VisitRequest, *, user: Any, accept: bool, reason: str = "", confirm: bool = True
) -> VisitRequest:
    """Accept (creating the delegation's meeting) or decline with a reason."""
    _require(user, "change", VisitRequest)
    if visit.decision != VisitDecision.DA_DECIDERE:
        raise ValidationError({"decision": _("La richiesta è già stata decisa.")})
    if not accept and not reason.strip():
        raise ValidationError({"decision_reason": _("Indica il motivo del rifiuto.")})
    with acting_as(user), transaction.atomic():
        locked = VisitRequest.objects.select_for_update().get(pk=visit.pk)
        if locked.decision != VisitDecision.DA_DECIDERE:
            raise ValidationError({"decision": _("La richiesta è già stata decisa.")})
        if accept:
            locked.meeting = _meeting_from_visit(locked, user=user, confirm=confirm)
        locked.decision = VisitDecision.ACCETTATA if accept else VisitDecision.RIFIUTATA
        locked.decision_reason = reason.strip()
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.version += 1
        locked.full_clean()
        locked.save()
    visit.refresh_from_db()
    return visit


def _meeting_from_visit(visit: VisitRequest, *, user: Any, confirm: bool) -> Meeting:
    tz = zoneinfo.ZoneInfo("Europe/Rome")
    who = visit.requester.name if visit.requester else visit.requester_contact
    data: dict[str, Any] = {
        "kind": MeetingKind.DELEGAZIONE,
        "title": (_("Delegazione: %(who)s") % {"who": who})[:300],
        "status": MeetingStatus.CONFERMATO if confirm else MeetingStatus.VALUTAZIONE,
        "agenda": sanitize_html(f"<p>{nh3.clean_text(visit.purpose)}</p>"),
        "confidentiality": visit.confidentiality,
        "city": visit.ente.city,
        "country": visit.ente.country,
    }
    if visit.proposed_start:
        end = visit.proposed_end or visit.proposed_start
        data.update(
            all_day=True,
            starts_at=datetime.datetime.combine(visit.proposed_start, datetime.time(0, 0), tz),
            ends_at=datetime.datetime.combine(end, datetime.time(23, 59), tz),
        )
    else:
        today = timezone.localdate()
        data.update(
            period=visit.proposed_dates_note or _("da definire"),
            date=datetime.date(today.year, 1, 1),
            date_precision=DatePrecision.YEAR,
        )
    meeting = Meeting(ente=visit.ente, **data)
    meeting.full_clean()
    meeting.save()
    if visit.requester_id:
        meeting.counterparts.set([visit.requester_id])
    for line in visit.delegation.splitlines():
        name, _sep, title = line.partition(",")
        if name.strip():
            Participant.objects.create(
                meeting=meeting,
                side=ParticipantSide.CONTROPARTE,
                guest_name=name.strip()[:200],
                role=title.strip()[:200],
            )
    report_meeting_activity(meeting)
    return meeting


# --- follow-up actions and gifts ------------------------------------------------------------


def save_action(
    action: FollowUpAction, *, user: Any, expected_version: int | None = None
) -> FollowUpAction:
    """Create or update a follow-up action: the owner must be a user of the action's ente; an
    update is refused if someone saved the action since `expected_version`."""
    if not (action.pk and action.owner_id == getattr(user, "pk", None)):  # owners update their own
        _require(user, "change" if action.pk else "add", FollowUpAction)
    if not action.ente_id and action.meeting is not None:
        action.ente_id = action.meeting.ente_id
    if not action.owner_id:
        raise ValidationError({"owner": _("Ogni azione ha un responsabile: indicalo.")})
    owner = action.owner
    if not owner.is_superuser and not owner.enti.filter(pk=action.ente_id).exists():
        raise ValidationError(
            {
                "owner": _(
                    "%(u)s non è un utente di questo ente: scegli un responsabile dell'ente."
                )
                % {"u": owner}
            }
        )
    if action.meeting is not None and action.meeting.ente_id != action.ente_id:
        raise ValidationError({"meeting": _("L'incontro è di un altro ente.")})
    if action.meeting is not None and action.meeting.confidentiality == "riservato":
        action.confidentiality = "riservato"  # an action never says more than its meeting
    if action.status == "fatta" and not action.done_on:
        action.done_on = timezone.localdate()
    return save_new_or_claimed(action, user=user, expected_version=expected_version)


def save_gift(gift: Gift, *, user: Any, expected_version: int | None = None) -> Gift:
    _require(user, "change" if gift.pk else "add", Gift)
    if not gift.ente_id and gift.meeting is not None:
        gift.ente_id = gift.meeting.ente_id
    if gift.meeting is not None and gift.meeting.ente_id != gift.ente_id:
        raise ValidationError({"meeting": _("L'incontro è di un altro ente.")})
    if gift.meeting is not None and gift.meeting.confidentiality == "riservato":
        gift.confidentiality = "riservato"
    return save_new_or_claimed(gift, user=user, expected_version=expected_version)


# --- personal calendar feed ----------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_calendar_feed(*, user: Any) -> str:
    """A new secret feed token for the user (older ones are revoked); only its hash is stored."""
    token = secrets.token_urlsafe(32)
    with acting_as(user), transaction.atomic():
        CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        CalendarFeed.objects.create(user=user, feed_token_hash=hash_token(token))
    return token


def revoke_calendar_feed(*, user: Any) -> int:
    with acting_as(user), transaction.atomic():
        return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


def user_for_feed_token(token: str) -> Any:
    feed = (
        CalendarFeed.objects.filter(feed_token_hash=hash_token(token), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


# --- API additions: deleting follow-up actions and gifts -----------------------------------


def delete_action(action: FollowUpAction, *, user: Any) -> None:
    _require(user, "delete", FollowUpAction)
    with acting_as(user), transaction.atomic():
        action.delete()


def delete_gift(gift: Gift, *, user: Any) -> None:
    _require(user, "delete", Gift)
    with acting_as(user), transaction.atomic():
        gift.delete()
