"""Pickers: every choice a form offers lists only what its user may read.

A user of Prato and a Florence user cleared only for «pubblico» open every form that picks
records (selects, checkboxes, fields of IDs with suggestions): none lists a record of
Florence's they may not read, nor a riservato person or organisation above their clearance.
Posting the ID of such a record is refused as if it did not exist. A record they may read
that is linked to one they may not shows «riservato» instead of its name, and saving it
keeps the hidden link.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client

from tests import reporting
from tests.api.helpers import token_client

pytestmark = pytest.mark.django_db

TZ = datetime.UTC
SECRETS = ["Zqpersegreta", "Zqorgsegreta", "Zqagrsegreto", "Zqobjsegreto"]
FLORENCE = ["Zqagrfirenze", "Zqobjfirenze"]  # pubblico, but Florence's: hidden from Prato


@pytest.fixture
def scene(ente: Any, other_ente: Any, make_user: Any, make_org: Any, make_person: Any) -> Any:
    from ponti.agreements.models import Agreement
    from ponti.meetings.models import Meeting
    from ponti.planning.models import BudgetCode, BudgetLine, Objective

    s: dict[str, Any] = {}
    # Amministratore: every form opens; what they may read is their clearance's.
    s["low"] = make_user("amministratore", username="fi-pubblico", clearance="pubblico")
    s["prato"] = make_user(
        "amministratore", username="po-admin", enti=[other_ente], clearance="interno"
    )
    s["full"] = make_user("amministratore", username="fi-admin")
    s["secret_person"] = make_person(last_name="Zqpersegreta", confidentiality="riservato")
    s["person"] = make_person(last_name="Pubblici", confidentiality="pubblico")
    s["secret_org"] = make_org(name="Zqorgsegreta", confidentiality="riservato")
    s["org"] = make_org(name="Città aperta", confidentiality="pubblico")
    s["network"] = make_org(name="Rete aperta", kind="network", confidentiality="pubblico")
    s["secret_agr"] = Agreement.objects.create(
        ente=ente, kind="amicizia", title="Patto Zqagrsegreto", confidentiality="riservato"
    )
    s["secret_agr"].partners.add(s["org"])
    s["fi_agr"] = Agreement.objects.create(
        ente=ente, kind="amicizia", title="Patto Zqagrfirenze", confidentiality="pubblico"
    )
    s["fi_agr"].partners.add(s["org"], s["secret_org"])
    s["secret_obj"] = Objective.objects.create(
        ente=ente,
        level="operativo",
        code="19S",
        title="Obiettivo Zqobjsegreto",
        start_year=2024,
        end_year=2026,
        confidentiality="riservato",
    )
    s["fi_obj"] = Objective.objects.create(
        ente=ente,
        level="operativo",
        code="19P",
        title="Obiettivo Zqobjfirenze",
        start_year=2024,
        end_year=2026,
        confidentiality="pubblico",
    )
    s["line"] = BudgetLine.objects.create(
        ente=ente,
        number="7001",
        side="spesa",
        description="Capitolo aperto",
        titolo=BudgetCode.objects.get(level="titolo", side="spesa", code="1"),
        category=BudgetCode.objects.get(level="macroaggregato", side="spesa", code="103"),
        programma=BudgetCode.objects.get(level="programma", side="spesa", code="1901"),
        objective=s["secret_obj"],
        confidentiality="pubblico",
    )
    s["meeting"] = Meeting.objects.create(
        ente=ente,
        title="Incontro aperto",
        status="confermato",
        starts_at=datetime.datetime(2026, 12, 3, 9, tzinfo=TZ),
        confidentiality="pubblico",
    )
    s["meeting"].counterparts.set([s["org"], s["secret_org"]])
    s["meeting"].agreements.set([s["secret_agr"]])
    s["meeting"].participants.create(side="controparte", person=s["secret_person"])
    s["meeting"].participants.create(side="controparte", person=s["person"])
    s["fi_agr"].signatories.create(side="partner", person=s["secret_person"])
    return s


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form_pages(s: dict[str, Any]) -> list[str]:
    return [
        "/incontri/nuovo/",
        "/accordi/nuovo/",
        "/programmazione/obiettivi/nuovo/",
        "/programmazione/capitoli/nuovo/",
        "/reti/nuova/",
        "/reti/membri/nuovo/",
        "/incontri/richieste/nuova/",
        "/partner/suggerimenti/people/?q=Zq",
        "/partner/suggerimenti/organisations/?q=Zq",
    ]


@pytest.mark.parametrize("reader", ["low", "prato"])
def test_no_form_offers_a_record_the_user_may_not_read(scene: Any, reader: str) -> None:
    client = _client(scene[reader])
    secrets = SECRETS if reader == "low" else [*SECRETS, *FLORENCE]
    leaks = []
    for url in _form_pages(scene):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        page = response.content.decode()
        leaks += [f"{url}: {w}" for w in secrets if w in page]
        reporting.count("pickers", "form pages")
    assert not leaks, leaks


def test_the_forms_still_offer_what_the_user_may_read(scene: Any) -> None:
    """Not vacuous: the fullest reader finds the riservato records among the choices."""
    client = _client(scene["full"])
    assert "Zqagrsegreto" in client.get("/incontri/nuovo/").content.decode()
    assert "Zqobjsegreto" in client.get("/programmazione/capitoli/nuovo/").content.decode()
    assert "Zqpersegreta" in client.get("/partner/suggerimenti/people/?q=Zq").content.decode()


def test_posting_a_hidden_person_or_organisation_is_refused(scene: Any) -> None:
    from ponti.agreements.models import Agreement, Signatory
    from ponti.meetings.models import Meeting, Participant

    client = _client(scene["low"])
    meeting, agreement = scene["meeting"], scene["fi_agr"]
    before = Participant.objects.count()
    client.post(
        f"/incontri/{meeting.pk}/partecipanti/",
        {"side": "controparte", "person": str(scene["secret_person"].pk)},
    )
    assert Participant.objects.count() == before
    before = Signatory.objects.count()
    client.post(
        f"/accordi/{agreement.pk}/firmatari/",
        {"side": "partner", "person": str(scene["secret_person"].pk)},
    )
    assert Signatory.objects.count() == before
    page = client.post(
        "/accordi/nuovo/",
        {
            "kind": "amicizia",
            "title": "Patto nuovo",
            "partners": str(scene["secret_org"].pk),
            "confidentiality": "pubblico",
        },
    ).content.decode()
    assert "Partner inesistente" in page and "Zqorgsegreta" not in page
    assert not Agreement.objects.filter(title="Patto nuovo").exists()
    page = client.post(
        "/incontri/nuovo/",
        {
            "kind": "incontro",
            "title": "Incontro nuovo",
            "status": "confermato",
            "starts_at": "2026-12-04T10:00",
            "timezone": "Europe/Rome",
            "confidentiality": "pubblico",
            "counterparts": str(scene["secret_org"].pk),
            "agreements": [str(scene["secret_agr"].pk)],
        },
    ).content.decode()
    assert "Zqorgsegreta" not in page and "Zqagrsegreto" not in page
    assert not Meeting.objects.filter(title="Incontro nuovo").exists()
    reporting.count("pickers", "refused posts", 4)


@pytest.mark.parametrize("reader", ["low", "prato"])
def test_posting_a_hidden_objective_is_refused(scene: Any, reader: str) -> None:
    from ponti.planning.models import BudgetLine, Objective

    client = _client(scene[reader])
    target = scene["secret_obj"] if reader == "low" else scene["fi_obj"]
    client.post(
        "/programmazione/capitoli/nuovo/",
        {
            "side": "spesa",
            "number": "8001",
            "description": "Capitolo nuovo",
            "titolo": BudgetLine.objects.get(pk=scene["line"].pk).titolo_id,
            "objective": str(target.pk),
            "confidentiality": "pubblico",
        },
    )
    assert not BudgetLine.objects.filter(objective=target, number="8001").exists()
    client.post(
        "/programmazione/obiettivi/nuovo/",
        {
            "level": "attivita",
            "parent": str(target.pk),
            "code": "19A",
            "title": "Attività nuova",
            "start_year": 2024,
            "end_year": 2026,
            "confidentiality": "pubblico",
        },
    )
    assert not Objective.objects.filter(parent=target).exists()


def test_a_prato_user_cannot_link_florences_agreement(scene: Any) -> None:
    from ponti.meetings.models import Meeting

    page = (
        _client(scene["prato"])
        .post(
            "/incontri/nuovo/",
            {
                "kind": "incontro",
                "title": "Incontro di Prato",
                "status": "confermato",
                "starts_at": "2026-12-04T10:00",
                "timezone": "Europe/Rome",
                "confidentiality": "pubblico",
                "agreements": [str(scene["fi_agr"].pk)],
            },
        )
        .content.decode()
    )
    assert "Zqagrfirenze" not in page
    assert not Meeting.objects.filter(title="Incontro di Prato", agreements__isnull=False).exists()


def test_hidden_links_show_as_riservato(scene: Any) -> None:
    client = _client(scene["low"])
    meeting, agreement, line = scene["meeting"], scene["fi_agr"], scene["line"]
    for url in (
        f"/incontri/{meeting.pk}/",
        f"/incontri/{meeting.pk}/modifica/",
        f"/accordi/{agreement.pk}/",
        f"/accordi/{agreement.pk}/modifica/",
        f"/programmazione/capitoli/{line.pk}/modifica/",
    ):
        page = client.get(url).content.decode()
        leaks = [w for w in ("Zqpersegreta", "Zqorgsegreta", "Zqagrsegreto", "Zqobjsegreto")]
        assert not [w for w in leaks if w in page], url
    assert "riservato" in client.get(f"/incontri/{meeting.pk}/").content.decode()
    assert "riservato" in client.get(f"/accordi/{agreement.pk}/").content.decode()
    edit = client.get(f"/programmazione/capitoli/{line.pk}/modifica/").content.decode()
    assert f'value="{scene["secret_obj"].pk}" selected>riservato' in edit
    api = token_client(scene["low"])
    signatories = api.get(f"/agreements/{agreement.pk}/signatories").json()
    assert [s["name"] for s in signatories] == ["riservato"]
    assert signatories[0]["person_id"] is None
    people = api.get(f"/meetings/{meeting.pk}/participants").json()
    assert "riservato" in [p["name"] for p in people]
    assert scene["secret_person"].pk not in [p["person_id"] for p in people]


def test_saving_keeps_the_hidden_links(scene: Any) -> None:
    from ponti.agreements.models import Agreement
    from ponti.meetings.models import Meeting
    from ponti.planning.models import BudgetLine

    client = _client(scene["low"])
    meeting, agreement, line = scene["meeting"], scene["fi_agr"], scene["line"]
    response = client.post(
        f"/incontri/{meeting.pk}/modifica/",
        {
            "kind": "incontro",
            "title": "Incontro aperto, rivisto",
            "starts_at": "2026-12-03T10:00",
            "timezone": "Europe/Rome",
            "confidentiality": "pubblico",
            "counterparts": f"{scene['org'].pk} Città aperta",
            "version": meeting.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.title == "Incontro aperto, rivisto"
    assert set(meeting.counterparts.all()) == {scene["org"], scene["secret_org"]}
    assert list(meeting.agreements.all()) == [scene["secret_agr"]]
    response = client.post(
        f"/accordi/{agreement.pk}/modifica/",
        {
            "kind": "amicizia",
            "title": "Patto Zqagrfirenze rivisto",
            "partners": str(scene["org"].pk),
            "confidentiality": "pubblico",
            "version": agreement.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement = Agreement.objects.get(pk=agreement.pk)
    assert set(agreement.partners.all()) == {scene["org"], scene["secret_org"]}
    response = client.post(
        f"/programmazione/capitoli/{line.pk}/modifica/",
        {
            "side": "spesa",
            "number": "7001",
            "description": "Capitolo aperto, rivisto",
            "titolo": line.titolo_id,
            "category": line.category_id,
            "programma": line.programma_id,
            "objective": str(scene["secret_obj"].pk),
            "confidentiality": "pubblico",
            "version": line.version,
        },
    )
    assert response.status_code == 302, re.findall(
        r"invalid-feedback[^>]*>([^<]*)", response.content.decode()
    )
    assert BudgetLine.objects.get(pk=line.pk).objective == scene["secret_obj"]
    reporting.count("pickers", "hidden links kept", 3)


def test_an_api_edit_keeps_the_hidden_links(scene: Any) -> None:
    """`partner_ids` and `counterpart_ids` replace what the user may see; hidden ones stay."""
    api = token_client(scene["low"])
    agreement, meeting, org = scene["fi_agr"], scene["meeting"], scene["org"]
    response = api.patch(
        f"/agreements/{agreement.pk}", {"version": agreement.version, "partner_ids": [org.pk]}
    )
    assert response.status_code == 200, response.json()
    assert set(agreement.partners.all()) == {org, scene["secret_org"]}
    response = api.patch(
        f"/meetings/{meeting.pk}",
        {"version": meeting.version, "counterpart_ids": [org.pk], "agreement_ids": []},
    )
    assert response.status_code == 200, response.json()
    assert set(meeting.counterparts.all()) == {org, scene["secret_org"]}
    assert list(meeting.agreements.all()) == [scene["secret_agr"]]
    reporting.count("pickers", "hidden links kept", 3)


def test_a_form_left_unlimited_refuses_to_validate() -> None:
    """A view that forgets `limit_choices` fails loudly instead of accepting any ID."""
    from django.core.exceptions import ImproperlyConfigured

    from ponti.agreements.forms import SignatoryForm

    form = SignatoryForm({"side": "partner", "person": "1"})
    with pytest.raises(ImproperlyConfigured):
        form.is_valid()


def test_a_meeting_links_only_agreements_of_its_own_ente(
    ente: Any, other_ente: Any, make_user: Any
) -> None:
    """A user of two enti sees both enti's agreements, but a meeting of one cannot link the
    other's: the edit page does not offer them and the service refuses them (pages and API)."""
    from ponti.agreements.models import Agreement
    from ponti.meetings.models import Meeting

    both = make_user("ufficio", username="due-enti", enti=[ente, other_ente])
    prato = Agreement.objects.create(
        ente=other_ente, kind="amicizia", title="Patto Zqpratese", confidentiality="interno"
    )
    meeting = Meeting.objects.create(
        ente=ente,
        title="Incontro di Firenze",
        starts_at=datetime.datetime(2026, 12, 3, 9, tzinfo=TZ),
        confidentiality="interno",
    )
    page = _client(both).get(f"/incontri/{meeting.pk}/modifica/").content.decode()
    assert "Zqpratese" not in page
    response = token_client(both).patch(
        f"/meetings/{meeting.pk}", {"version": meeting.version, "agreement_ids": [prato.pk]}
    )
    assert response.status_code == 422 and "agreement_ids" in response.json()["errors"]
    from ponti.meetings import services

    with pytest.raises(Exception, match="ente dell'incontro"):
        services.update_meeting(
            meeting, user=both, data={"agreements": [prato]}, expected_version=meeting.version
        )
    assert not meeting.agreements.exists()
