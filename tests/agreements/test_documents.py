"""Documents are checked by content and size, stored outside the web root, downloaded with permission."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ponti.agreements.models import AgreementDocument

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_upload_and_download_by_another_allowed_role(client, personas, make_agreement, media):
    agreement = make_agreement()
    client.force_login(personas["ufficio"])
    client.post(
        f"/accordi/{agreement.pk}/documenti/",
        {"title": "Testo firmato", "file": SimpleUploadedFile("patto.pdf", PDF)},
    )
    document = AgreementDocument.objects.get()
    assert document.content_type == "application/pdf"
    assert str(media) in document.file.path
    client.force_login(personas["revisore"])
    response = client.get(f"/accordi/{agreement.pk}/documenti/{document.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_a_docx_is_accepted(client, personas, make_agreement, media):
    agreement = make_agreement()
    client.force_login(personas["ufficio"])
    client.post(
        f"/accordi/{agreement.pk}/documenti/", {"file": SimpleUploadedFile("testo.docx", _docx())}
    )
    assert AgreementDocument.objects.get().content_type.endswith("wordprocessingml.document")


def test_an_executable_renamed_to_pdf_is_refused(client, personas, make_agreement, media):
    agreement = make_agreement()
    client.force_login(personas["ufficio"])
    response = client.post(
        f"/accordi/{agreement.pk}/documenti/",
        {"file": SimpleUploadedFile("patto.pdf", b"MZ\x90\x00" + b"\x00" * 100)},
        follow=True,
    )
    assert "PDF, ODT o DOCX" in response.content.decode()
    assert not AgreementDocument.objects.exists()


def test_a_file_over_the_limit_is_refused(client, personas, make_agreement, media, settings):
    settings.PONTI_MAX_UPLOAD_MB = 1
    agreement = make_agreement()
    client.force_login(personas["ufficio"])
    big = PDF + b"0" * (1024 * 1024 + 1)
    response = client.post(
        f"/accordi/{agreement.pk}/documenti/",
        {"file": SimpleUploadedFile("grande.pdf", big)},
        follow=True,
    )
    assert "limite" in response.content.decode()
    assert not AgreementDocument.objects.exists()


def test_a_user_who_cannot_see_the_agreement_cannot_download(
    client, personas, make_agreement, media, make_user, other_ente
):
    agreement = make_agreement(confidentiality="riservato")
    client.force_login(personas["ufficio"])
    client.post(
        f"/accordi/{agreement.pk}/documenti/", {"file": SimpleUploadedFile("patto.pdf", PDF)}
    )
    document = AgreementDocument.objects.get()
    client.force_login(personas["revisore"])
    assert client.get(f"/accordi/{agreement.pk}/documenti/{document.pk}/").status_code == 404
    client.force_login(make_user("ufficio", username="prato", enti=[other_ente]))
    assert client.get(f"/accordi/{agreement.pk}/documenti/{document.pk}/").status_code == 404
