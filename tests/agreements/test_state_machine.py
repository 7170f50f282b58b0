"""Every transition × every role: allowed ones happen and are recorded; the rest are refused."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ponti.agreements import services, states
from ponti.agreements.models import TransitionRecord
from ponti.agreements.states import Status
from tests.conftest import ROLES

STEP_FIELDS = {
    "approvato": {
        "approval_body": "consiglio",
        "approval_number": "12",
        "approval_date": datetime.date(2026, 3, 1),
    },
    "firmato": {"signed_on": datetime.date(2026, 4, 2), "signed_place": "Firenze"},
}


def _cases() -> list[tuple[str, str, str]]:
    return [(s, t, role) for s in Status.values for t in Status.values for role in ROLES]


@pytest.mark.parametrize(("source", "target", "role"), _cases())
def test_transition_matrix(personas, make_agreement, source, target, role):
    agreement = make_agreement(
        status=source,
        approval_body="consiglio",
        approval_number="1",
        approval_date=datetime.date(2026, 1, 1),
    )
    step = states.find(source, target)
    allowed = step is not None and role in step.roles
    if allowed:
        services.transition(
            agreement, target, user=personas[role], note="ok", fields=STEP_FIELDS.get(target, {})
        )
        assert agreement.status == target
        record = TransitionRecord.objects.get(agreement=agreement)
        assert (record.source, record.target, record.by) == (source, target, personas[role])
    else:
        expected = ValidationError if step is None else PermissionDenied
        with pytest.raises(expected):
            services.transition(
                agreement, target, user=personas[role], fields=STEP_FIELDS.get(target, {})
            )
        agreement.refresh_from_db()
        assert agreement.status == source
        assert not TransitionRecord.objects.exists()


def test_firmato_to_proposta_is_refused_with_a_clear_message(personas, make_agreement):
    agreement = make_agreement(status=Status.FIRMATO)
    with pytest.raises(ValidationError) as info:
        services.transition(agreement, Status.PROPOSTA, user=personas["ufficio"])
    assert "non consentito" in str(info.value)


def test_approval_needs_the_act(personas, make_agreement):
    agreement = make_agreement(status=Status.NEGOZIAZIONE)
    with pytest.raises(ValidationError) as info:
        services.transition(agreement, Status.APPROVATO, user=personas["ufficio"])
    assert set(info.value.message_dict) == {"approval_body", "approval_number", "approval_date"}
    agreement.refresh_from_db()
    assert agreement.status == Status.NEGOZIAZIONE


def test_signing_before_approval_is_refused_and_nothing_is_saved(personas, make_agreement):
    agreement = make_agreement(
        status=Status.APPROVATO,
        approval_body="giunta",
        approval_number="7",
        approval_date=datetime.date(2026, 5, 1),
    )
    with pytest.raises(ValidationError):
        services.transition(
            agreement,
            Status.FIRMATO,
            user=personas["ufficio"],
            fields={"signed_on": datetime.date(2026, 4, 1), "signed_place": "Firenze"},
        )
    agreement.refresh_from_db()
    assert agreement.status == Status.APPROVATO and agreement.signed_on is None


def test_a_transition_counts_as_activity(personas, make_agreement):
    agreement = make_agreement(status=Status.ATTIVO, last_activity_on=datetime.date(2020, 1, 1))
    services.transition(agreement, Status.SOSPESO, user=personas["ufficio"])
    assert (
        agreement.last_activity_on == datetime.date.today()
        or agreement.last_activity_on > datetime.date(2020, 1, 1)
    )
