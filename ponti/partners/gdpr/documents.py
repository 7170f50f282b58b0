"""A person's name taken out of the metadata of stored documents (GDPR art. 17).

Every file field of every Ponti model is read (today: the agreements' documents). What is
rewritten, and only where one of the person's identifiers appears:

- PDF: the document information (author, title, subject, keywords, creator) and the XMP
  metadata stream; the file is written anew, without the old objects (pypdf).
- DOCX: `docProps/core.xml`, `app.xml`, `custom.xml`, and the authors of comments and tracked
  changes (`w:author`); ODT: `meta.xml` and the `dc:creator` of comments and tracked changes.

The text of a document is not changed: a signed act that names its signatories is the legal
record itself. Generated documents (dossiers, DUP sheets) are never stored: they are made
from the database when asked, so after an erasure they no longer hold the person.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape

from django.apps import apps
from django.db import models

PDF_INFO_KEYS = ("/Author", "/Title", "/Subject", "/Keywords", "/Creator", "/Producer")
ZIP_METADATA = {"docProps/core.xml", "docProps/app.xml", "docProps/custom.xml", "meta.xml"}
# Authors of comments and tracked changes, inside the body of the document.
ZIP_AUTHORS = [
    re.compile(rb'(w:author=")([^"]*)(")'),
    re.compile(rb"(<dc:creator>)([^<]*)(</dc:creator>)"),
]


def _variants(term: str) -> list[str]:
    """The term as written in text and in XML (D'Amico may be D&apos;Amico)."""
    return sorted(
        {term, escape(term), escape(term, {"'": "&apos;", '"': "&quot;"})},
        key=len,
        reverse=True,
    )


def _patterns(terms: list[str]) -> list[re.Pattern[str]]:
    return [
        re.compile(re.escape(variant), re.IGNORECASE) for t in terms for variant in _variants(t)
    ]


def _replace_text(text: str, patterns: list[re.Pattern[str]], label: str) -> str:
    for pattern in patterns:
        text = pattern.sub(label, text)
    return text


def _scrub_zip(data: bytes, patterns: list[re.Pattern[str]], label: str) -> bytes | None:
    changed = False
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename in ZIP_METADATA:
                text = content.decode("utf-8", "replace")
                new = _replace_text(text, patterns, escape(label))
                if new != text:
                    content, changed = new.encode("utf-8"), True
            elif info.filename.endswith(".xml"):

                def author(match: re.Match[bytes]) -> bytes:
                    value = match.group(2).decode("utf-8", "replace")
                    return (
                        match.group(1)
                        + _replace_text(value, patterns, escape(label)).encode("utf-8")
                        + match.group(3)
                    )

                new_bytes = content
                for regex in ZIP_AUTHORS:
                    new_bytes = regex.sub(author, new_bytes)
                if new_bytes != content:
                    content, changed = new_bytes, True
            # The ODF "mimetype" entry must stay first and stored, as it was.
            target.writestr(info, content, compress_type=info.compress_type)
    return out.getvalue() if changed else None


def _scrub_pdf(data: bytes, patterns: list[re.Pattern[str]], label: str) -> bytes | None:
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    changed = False
    info = dict(reader.metadata or {})
    new_info = {}
    for key, value in info.items():
        text = str(value)
        new = _replace_text(text, patterns, label) if key in PDF_INFO_KEYS else text
        changed |= new != text
        new_info[key] = new
    if changed:
        writer.metadata = new_info
    xmp = writer.root_object.get("/Metadata")
    if xmp is not None:
        stream = xmp.get_object()
        raw = stream.get_data().decode("utf-8", "replace")
        new_xmp = _replace_text(raw, patterns, escape(label))
        if new_xmp != raw:
            stream.set_data(new_xmp.encode("utf-8"))
            changed = True
    if not changed:
        return None
    # Drop the old objects, so the old values are not left in the file unreferenced.
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scrub_bytes(data: bytes, terms: list[str], label: str) -> bytes | None:
    """The document without `terms` in its metadata, or None if it had none of them."""
    patterns = _patterns([t for t in terms if t])
    if not patterns:
        return None
    try:
        if data.startswith(b"%PDF-"):
            return _scrub_pdf(data, patterns, label)
        if data.startswith(b"PK\x03\x04"):
            return _scrub_zip(data, patterns, label)
    except (zipfile.BadZipFile, ValueError, KeyError, OSError):
        return None  # a damaged file is left as it is; there is nothing to read in it
    return None


def _file_fields() -> Iterator[tuple[type[models.Model], list[models.FileField]]]:
    for model in apps.get_models():
        if not model.__module__.startswith("ponti."):
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if fields:
            yield model, fields


def stored_documents() -> int:
    return sum(model._base_manager.count() for model, _fields in _file_fields())


def scrub_stored(terms: list[str], label: str) -> int:
    """Rewrite every stored document whose metadata holds one of `terms`; answer how many."""
    rewritten = 0
    for model, fields in _file_fields():
        for obj in model._base_manager.all().iterator():
            for field in fields:
                file: Any = getattr(obj, field.name)
                if not file or not file.storage.exists(file.name):
                    continue
                with file.storage.open(file.name, "rb") as fh:
                    data = fh.read()
                new = scrub_bytes(data, terms, label)
                if new is None:
                    continue
                with file.storage.open(file.name, "wb") as fh:
                    fh.write(new)
                if any(f.name == "size" for f in model._meta.concrete_fields):
                    model._base_manager.filter(pk=obj.pk).update(size=len(new))
                rewritten += 1
    return rewritten
