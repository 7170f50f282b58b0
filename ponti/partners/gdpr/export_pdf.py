"""The export as a readable PDF (WeasyPrint), in Italian, in the style of the dossiers.

Nothing is fetched: the template has no external resources and the URL fetcher refuses any.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"The export fetches nothing: {url}")


def html(data: dict[str, Any]) -> str:
    return render_to_string("partners/gdpr/export_pdf.html", {"d": data})


def render(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    with translation.override("it"):
        document = html(data)
    return HTML(string=document, url_fetcher=_no_fetch, base_url=None).write_pdf()
