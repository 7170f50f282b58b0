"""GDPR for people of the registry: export everything, erase or pseudonymise, everywhere."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile

import pytest

from ponti.core.models import AuditAction, AuditEvent
from tests.api.helpers import token_client
from tests.security.gdpr_helpers import EMAIL, MOBILE, OLD_PHONE, PHONE, TERMS, database_text

pytestmark = pytest.mark.django_db


def _export(user, person, fmt="json"):
    return token_client(user).get(f"/people/{person.pk}/gdpr-export", {"format": fmt})


# --- export ---------------------------------------------------------------------------


def test_the_json_export_holds_every_related_record(world, personas):
    response = _export(personas["ufficio"], world.person)
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["schema"] == "ponti.gdpr.person-export"
    assert data["schema_version"] == 1
    fields = {f["field"]: f["value"] for f in data["person"]["fields"]}
    assert fields["email"] == EMAIL
    assert fields["phone"] == PHONE
    direct = {s["type"]: len(s["items"]) for s in data["records"]}
    assert direct == {
        "partners.position": 1,
        "agreements.signatory": 2,
        "meetings.participant": 2,  # not the one of Prato's meeting
        "networks.workinggroup": 1,
        "partners.retentiondecision": 1,
    }
    linked = {s["type"]: [i["text"] for i in s["items"]] for s in data["linked_records"]}
    assert set(linked) >= {
        "agreements.agreement",
        "meetings.meeting",
        "meetings.gift",
        "meetings.followupaction",
        "meetings.visitrequest",
        "networks.membership",
    }
    assert "Incontro riservato di Prato" not in json.dumps(data)
    assert "Prato" not in data["scope"]["note"]
    # The history: the person's creation, the old phone number, and the signatures' events.
    history = json.dumps(data["history"])
    assert OLD_PHONE in history
    assert any(e["object_type"] == "signatory" for e in data["history"])
    assert data["retention"]["retention_months"] == 60


def test_the_pdf_export_is_readable(world, personas, tmp_path):
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "install poppler-utils"
    response = _export(personas["amministratore"], world.person, "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "export.pdf"
    path.write_bytes(response.content)
    command = [pdftotext, "-layout", str(path), "-"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    for expected in [
        "Gianna Verdacchi",
        EMAIL,
        "Gemellaggio Firenze–Reims",
        "Visita della Sindaca di Reims",
        "Una bottiglia di champagne",
        "Inviare il programma dello scambio",
        "Storia delle modifiche",
        "titolare dei propri dati",
    ]:
        assert expected in text, expected


def test_an_export_is_itself_recorded(world, personas):
    _export(personas["ufficio"], world.person)
    event = AuditEvent.objects.filter(action=AuditAction.ACCESS).get()
    assert event.actor == personas["ufficio"]
    assert event.object_id == str(world.person.pk)
    assert event.changes == {"format": "json"}


def test_the_page_export_is_a_download_for_the_office(client, world, personas):
    client.force_login(personas["ufficio"])
    page = client.get(f"/partner/persone/{world.person.pk}/")
    assert b"Dati personali (PDF)" in page.content
    response = client.get(f"/partner/persone/{world.person.pk}/dati-personali/?format=json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("role", ["revisore", "consigliere", "segreteria", "responsabile"])
def test_other_roles_cannot_export(client, world, personas, role):
    assert _export(personas[role], world.person).status_code == 403
    client.force_login(personas[role])
    assert client.get(f"/partner/persone/{world.person.pk}/dati-personali/").status_code == 403
    assert b"Dati personali (PDF)" not in client.get(f"/partner/persone/{world.person.pk}/").content


def test_a_riservato_person_is_a_404_for_those_not_cleared(world, personas):
    world.person.__class__.objects.filter(pk=world.person.pk).update(confidentiality="riservato")
    assert _export(personas["responsabile"], world.person).status_code == 404
    assert _export(personas["ufficio"], world.person).status_code == 200


def test_another_ente_exports_only_its_own_records(world, make_user, other_ente):
    prato = make_user("ufficio", username="ufficio-prato", enti=[other_ente])
    data = json.loads(_export(prato, world.person).content)
    text = json.dumps(data)
    assert "Incontro riservato di Prato" in text
    assert "Gemellaggio Firenze–Reims" not in text
    assert "Visita della Sindaca di Reims" not in text
    assert "Comune di Prato" in data["scope"]["note"]


# --- erasure ----------------------------------------------------------------------------


def _erase(user, person, confirm=True):
    return token_client(user).post(f"/people/{person.pk}/erase", {"confirm": confirm})


def test_pseudonymisation_keeps_the_legal_records_and_nothing_else(world, personas):
    from ponti.agreements.models import Signatory
    from ponti.meetings.models import Participant
    from ponti.partners.models import Person

    response = _erase(personas["amministratore"], world.person)
    assert response.status_code == 200, response.content
    done = response.json()
    assert done["outcome"] == "pseudonymise"
    person = Person.objects.get(pk=world.person.pk)
    assert person.full_name == f"Persona rimossa #{person.pk}"
    assert (person.email, person.phone, person.mobile, person.notes, person.title) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert person.erased_at is not None
    assert not person.positions.exists()
    signatory = Signatory.objects.get(person=person)
    assert signatory.agreement == world.signed
    assert signatory.role == "Sindaca"  # from the position held at the signing
    assert not Signatory.objects.filter(agreement=world.draft).exists()
    kept = Participant.objects.filter(person=person)
    assert {p.meeting for p in kept} == {world.held, world.other_meeting}
    assert not world.group.representatives.exists()
    erasure = AuditEvent.objects.filter(action=AuditAction.ERASE).get()
    assert erasure.actor == personas["amministratore"]
    assert "Verdacchi" not in erasure.note


def test_erasure_leaves_no_trace_of_the_person_in_the_database(world, personas):
    assert "gianna verdacchi" in database_text()
    assert _erase(personas["amministratore"], world.person).status_code == 200
    dump = database_text()
    for term in TERMS:
        assert term.lower() not in dump, term
    assert "verdacchi" not in dump


def test_erasure_scrubs_the_documents_metadata(world, personas):
    from pypdf import PdfReader

    assert _erase(personas["amministratore"], world.person).status_code == 200
    pdf = world.document_pdf.file.storage.open(world.document_pdf.file.name, "rb").read()
    assert b"Verdacchi" not in pdf
    assert "Persona rimossa" in PdfReader(io.BytesIO(pdf)).metadata["/Author"]
    docx = world.document_docx.file.storage.open(world.document_docx.file.name, "rb").read()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        core = archive.read("docProps/core.xml").decode()
    assert "Verdacchi" not in core
    assert "Persona rimossa" in core


def test_a_person_with_no_legal_record_is_deleted(world, personas):
    from ponti.agreements.models import Signatory
    from ponti.meetings.models import Participant
    from ponti.partners.models import Person

    Signatory.objects.filter(agreement=world.signed).delete()
    Participant.objects.filter(meeting__status="svolto").delete()
    done = _erase(personas["amministratore"], world.person).json()
    assert done["outcome"] == "erase"
    assert not Person.objects.filter(pk=world.person.pk).exists()
    assert not Participant.objects.filter(meeting=world.planned).exists()
    dump = database_text()
    assert EMAIL not in dump and MOBILE not in dump and "verdacchi" not in dump


def test_the_confirmation_page_counts_what_will_happen(client, world, personas):
    client.force_login(personas["amministratore"])
    page = client.get(f"/partner/persone/{world.person.pk}/cancella/")
    assert page.status_code == 200
    plan = page.context["plan"]
    assert plan.pseudonymise
    assert {line.label: line.count for line in plan.kept} == {
        "firmatari": 1,
        "partecipanti": 1,
    }
    assert plan.hidden == 1  # Prato's meeting: counted, not shown
    refused = client.post(f"/partner/persone/{world.person.pk}/cancella/", {})
    assert refused.status_code == 200
    assert "Conferma per procedere." in refused.content.decode()
    done = client.post(f"/partner/persone/{world.person.pk}/cancella/", {"confirm": "on"})
    assert done.status_code == 302


@pytest.mark.parametrize("role", ["ufficio", "revisore", "consigliere"])
def test_only_the_amministratore_erases(client, world, personas, role):
    assert _erase(personas[role], world.person).status_code == 403
    client.force_login(personas[role])
    assert client.get(f"/partner/persone/{world.person.pk}/cancella/").status_code == 403
    assert (
        client.post(f"/partner/persone/{world.person.pk}/cancella/", {"confirm": "on"}).status_code
        == 403
    )


def test_erasure_needs_the_confirmation(world, personas):
    response = _erase(personas["amministratore"], world.person, confirm=False)
    assert response.status_code == 422
    assert world.person.__class__.objects.get(pk=world.person.pk).email == EMAIL


def test_a_pseudonym_cannot_be_edited_or_erased_again(world, personas):
    _erase(personas["amministratore"], world.person)
    assert _erase(personas["amministratore"], world.person).status_code == 409
    api = token_client(personas["ufficio"])
    response = api.patch(f"/people/{world.person.pk}", {"version": 3, "email": EMAIL})
    assert response.status_code in {409, 422}


def test_the_privacy_notice_describes_retention_and_the_rights_procedure(client):
    text = client.get("/privacy/").content.decode()
    assert "Persona rimossa" in text
    assert "5 anni dopo la fine" in text
    assert "JSON" in text and "entro un mese" in text


def test_an_erasure_is_a_new_version_so_a_stale_form_cannot_write_the_name_back(world, personas):
    from ponti.meetings.models import VisitRequest

    visit = VisitRequest.objects.get(requester_contact__contains="Verdacchi")
    read = visit.version
    assert _erase(personas["amministratore"], world.person).status_code == 200
    visit.refresh_from_db()
    assert visit.version > read and "Verdacchi" not in visit.requester_contact
    stale = token_client(personas["ufficio"]).patch(
        f"/visit-requests/{visit.pk}",
        {"version": read, "requester_contact": "Segreteria di Gianna Verdacchi"},
    )
    assert stale.status_code == 409
