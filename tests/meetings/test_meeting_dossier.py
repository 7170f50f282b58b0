"""The briefing dossier: PDF and DOCX, in Italian and English, with only what the user may see."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone


@pytest.fixture
def scene(personas: dict[str, Any], ente: Any, make_org: Any, make_person: Any) -> dict[str, Any]:
    from ponti.agreements.models import Agreement
    from ponti.meetings.models import FollowUpAction, Gift, Meeting, Participant
    from ponti.networks.models import Membership, NetworkMember
    from ponti.partners.models import Position

    kyoto = make_org(
        name="Città di Kyoto", country="JP", city="Kyoto", latitude="35.0116", longitude="135.7681"
    )
    eurocities = make_org(name="Eurocities", kind="network", country="BE", city="Bruxelles")
    NetworkMember.objects.create(network=eurocities, member=kyoto)
    Membership.objects.create(ente=ente, network=eurocities, since_year=2005)
    mayor = make_person(first_name="Koji", last_name="Matsui", title="Sindaco")
    Position.objects.create(
        person=mayor, organisation=kyoto, role="Sindaco", start_date=datetime.date(2020, 2, 1)
    )
    pact = Agreement.objects.create(
        ente=ente,
        kind="gemellaggio",
        title="Gemellaggio Firenze–Kyoto",
        status="attivo",
        signed_on=datetime.date(1965, 9, 22),
    )
    pact.partners.add(kyoto)
    tz = datetime.UTC
    past = Meeting.objects.create(
        ente=ente,
        title="Visita del 2019 a Kyoto",
        status="svolto",
        starts_at=datetime.datetime(2019, 5, 10, 9, tzinfo=tz),
        outcome="<p>Intesa sulla mostra</p>",
    )
    past.counterparts.add(kyoto)
    Participant.objects.create(meeting=past, side="controparte", person=mayor, role="Sindaco")
    secret = Meeting.objects.create(
        ente=ente,
        title="Colloquio riservato sul porto",
        status="svolto",
        confidentiality="riservato",
        starts_at=datetime.datetime(2021, 3, 1, 9, tzinfo=tz),
        minutes="<p>VERBALE SEGRETO</p>",
        outcome="<p>ESITO RISERVATO</p>",
    )
    secret.counterparts.add(kyoto)
    coming = Meeting.objects.create(
        ente=ente,
        title="Incontro con il Sindaco di Kyoto",
        status="confermato",
        starts_at=timezone.now() + datetime.timedelta(days=10),
        talking_points="<ul><li>Rinnovo del gemellaggio</li></ul>",
    )
    coming.counterparts.add(kyoto)
    Participant.objects.create(meeting=coming, side="controparte", person=mayor, role="Sindaco")
    Participant.objects.create(
        meeting=coming, side="controparte", guest_name="Aiko Tanaka", role="Interprete"
    )
    soon = timezone.localdate() + datetime.timedelta(days=40)
    friendship = Agreement.objects.create(
        ente=ente, kind="amicizia", title="Patto con Kyoto", status="attivo",
        signed_on=soon.replace(year=soon.year - 50) if (soon.month, soon.day) != (2, 29) else soon,
    )  # fmt: skip
    friendship.partners.add(kyoto)
    FollowUpAction.objects.create(
        ente=ente,
        meeting=past,
        description="Inviare il catalogo della mostra",
        owner=personas["ufficio"],
        due_date=datetime.date(2027, 1, 15),
    )
    Gift.objects.create(
        ente=ente,
        counterpart=kyoto,
        direction="ricevuto",
        description="Vaso in ceramica di Kiyomizu",
        given_on=datetime.date(2019, 5, 10),
    )
    Gift.objects.create(
        ente=ente,
        counterpart=kyoto,
        direction="dato",
        description="Dono riservatissimo",
        confidentiality="riservato",
    )
    return {"kyoto": kyoto, "coming": coming, "secret": secret, "past": past}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pdf_text(content: bytes, tmp_path: Any) -> str:
    path = tmp_path / "dossier.pdf"
    path.write_bytes(content)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "install poppler-utils"
    command = [pdftotext, "-layout", str(path), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603


def _docx_text(content: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_meeting_pdf_shows_agreements_people_and_past_meetings(scene, personas, tmp_path):
    response = _client(personas["ufficio"]).get(
        f"/report/dossier/incontro/{scene['coming'].pk}.pdf?lang=it"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(_pdf_text(response.content, tmp_path).split())
    for expected in (
        "Gemellaggio Firenze–Kyoto",
        "Visita del 2019 a Kyoto",
        "Koji Matsui",
        "Eurocities",
        "Inviare il catalogo della mostra",
        "Vaso in ceramica di Kiyomizu",
        "Rinnovo del gemellaggio",
        "Storia della relazione",
        "Intesa sulla mostra",
        "Aiko Tanaka",
        "Interprete",
        "Anniversari in arrivo",
        "50 anni di «Patto con Kyoto»",
    ):
        assert expected in text, expected
    # a cleared role sees the riservato meeting's outcome, never its minutes
    assert "Colloquio riservato sul porto" in text and "VERBALE SEGRETO" not in text


def test_the_docx_opens_and_says_the_same(scene, personas):
    response = _client(personas["ufficio"]).get(
        f"/report/dossier/incontro/{scene['coming'].pk}.docx"
    )
    assert response.status_code == 200
    text = _docx_text(response.content)
    for expected in (
        "Gemellaggio Firenze–Kyoto",
        "Visita del 2019 a Kyoto",
        "Koji Matsui",
        "Eurocities",
        "Inviare il catalogo della mostra",
        "Vaso in ceramica di Kiyomizu",
        "Dono riservatissimo",
    ):
        assert expected in text, expected


def test_a_revisore_never_sees_riservato_items(scene, personas, tmp_path):
    client = _client(personas["revisore"])
    pdf = _pdf_text(
        client.get(f"/report/dossier/partner/{scene['kyoto'].pk}.pdf").content, tmp_path
    )
    docx = _docx_text(client.get(f"/report/dossier/partner/{scene['kyoto'].pk}.docx").content)
    for text in (pdf, docx):
        assert "Gemellaggio Firenze–Kyoto" in text and "Visita del 2019 a Kyoto" in text
        for secret in (
            "Colloquio riservato",
            "VERBALE SEGRETO",
            "ESITO RISERVATO",
            "Dono riservatissimo",
        ):
            assert secret not in text


def test_a_meeting_the_user_may_not_see_is_404_never_a_file(scene, personas, make_user, other_ente):
    assert (
        _client(personas["revisore"])
        .get(f"/report/dossier/incontro/{scene['secret'].pk}.pdf")
        .status_code
        == 404
    )
    outsider = make_user("ufficio", username="prato", enti=[other_ente])
    for fmt in ("pdf", "docx"):
        assert (
            _client(outsider)
            .get(f"/report/dossier/incontro/{scene['coming'].pk}.{fmt}")
            .status_code
            == 404
        )
    assert Client().get(f"/report/dossier/incontro/{scene['coming'].pk}.pdf").status_code == 302


def test_the_english_dossier_has_english_headings(scene, personas, tmp_path):
    client = _client(personas["ufficio"])
    text = " ".join(
        _pdf_text(
            client.get(f"/report/dossier/incontro/{scene['coming'].pk}.pdf?lang=en").content,
            tmp_path,
        ).split()
    )
    assert (
        "Briefing dossier" in text
        and "History of the relationship" in text
        and "Past meetings" in text
    )
    assert "Storia della relazione" not in text
    docx = _docx_text(
        client.get(f"/report/dossier/partner/{scene['kyoto'].pk}.docx?lang=en").content
    )
    assert "Gifts exchanged" in docx and "Agreements" in docx
    assert client.get(f"/report/dossier/partner/{scene['kyoto'].pk}.pdf?lang=de").status_code == 404


def test_the_partner_page_offers_the_dossier(scene, personas):
    response = _client(personas["revisore"]).get(scene["kyoto"].get_absolute_url())
    assert f"/report/dossier/partner/{scene['kyoto'].pk}.pdf".encode() in response.content


def test_the_map_marks_the_counterpart(scene, personas):
    from ponti.reports.dossier.worldmap import map_svg

    svg = map_svg(35.0116, 135.7681)
    assert 'cx="135.77"' in svg and 'cy="-35.01"' in svg and "<path" in svg
