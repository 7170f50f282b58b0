"""The dossier as PDF: the HTML template with print CSS, through WeasyPrint.

Nothing is fetched: the template has no external resources, and the URL fetcher refuses
any that might slip in (no fonts, images or style sheets from the network).
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from .data import Dossier


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"The dossier fetches nothing: {url}")


def html(dossier: Dossier) -> str:
    return render_to_string("reports/dossier.html", {"d": dossier})


def render(dossier: Dossier) -> bytes:
    from weasyprint import HTML

    return HTML(string=html(dossier), url_fetcher=_no_fetch, base_url=None).write_pdf()
