"""Uploads: type from the content, a size limit per file and a quota per ente, and zip archives
(DOCX, XLSX, ODT, ODS) checked before anything opens them: a 2 GB zip bomb is refused within a
second, and nothing reaches the disk. Pages and API."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
import zlib
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ponti.agreements.models import AgreementDocument
from ponti.core import uploads
from tests.security.conftest import (
    central_entry,
    deflated,
    end_of_directory,
    local_header,
    stored,
    tree_size,
    zip_archive,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def docx(*extra: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


def odf(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload_page(client: Any, agreement: Any, name: str, data: bytes, **extra: Any) -> Any:
    return client.post(
        f"/accordi/{agreement.pk}/documenti/",
        {"title": "Testo firmato", "file": SimpleUploadedFile(name, data, **extra)},
    )


def upload_api(api: Any, agreement: Any, name: str, data: bytes) -> Any:
    return api.client.post(
        f"/api/v1/agreements/{agreement.pk}/documents",
        {"title": "Testo firmato", "file": SimpleUploadedFile(name, data)},
    )


# --- The zip bomb ------------------------------------------------------------------------------


def test_the_bomb_is_a_real_zip_of_2_gb(docx_bomb: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(docx_bomb)) as archive:
        info = archive.getinfo("word/document.xml")
        assert info.file_size == 2 * 1024**3
        with archive.open(info) as entry:
            assert entry.read(1024 * 1024) == bytes(1024 * 1024)  # real zeros, really deflated
    assert len(docx_bomb) < 3 * 1024 * 1024


def test_a_docx_zip_bomb_is_refused_on_the_page_within_a_second_without_touching_the_disk(
    client: Any, personas: dict[str, Any], make_agreement: Any, media: Any, docx_bomb: bytes
) -> None:
    agreement = make_agreement()
    client.force_login(personas["ufficio"])
    client.get(f"/accordi/{agreement.pk}/")  # the first request of a process loads templates
    start = time.perf_counter()
    response = upload_page(client, agreement, "patto.docx", docx_bomb, content_type=DOCX_TYPE)
    elapsed = time.perf_counter() - start
    html = response.content.decode()
    assert elapsed < 1, f"{elapsed:.2f} s"
    assert response.status_code == 200 and "bomba zip" in html
    assert 'value="Testo firmato"' in html  # the title typed is still in the form
    assert not AgreementDocument.objects.exists()
    assert tree_size(media) == 0


def test_a_docx_zip_bomb_is_refused_by_the_api_within_a_second_without_touching_the_disk(
    api_as: Any, make_agreement: Any, media: Any, docx_bomb: bytes
) -> None:
    agreement = make_agreement()
    api = api_as("ufficio")
    api.get(f"/agreements/{agreement.pk}/documents")  # warm: the first request loads the API
    start = time.perf_counter()
    response = upload_api(api, agreement, "patto.docx", docx_bomb)
    elapsed = time.perf_counter() - start
    assert elapsed < 1, f"{elapsed:.2f} s"
    assert response.status_code == 422
    assert "bomba zip" in response.json()["errors"]["file"][0]
    assert not AgreementDocument.objects.exists()
    assert tree_size(media) == 0


def test_an_xlsx_zip_bomb_is_refused_by_the_import_page_and_the_api(
    client: Any,
    personas: dict[str, Any],
    api_as: Any,
    budget_line: Any,
    media: Any,
    xlsx_bomb: bytes,
) -> None:
    client.force_login(personas["responsabile"])
    client.get("/importazioni/nuova/")  # warm: templates loaded
    start = time.perf_counter()
    page = client.post(
        "/importazioni/nuova/",
        {
            "kind": "budget",
            "file": SimpleUploadedFile("importi.xlsx", xlsx_bomb, content_type=XLSX_TYPE),
        },
    )
    assert time.perf_counter() - start < 1
    assert page.status_code == 400 and "bomba zip" in page.content.decode()
    api = api_as("responsabile")
    api.get("/budget-lines")  # warm
    start = time.perf_counter()
    response = api.client.post(
        "/api/v1/imports",
        {"file": SimpleUploadedFile("importi.xlsx", xlsx_bomb), "kind": "budget"},
    )
    assert time.perf_counter() - start < 1
    assert response.status_code == 422
    assert "bomba zip" in response.json()["errors"]["file"][0]
    assert tree_size(media) == 0  # not even the pending file of a dry run


def test_an_xlsx_whose_headers_lie_is_read_no_further_than_they_say(
    budget_line: Any, personas: dict[str, Any], ente: Any
) -> None:
    """Declared 2 kB, really 200 MB of spaces (compressed to 200 kB, a ratio the pre-check
    cannot see): zipfile stops at the declared size, so openpyxl gets a broken sheet, and the
    import refuses the file without ever holding the 200 MB."""
    from ponti.core.importing import services

    honest = xlsx([["capitolo", "tipo", "anno", "previsione_iniziale"], ["1450", "S", 2024, 1]])
    with zipfile.ZipFile(io.BytesIO(honest)) as archive:
        entries = [(i.filename, archive.read(i)) for i in archive.infolist()]
    real = b"<worksheet>" + b" " * (200 * 1024 * 1024)
    crafted = []
    for name, data in entries:
        if name == "xl/worksheets/sheet1.xml":
            name_, raw, method, _crc, _size = deflated(name, real)
            crafted.append((name_, raw, method, zlib.crc32(data), 2048))  # the lie
        else:
            crafted.append(deflated(name, data))
    lying = zip_archive(crafted)
    del real
    tracemalloc.start()
    try:
        batch = services.start(
            user=personas["responsabile"],
            ente=ente,
            kind="budget",
            filename="importi.xlsx",
            data=lying,
            background=False,
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert batch.file_errors and batch.status == "failed", batch.file_errors
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1024 / 1024:.0f} MB"


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ([stored(f"word/media/{n}.xml", b"x") for n in range(1001)], "1.003 elementi"),
        ([deflated("word/embeddings/dentro.zip", b"PK\x03\x04")], "altro archivio"),
        ([deflated("word/media/x.7z", b"7z")], "altro archivio"),
        ([deflated("../../etc/cron.d/evil", b"x")], "percorso non ammesso"),
        ([deflated("/etc/passwd", b"x")], "percorso non ammesso"),
        ([deflated("C:/Windows/evil.dll", b"x")], "percorso non ammesso"),
        ([deflated("word\\..\\evil", b"x")], "percorso non ammesso"),
        ([deflated("word/a\x0bb.xml", b"x")], "percorso non ammesso"),
        ([deflated("word/document.xml", b"y")], "due volte"),
        ([deflated("word/big.xml", b"\x00" * (5 * 1024 * 1024))], "volte"),
    ],
)
def test_an_archive_is_refused_for_what_its_directory_says(
    entries: list[Any], expected: str
) -> None:
    data = zip_archive(
        [deflated("[Content_Types].xml", b"<Types/>"), deflated("word/document.xml", b"<d/>")]
        + entries
    )
    with pytest.raises(ValidationError) as refused:
        uploads.identify(data, uploads.DOCUMENTS)
    assert expected in refused.value.messages[0], refused.value.messages


def test_entries_that_share_their_compressed_bytes_are_refused() -> None:
    """The "overlapping" zip bomb: many directory entries pointing at the same local data, so
    a small archive declares far more than it holds."""
    name, raw, method, crc, size = deflated("word/document.xml", b"<d/>" * 100_000)
    data = overlapping_archive(raw, crc, size, copies=50)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert len(archive.infolist()) == 50  # a zip reader sees 50 entries
    with pytest.raises(ValidationError) as refused:
        uploads.identify(data, uploads.DOCUMENTS)
    assert "danneggiato" in refused.value.messages[0]


def overlapping_archive(raw: bytes, crc: int, size: int, *, copies: int) -> bytes:
    """One local entry, and `copies` directory entries that all point at it."""
    local = local_header(b"word/document.xml", 8, crc, len(raw), size) + raw
    directory = b"".join(
        central_entry(f"word/part{n}.xml".encode(), 8, crc, len(raw), size, 0)
        for n in range(copies)
    )
    return local + directory + end_of_directory(copies, len(directory), len(local))


# --- The type comes from the bytes ------------------------------------------------------------


def test_a_pdf_named_docx_is_stored_as_the_pdf_it_is(
    client: Any, personas: dict[str, Any], make_agreement: Any, media: Any
) -> None:
    agreement = make_agreement()
    client.force_login(personas["ufficio"])
    upload_page(client, agreement, "testo.docx", PDF, content_type=DOCX_TYPE)
    document = AgreementDocument.objects.get()
    assert document.content_type == "application/pdf"
    assert document.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("name", "data", "content_type", "expected"),
    [
        ("patto.pdf", b"MZ\x90\x00" + bytes(200), "application/pdf", "PDF, ODT o DOCX"),
        ("patto.docx", b"Gentile sindaco, ...", DOCX_TYPE, "PDF, ODT o DOCX"),
        ("patto.docx", b"PK\x03\x04 rotto", DOCX_TYPE, "archivio danneggiato"),
        ("patto.odt", odf("application/vnd.oasis.opendocument.spreadsheet"), "", "è un ODS"),
        ("patto.docx", xlsx([["a"]]), DOCX_TYPE, "è un XLSX"),
        ("patto.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "", "Office 97-2003"),
        ("patto.pdf", b"", "application/pdf", "vuoto"),
    ],
)
def test_a_file_that_is_not_a_pdf_odt_or_docx_is_refused_whatever_its_name_says(
    client: Any,
    personas: dict[str, Any],
    make_agreement: Any,
    media: Any,
    name: str,
    data: bytes,
    content_type: str,
    expected: str,
) -> None:
    agreement = make_agreement()
    client.force_login(personas["ufficio"])
    extra = {"content_type": content_type} if content_type else {}
    html = upload_page(client, agreement, name, data, **extra).content.decode()
    assert expected in html
    assert not AgreementDocument.objects.exists() and tree_size(media) == 0


def test_an_odt_and_a_docx_are_recognised_by_their_content(
    client: Any, personas: dict[str, Any], make_agreement: Any, media: Any
) -> None:
    agreement = make_agreement()
    client.force_login(personas["ufficio"])
    upload_page(
        client, agreement, "senza-estensione", odf("application/vnd.oasis.opendocument.text")
    )
    upload_page(client, agreement, "documento.bin", docx())
    kinds = sorted(AgreementDocument.objects.values_list("content_type", flat=True))
    assert kinds == ["application/vnd.oasis.opendocument.text", DOCX_TYPE]


def test_the_api_sniffs_the_content_too(api_as: Any, make_agreement: Any, media: Any) -> None:
    agreement = make_agreement()
    api = api_as("ufficio")
    refused = upload_api(api, agreement, "patto.pdf", b"#!/bin/sh\nrm -rf /\n")
    assert refused.status_code == 422
    assert "PDF, ODT o DOCX" in refused.json()["errors"]["file"][0]
    accepted = upload_api(api, agreement, "patto.txt", PDF)
    assert accepted.status_code == 201 and accepted.json()["content_type"] == "application/pdf"


def test_an_import_takes_csv_xlsx_and_ods_by_content_not_a_docx_or_a_pdf(
    client: Any, personas: dict[str, Any], budget_line: Any, media: Any
) -> None:
    client.force_login(personas["responsabile"])
    for name, data, expected in [
        ("importi.xlsx", odt_text_document(), "è un ODT"),
        ("importi.csv", docx(), "è un DOCX"),
        ("importi.csv", PDF, "è un PDF"),
    ]:
        html = client.post(
            "/importazioni/nuova/", {"kind": "budget", "file": SimpleUploadedFile(name, data)}
        ).content.decode()
        assert "Sono ammessi solo file CSV, XLSX o ODS" in html and expected in html, name


def odt_text_document() -> bytes:
    return odf("application/vnd.oasis.opendocument.text")


# --- Sizes and quotas ---------------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_naming_the_limit(
    client: Any,
    personas: dict[str, Any],
    api_as: Any,
    make_agreement: Any,
    media: Any,
    settings: Any,
) -> None:
    settings.PONTI_MAX_UPLOAD_MB = 1
    agreement = make_agreement()
    big = PDF + bytes(1024 * 1024)
    client.force_login(personas["ufficio"])
    html = upload_page(client, agreement, "grande.pdf", big).content.decode()
    assert "supera il limite di 1 MB per file" in html
    response = upload_api(api_as("ufficio"), agreement, "grande.pdf", big)
    assert response.status_code == 422
    assert "supera il limite di 1 MB per file" in response.json()["errors"]["file"][0]
    assert tree_size(media) == 0


def test_a_file_over_the_limit_is_dropped_while_it_arrives() -> None:
    """The upload handler keeps nothing past the limit: neither memory nor a temporary file."""
    handler = uploads.LimitedUploadHandler()
    handler.new_file("file", "grande.pdf", "application/pdf", None)
    limit = uploads.max_file_bytes()
    chunk = bytes(64 * 1024)
    passed = 0
    for start in range(0, limit + 10 * len(chunk), len(chunk)):
        if handler.receive_data_chunk(chunk, start) is not None:
            passed += len(chunk)
    assert passed <= limit
    dropped = handler.file_complete(limit + 10 * len(chunk))
    assert dropped.size > limit and dropped.read() == b""
    with pytest.raises(ValidationError, match="supera il limite"):
        uploads.read_upload(dropped, allowed=uploads.DOCUMENTS)


def test_the_ente_quota_counts_its_stored_documents_and_names_the_limit_and_the_use(
    client: Any,
    personas: dict[str, Any],
    api_as: Any,
    make_agreement: Any,
    make_user: Any,
    other_ente: Any,
    media: Any,
    settings: Any,
) -> None:
    settings.PONTI_ENTE_QUOTA_MB = 1
    agreement = make_agreement()
    piece = PDF + bytes(600 * 1024)
    client.force_login(personas["ufficio"])
    upload_page(client, agreement, "primo.pdf", piece)
    assert AgreementDocument.objects.count() == 1
    html = upload_page(client, agreement, "secondo.pdf", piece).content.decode()
    assert "è di 1 MB e ne sono già usati 600 kB" in html
    assert 'value="Testo firmato"' in html
    response = upload_api(api_as("ufficio"), agreement, "secondo.pdf", piece)
    assert response.status_code == 422 and "1 MB" in response.json()["errors"]["file"][0]
    assert AgreementDocument.objects.count() == 1
    # Another ente has its own quota.
    prato = make_user("ufficio", username="ufficio-prato", enti=[other_ente])
    theirs = make_agreement(ente=other_ente, title="Patto di Prato")
    client.force_login(prato)
    upload_page(client, theirs, "loro.pdf", piece)
    assert AgreementDocument.objects.filter(agreement=theirs).count() == 1
    assert uploads.used_bytes(other_ente.pk) == len(piece)


def test_office_files_are_told_apart_by_the_main_part_they_declare() -> None:
    word = b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    macro = b'<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
    renamed = zip_archive(
        [deflated("[Content_Types].xml", word), deflated("word/document2.xml", b"<d/>")]
    )
    assert uploads.identify(renamed, uploads.DOCUMENTS) == uploads.DOCX
    docm = zip_archive(
        [deflated("[Content_Types].xml", macro), deflated("word/document.xml", b"<d/>")]
    )
    with pytest.raises(ValidationError, match="PDF, ODT o DOCX"):
        uploads.identify(docm, uploads.DOCUMENTS)
