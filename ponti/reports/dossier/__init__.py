"""The briefing dossier: for a meeting or an organisation, as PDF (WeasyPrint) or DOCX.

collect() in data.py gathers what the user may see; pdf.render() and docx.render()
turn the same Dossier into a file. render() here picks the format and the language.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
LANGUAGES = ("it", "en")


def render(
    user: Any, *, fmt: str, language: str = "it", meeting: Any = None, organisation: Any = None
) -> tuple[bytes, str]:
    """The file's bytes and a file name, e.g. ("%PDF…", "dossier-incontro-12-it.pdf")."""
    from . import data, docx, pdf

    with translation.override(language):
        dossier = data.collect(user, meeting=meeting, organisation=organisation, language=language)
        content = pdf.render(dossier) if fmt == "pdf" else docx.render(dossier)
    what = f"incontro-{meeting.pk}" if meeting is not None else f"partner-{organisation.pk}"
    return content, f"dossier-{what}-{language}.{fmt}"
