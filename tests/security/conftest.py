"""A person linked to everything the registry and the enti can hold about them."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

import pytest

from tests.security.gdpr_helpers import EMAIL, MOBILE, NAME, OLD_PHONE, PHONE, TZ


@dataclass
class World:
    person: Any
    org: Any
    signed: Any
    draft: Any
    held: Any
    planned: Any
    group: Any
    document_pdf: Any
    document_docx: Any
    other_meeting: Any


def _pdf_with_author(author: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": author, "/Title": f"Patto firmato da {author}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _docx_with_author(author: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Testo del patto.")
    document.core_properties.author = author
    document.core_properties.last_modified_by = author
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world(db: Any, ente: Any, other_ente: Any, personas: dict[str, Any], media: Any) -> World:
    from django.core.files.base import ContentFile

    from ponti.agreements.models import Agreement, AgreementDocument, Signatory
    from ponti.core.audit import acting_as
    from ponti.meetings.models import FollowUpAction, Gift, Meeting, Participant, VisitRequest
    from ponti.networks.models import Membership, WorkingGroup
    from ponti.partners import services
    from ponti.partners.models import Organisation, Person, Position, RetentionDecision

    user = personas["ufficio"]
    with acting_as(user):
        org = Organisation.objects.create(
            name="Città di Reims", kind="city", country="FR", confidentiality="interno"
        )
        person = Person.objects.create(
            first_name=NAME[0],
            last_name=NAME[1],
            honorific="On.",
            title="Sindaca",
            email=EMAIL,
            phone=OLD_PHONE,
            mobile=MOBILE,
            notes="Preferisce il francese.",
            confidentiality="interno",
        )
        services.update_person(
            person, user=user, data={"phone": PHONE}, expected_version=person.version
        )
        position = Position.objects.create(
            person=person, organisation=org, role="Sindaca", start_date=datetime.date(2015, 1, 1)
        )
        signed = Agreement.objects.create(
            ente=ente,
            kind="gemellaggio",
            title="Gemellaggio Firenze–Reims",
            status="firmato",
            approval_date=datetime.date(2019, 1, 10),
            approval_number="12/2019",
            signed_on=datetime.date(2019, 3, 1),
            confidentiality="interno",
        )
        signed.partners.add(org)
        Signatory.objects.create(
            agreement=signed, side="partner", person=person, position=position, role=""
        )
        draft = Agreement.objects.create(
            ente=ente, kind="mou", title="Bozza di protocollo", confidentiality="interno"
        )
        draft.partners.add(org)
        Signatory.objects.create(agreement=draft, side="partner", person=person, role="Sindaca")
        held = Meeting.objects.create(
            ente=ente,
            title="Visita della Sindaca di Reims",
            status="svolto",
            starts_at=datetime.datetime(2024, 5, 2, 9, tzinfo=TZ),
            minutes=f"Gianna Verdacchi ({EMAIL}) propone uno scambio.",
            confidentiality="interno",
        )
        Participant.objects.create(meeting=held, side="controparte", person=person, role="Sindaca")
        planned = Meeting.objects.create(
            ente=ente,
            title="Videochiamata di preparazione",
            status="confermato",
            starts_at=datetime.datetime(2027, 1, 12, 9, tzinfo=TZ),
            confidentiality="interno",
        )
        Participant.objects.create(meeting=planned, side="controparte", person=person)
        Gift.objects.create(
            ente=ente, meeting=held, direction="ricevuto", description="Una bottiglia di champagne"
        )
        FollowUpAction.objects.create(
            ente=ente, meeting=held, description="Inviare il programma dello scambio", owner=user
        )
        VisitRequest.objects.create(
            ente=ente,
            meeting=held,
            requester=org,
            requester_contact=f"Segreteria di Gianna Verdacchi, tel. {PHONE}",
            purpose="Scambio di studenti",
            delegation="Gianna Verdacchi, Sindaca",
        )
        membership = Membership.objects.create(
            ente=ente, network=org, confidentiality="interno", since_year=2003
        )
        group = WorkingGroup.objects.create(membership=membership, name="Cultura")
        group.representatives.add(person)
        RetentionDecision.objects.create(person=person, decided_by=user, justification="Attiva")
        document_pdf = AgreementDocument(
            agreement=signed,
            title="Testo firmato",
            original_name="patto.pdf",
            content_type="application/pdf",
            size=0,
        )
        document_pdf.file.save("patto.pdf", ContentFile(_pdf_with_author("Gianna Verdacchi")))
        document_docx = AgreementDocument(
            agreement=signed,
            title="Bozza",
            original_name="bozza.docx",
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            size=0,
        )
        document_docx.file.save("bozza.docx", ContentFile(_docx_with_author("Gianna Verdacchi")))
        # A meeting of another ente with the same person: not in Florence's export.
        other_meeting = Meeting.objects.create(
            ente=other_ente,
            title="Incontro riservato di Prato",
            status="svolto",
            starts_at=datetime.datetime(2023, 5, 2, 9, tzinfo=TZ),
            confidentiality="interno",
        )
        Participant.objects.create(meeting=other_meeting, side="controparte", person=person)
    return World(
        person=person,
        org=org,
        signed=signed,
        draft=draft,
        held=held,
        planned=planned,
        group=group,
        document_pdf=document_pdf,
        document_docx=document_docx,
        other_meeting=other_meeting,
    )
