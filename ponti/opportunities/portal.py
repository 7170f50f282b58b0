"""The EU Funding & Tenders Portal's own files, as rows of the opportunities import.

Two shapes (field names as observed in public code that reads the portal):
- the bulk file `grantsTenders.json`: `{"fundingData": {"GrantTenderObj": [record, …]}}`, each
  record with `identifier`, `title`, `callIdentifier`, `frameworkProgramme{id, abbreviation,
  description}`, `status{id, abbreviation, description}`, `plannedOpeningDateLong` and
  `deadlineDatesLong[]` (epoch milliseconds), `deadlineModel`, …;
- the SEDIA search API's result pages: `{"results": [{"metadata": {field: [text, …]}, "url"}]}`
  (or a list of such pages), every metadata value a list of strings, dates such as
  `2026-09-23T17:00:00.000+0000`, the status as a code (31094502: open for submission).

Each record becomes a dict keyed by the import's columns (`importers.COLUMNS`). Procurement
tenders (the bulk file mixes them in) are kept as rows marked `portal_type`, which the importer
reports as skipped: a file is never silently shortened.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ponti.core.importing.files import FileError

from .deadlines import from_epoch_ms

TOPIC_URL = "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/{}"
STATUS_CODES = {"31094501": "Forthcoming", "31094502": "Open for submission", "31094503": "Closed"}
# SEDIA's `type`: 1 grant topic, 2 EU external action call, 8 cascade funding call.
GRANT_TYPES = {"1", "2", "8"}


def records(document: Any) -> Iterator[dict[str, Any]]:
    """The rows of either portal shape; a FileError naming what was expected otherwise."""
    if isinstance(document, dict) and "fundingData" in document:
        items = (document.get("fundingData") or {}).get("GrantTenderObj")
        if not isinstance(items, list):
            raise FileError(_("Il file del portale non ha l'elenco fundingData.GrantTenderObj."))
        for item in items:
            yield _bulk(_object(item))
        return
    pages = document if isinstance(document, list) else [document]
    if not pages or not all(isinstance(p, dict) and "results" in p for p in pages):
        raise FileError(
            _(
                "Il file JSON non è un'esportazione del Funding & Tenders Portal: si leggono "
                "grantsTenders.json (fundingData.GrantTenderObj) e le pagine di risultati "
                "della ricerca (results[].metadata)."
            )
        )
    for page in pages:
        if not isinstance(page["results"], list):
            raise FileError(_("Nella pagina di risultati, «results» non è un elenco."))
        for result in page["results"]:
            result = _object(result)
            yield _search(_object(result.get("metadata") or {}), result.get("url"))


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FileError(_("Un record del file del portale non è un oggetto JSON."))
    return value


def _day(ms: Any) -> str:
    return from_epoch_ms(ms).date().isoformat() if isinstance(ms, int | float) else ""


def _bulk(item: dict[str, Any]) -> dict[str, Any]:
    programme = item.get("frameworkProgramme") or {}
    status = item.get("status") or {}
    identifier = _text(item.get("identifier"))
    deadlines = item.get("deadlineDatesLong") or []
    if not isinstance(deadlines, list):
        raise FileError(
            _("«deadlineDatesLong» non è un elenco nel record %(id)s.") % {"id": identifier}
        )
    return {
        "portal_type": _text(item.get("type")),
        "topic_identifier": identifier,
        "call_identifier": _text(item.get("callIdentifier")),
        "title_en": _text(item.get("title")),
        "programme": _text(programme.get("abbreviation")) if isinstance(programme, dict) else "",
        "programme_code": _text(programme.get("id")) if isinstance(programme, dict) else "",
        "opens_on": _day(item.get("plannedOpeningDateLong")),
        "deadlines": [
            from_epoch_ms(ms).isoformat() for ms in deadlines if isinstance(ms, int | float)
        ],
        "deadline_model": _text(item.get("deadlineModel")),
        "portal_status": _text(status.get("abbreviation")) if isinstance(status, dict) else "",
        "url": TOPIC_URL.format(identifier) if identifier else "",
    }


def _first(metadata: dict[str, Any], name: str) -> str:
    value = metadata.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    return _text(value)


def _search(metadata: dict[str, Any], url: Any) -> dict[str, Any]:
    deadlines = metadata.get("deadlineDate") or []
    start = _first(metadata, "startDate")
    status = _first(metadata, "status")
    budget, grant = _budget(_first(metadata, "budgetOverview"))
    return {
        "portal_type": _first(metadata, "type"),
        "topic_identifier": _first(metadata, "identifier"),
        "call_identifier": _first(metadata, "callIdentifier"),
        "title_en": _first(metadata, "title"),
        "programme_code": _first(metadata, "frameworkProgramme"),
        "opens_on": start[:10],
        "deadlines": [_text(d) for d in deadlines] if isinstance(deadlines, list) else [],
        "deadline_model": _first(metadata, "deadlineModel"),
        "portal_status": STATUS_CODES.get(status, status),
        "url": _first(metadata, "url") or _text(url),
        "budget": budget,
        "grant_size": grant,
    }


def _budget(overview: str) -> tuple[str, str]:
    """The topic's budget (every year of every action) and its largest grant, from SEDIA's
    `budgetOverview` (a JSON text); blank when absent or unreadable."""
    try:
        data = json.loads(overview) if overview else {}
        total, grant = Decimal(0), Decimal(0)
        for actions in (data.get("budgetTopicActionMap") or {}).values():
            for action in actions:
                for amount in (action.get("budgetYearMap") or {}).values():
                    total += Decimal(str(amount))
                grant = max(grant, Decimal(str(action.get("maxContribution") or 0)))
    except (ValueError, TypeError, AttributeError, InvalidOperation):
        return "", ""
    return (f"{total:.2f}" if total else "", f"{grant:.2f}" if grant else "")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value).strip()
    raise FileError(
        _("Un campo del file del portale non è un testo: %(v)s.") % {"v": str(value)[:80]}
    )
