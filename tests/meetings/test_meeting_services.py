"""Meeting services: status steps, activity, participants, sanitising, bad input refused."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ponti.meetings import services
from ponti.meetings.models import Meeting

ROME = zoneinfo.ZoneInfo("Europe/Rome")


def _data(**kwargs):
    data = {
        "kind": "incontro",
        "title": "Incontro con l'Ambasciatore",
        "status": "richiesta",
        "starts_at": datetime.datetime(2026, 12, 3, 10, tzinfo=ROME),
        "ends_at": datetime.datetime(2026, 12, 3, 11, tzinfo=ROME),
        "timezone": "Europe/Rome",
        "confidentiality": "interno",
    }
    data.update(kwargs)
    return data


def test_status_follows_the_transitions(personas, ente):
    user = personas["ufficio"]
    m = services.create_meeting(user=user, ente=ente, data=_data())
    services.change_status(m, "valutazione", user=user)
    services.change_status(m, "confermato", user=user)
    with pytest.raises(ValidationError):
        services.change_status(m, "richiesta", user=user)
    services.change_status(m, "svolto", user=user)
    assert m.status == "svolto"
    with pytest.raises(ValidationError):
        services.change_status(m, "annullato", user=user)


def test_a_revisore_may_not_change_anything(personas, ente, make_meeting):
    with pytest.raises(PermissionDenied):
        services.create_meeting(user=personas["revisore"], ente=ente, data=_data())
    with pytest.raises(PermissionDenied):
        services.change_status(make_meeting(), "svolto", user=personas["responsabile"])


def test_a_confirmed_meeting_keeps_the_agreement_alive(personas, ente, make_org):
    from ponti.agreements.models import Agreement

    reims = make_org(name="Reims")
    pact = Agreement.objects.create(
        ente=ente,
        kind="amicizia",
        title="Patto con Reims",
        status="attivo",
        last_activity_on=datetime.date(2020, 1, 1),
    )
    pact.partners.add(reims)
    m = services.create_meeting(
        user=personas["ufficio"], ente=ente, data=_data(counterparts=[reims])
    )
    pact.refresh_from_db()
    assert pact.last_activity_on == datetime.date(2020, 1, 1)  # only a request so far
    services.change_status(m, "confermato", user=personas["ufficio"])
    pact.refresh_from_db()
    assert pact.last_activity_on == datetime.date(2026, 12, 3)


def test_end_before_start_is_refused(personas, ente):
    with pytest.raises(ValidationError) as exc:
        services.create_meeting(
            user=personas["ufficio"],
            ente=ente,
            data=_data(ends_at=datetime.datetime(2026, 12, 2, tzinfo=ROME)),
        )
    assert "ends_at" in exc.value.message_dict


def test_an_unknown_time_zone_is_refused(personas, ente):
    with pytest.raises(ValidationError) as exc:
        services.create_meeting(
            user=personas["ufficio"], ente=ente, data=_data(timezone="Mars/Olympus")
        )
    assert "timezone" in exc.value.message_dict
    assert not Meeting.objects.exists()


def test_rich_text_is_sanitised(personas, ente):
    dirty = (
        '<p onclick="x()">Ciao <strong>bene</strong><script>alert(1)</script> '
        '<a href="javascript:alert(1)">x</a> <a href="https://example.org">ok</a></p>'
        '<iframe src="x"></iframe>'
    )
    m = services.create_meeting(user=personas["ufficio"], ente=ente, data=_data(minutes=dirty))
    assert "<script" not in m.minutes and "alert" not in m.minutes and "onclick" not in m.minutes
    assert "iframe" not in m.minutes and "javascript" not in m.minutes
    assert "<strong>bene</strong>" in m.minutes and 'href="https://example.org"' in m.minutes


def test_sanitise_keeps_the_allowed_tags():
    html = "<p>a<br><em>b</em></p><ul><li>c</li></ul><ol><li>d</li></ol>"
    assert services.sanitize_html(html) == html


def test_update_needs_the_current_version(personas, ente, make_meeting):
    from ponti.core.services import ConflictError

    m = make_meeting()
    services.update_meeting(
        m, user=personas["ufficio"], data={"title": "Nuovo titolo"}, expected_version=1
    )
    with pytest.raises(ConflictError):
        services.update_meeting(
            Meeting.objects.get(pk=m.pk),
            user=personas["ufficio"],
            data={"title": "Altro"},
            expected_version=1,
        )


def test_a_participant_whose_position_does_not_cover_the_day_is_a_warning(
    personas, make_meeting, make_person, make_org
):
    from ponti.partners.models import Position

    reims = make_org(name="Reims")
    m = make_meeting(counterparts=[reims])
    former = make_person(first_name="Jean", last_name="Dupont")
    Position.objects.create(
        person=former,
        organisation=reims,
        role="Sindaco",
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2020, 1, 1),
    )
    participant, warning = services.add_participant(
        m, user=personas["ufficio"], side="controparte", person=former
    )
    assert participant.pk and warning and "Dupont" in warning
    current = make_person(first_name="Anne", last_name="Martin")
    Position.objects.create(
        person=current, organisation=reims, role="Sindaca", start_date=datetime.date(2020, 7, 1)
    )
    participant, warning = services.add_participant(
        m, user=personas["ufficio"], side="controparte", person=current
    )
    assert (
        warning is None
        and participant.role == "Sindaca"
        and participant.position.organisation == reims
    )


def test_our_participants_and_free_text_guests(personas, make_meeting, make_user, other_ente):
    m = make_meeting()
    p, warning = services.add_participant(
        m,
        user=personas["ufficio"],
        side="nostro",
        participant_user=personas["consigliere"],
        role="Consigliere diplomatico",
    )
    assert warning is None and p.user == personas["consigliere"]
    guest, _w = services.add_participant(
        m,
        user=personas["ufficio"],
        side="controparte",
        guest_name="Pierre Durand",
        role="Interprete",
    )
    assert str(guest) == "Pierre Durand, Interprete"
    with pytest.raises(ValidationError):
        services.add_participant(
            m,
            user=personas["ufficio"],
            side="nostro",
            participant_user=make_user("ufficio", username="p2", enti=[other_ente]),
        )
    with pytest.raises(ValidationError):
        services.add_participant(m, user=personas["ufficio"], side="controparte")


def test_the_edit_page_keeps_what_was_typed_on_bad_input(client, personas, make_meeting):
    m = make_meeting()
    client.force_login(personas["ufficio"])
    response = client.post(
        f"/incontri/{m.pk}/modifica/",
        {
            "kind": "incontro",
            "title": "Titolo cambiato",
            "starts_at": "2026-12-03T10:00",
            "ends_at": "2026-12-03T09:00",
            "timezone": "Europa/Roma",
            "confidentiality": "interno",
            "version": m.version,
            "minutes": "<p>Appunti preziosi</p>",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "non è un fuso orario IANA" in page
        and "Titolo cambiato" in page
        and "Appunti preziosi" in page
    )


def test_the_form_reads_times_in_the_meetings_time_zone(client, personas):
    client.force_login(personas["ufficio"])
    response = client.post(
        "/incontri/nuovo/",
        {
            "kind": "videoconferenza",
            "title": "Call con Tokyo",
            "status": "confermato",
            "starts_at": "2026-12-03T17:00",
            "ends_at": "2026-12-03T18:00",
            "timezone": "Asia/Tokyo",
            "confidentiality": "interno",
            "agenda": "<p>ok</p><script>alert(1)</script>",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    m = Meeting.objects.get(title="Call con Tokyo")
    assert m.starts_at == datetime.datetime(2026, 12, 3, 8, 0, tzinfo=datetime.UTC)
    assert "script" not in m.agenda
    page = client.get(f"/incontri/{m.pk}/").content.decode()
    assert "17:00" in page and "Asia/Tokyo" in page
