"""Fixtures of the security tests: a private MEDIA_ROOT, an agreement, a budget line, API clients,
a real zip bomb (2 GB of zeros, deflated, built by streaming in memory), and for GDPR a person
linked to everything the registry and the enti can hold about them (`world`)."""

from __future__ import annotations

import datetime
import io
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.agreements.conftest import make_agreement  # noqa: F401 - the same factory here
from tests.api.helpers import Api, token_client
from tests.meetings.conftest import make_meeting  # noqa: F401 - the same factory here
from tests.security.gdpr_helpers import EMAIL, MOBILE, NAME, OLD_PHONE, PHONE, TZ


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def api_as(personas: dict[str, Any]) -> Callable[[str], Api]:
    return lambda role: token_client(personas[role])


@pytest.fixture
def budget_line(db: Any, ente: Any) -> Any:
    from ponti.planning.models import BudgetCode, BudgetLine

    def code(level: str, value: str) -> Any:
        return BudgetCode.objects.get(level=level, side="spesa", code=value)

    return BudgetLine.objects.create(
        ente=ente,
        number="1450",
        side="spesa",
        description="Quote associative reti",
        titolo=code("titolo", "1"),
        category=code("macroaggregato", "103"),
        programma=code("programma", "1901"),
        confidentiality="interno",
    )


# --- A zip bomb ---------------------------------------------------------------------------------

GB = 1024**3
MB = 1024**2


def _deflated_zeros(size: int) -> tuple[bytes, int]:
    """`size` zeros as one raw deflate stream, and their CRC-32, without ever holding them.

    Each megabyte is compressed after a full flush, which resets the compressor: every
    megabyte gives the same ~1 kB, so the stream is that block repeated, then the end."""
    chunk = bytes(MB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = io.BytesIO()
    crc = 0
    for _ in range(size // MB):
        stream.write(block)
        crc = zlib.crc32(chunk, crc)
    stream.write(compressor.flush(zlib.Z_FINISH))
    return stream.getvalue(), crc


def local_header(name: bytes, method: int, crc: int, compressed: int, size: int) -> bytes:
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, compressed, size, len(name), 0) + name  # fmt: skip


def central_entry(
    name: bytes, method: int, crc: int, compressed: int, size: int, offset: int
) -> bytes:
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, compressed, size, len(name), 0, 0, 0, 0, 0, offset) + name  # fmt: skip


def end_of_directory(count: int, length: int, start: int) -> bytes:
    return struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, length, start, 0)


def zip_archive(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip file from (name, raw data, method, crc, uncompressed size): what zipfile writes,
    but with data compressed by us (so that 2 GB of zeros never exist anywhere)."""
    out = io.BytesIO()
    directory = io.BytesIO()
    for name, data, method, crc, size in entries:
        offset = out.tell()
        out.write(local_header(name.encode(), method, crc, len(data), size) + data)
        directory.write(central_entry(name.encode(), method, crc, len(data), size, offset))
    start = out.tell()
    out.write(directory.getvalue())
    out.write(end_of_directory(len(entries), len(directory.getvalue()), start))
    return out.getvalue()


def stored(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    return (name, data, 0, zlib.crc32(data), len(data))


def deflated(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = compressor.compress(data) + compressor.flush()
    return (name, raw, 8, zlib.crc32(data), len(data))


@pytest.fixture(scope="session")
def zeros_2gb() -> tuple[bytes, int]:
    """2 GB of zeros as ~2 MB of deflate, and their CRC (built once: it takes a few seconds)."""
    return _deflated_zeros(2 * GB)


def _bomb(zeros: tuple[bytes, int], parts: list[str], expanding: str) -> bytes:
    data, crc = zeros
    entries = [deflated(name, f"<{name}/>".encode()) for name in parts]
    return zip_archive([*entries, (expanding, data, 8, crc, 2 * GB)])


@pytest.fixture(scope="session")
def docx_bomb(zeros_2gb: tuple[bytes, int]) -> bytes:
    """A DOCX whose document.xml expands to 2 GB."""
    return _bomb(zeros_2gb, ["[Content_Types].xml"], "word/document.xml")


@pytest.fixture(scope="session")
def xlsx_bomb(zeros_2gb: tuple[bytes, int]) -> bytes:
    """An XLSX whose first sheet expands to 2 GB."""
    return _bomb(zeros_2gb, ["[Content_Types].xml", "xl/workbook.xml"], "xl/worksheets/sheet1.xml")


# --- GDPR: a person linked to everything ---------------------------------------------------


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
