"""The funding programmes, loaded from `data/` (see data/PROVENANCE.md) by a migration.

Two files, merged by the portal's programme code: the Funding & Tenders Portal's code table
(every programme the portal knows, 2014-2020 and 2021-2027) and the programmes that matter to
cities, some of which have no portal code (Interreg Europe, URBACT): those are keyed by name.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.utils.text import slugify

DATA = Path(__file__).resolve().parent / "data"
CODES = DATA / "eu_ftp_framework_programme_codes.csv"
FOR_CITIES = DATA / "eu_funding_programmes_2021_2027.csv"


def rows() -> list[dict[str, Any]]:
    """The programmes as field values, one dict per programme."""
    by_key: dict[str, dict[str, Any]] = {}
    with CODES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["frameworkProgramme_code"].strip()
            by_key[code] = {
                "key": code,
                "code": code,
                "abbreviation": row["abbreviation"].strip(),
                "name": row["programme_name"].strip(),
                "period": row["period_flag"].strip(),
                "for_cities": False,
                "strands": "",
                "source": row["source"].strip(),
            }
    with FOR_CITIES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["ftp_frameworkProgramme_code"].strip()
            key = code or slugify(row["acronym"] or row["programme"])[:60]
            values = by_key.setdefault(
                key,
                {
                    "key": key,
                    "code": code,
                    "abbreviation": row["acronym"].strip(),
                    "name": row["programme"].strip(),
                    "period": "2021-2027",
                    "source": "",
                },
            )
            values["for_cities"] = True
            values["period"] = values["period"] or "2021-2027"  # the file's own period
            values["strands"] = row["strands_or_actions_relevant_to_cities"].strip()
            values["source"] = "; ".join(s for s in (values["source"], row["sources"].strip()) if s)
    return list(by_key.values())


def load(programme_model: Any) -> int:
    """Create or update every programme (by key); answers how many there are."""
    found = rows()
    for values in found:
        programme_model.objects.update_or_create(key=values["key"], defaults=values)
    return len(found)


class ProgrammeIndex:
    """Programmes found by what a file writes: the portal's code, a key, the abbreviation
    (CREA or LIFE name a programme of each period: the one that matters to cities, then the
    newest, wins) or the name."""

    def __init__(self) -> None:
        from .models import Programme

        self.by_code: dict[str, Any] = {}
        self.by_name: dict[str, Any] = {}
        ranked = sorted(
            Programme.objects.all(),
            key=lambda p: (not p.for_cities, p.period == "2014-2020", p.pk),
        )
        for p in reversed(ranked):  # the best last, so that it wins
            for code in (p.code, p.key):
                if code:
                    self.by_code[code.lower()] = p
            for name in (p.abbreviation, p.name, str(p)):
                if name:
                    self.by_name[name.strip().lower()] = p

    def find(self, code: str, name: str = "") -> Any:
        for text, index in ((code, self.by_code), (code, self.by_name), (name, self.by_name)):
            found = index.get(text.strip().lower()) if text else None
            if found is not None:
                return found
        return None
