"""Demo: a few opportunities of the Città metropolitana, clearly marked as examples.

The programmes are real (loaded from data/, see PROVENANCE.md) and the identifiers follow the
portal's real patterns (CERV-<year>-CITIZENS-TOWN-TT, HORIZON-MISS-<year>-…-CIT-…), but these
are not the real calls: titles say «esempio», and the dates (counted from the day the demo is
loaded) and amounts are made up. Nothing here is published.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from ponti.core.demo import register
from ponti.core.models import Ente, Sector

from .models import BRUSSELS, Deadline, DeadlineModel, Opportunity, OpportunityKind, Programme
from .states import Decision

DEFAULT_ENTE = "cm-firenze"
NOTE = (
    "Esempio dimostrativo: programma reale e identificativo nel formato del Funding & Tenders "
    "Portal, ma date e importi inventati. Verificare sempre il bando sul portale."
)
EXAMPLES: list[dict[str, Any]] = [
    {
        "title": "Gemellaggio tra città – CERV Town-Twinning (esempio)",
        "title_en": "Town-Twinning (example)",
        "kind": OpportunityKind.EU_CALL,
        "programme": "43251589",
        "call_identifier": "CERV-2026-CITIZENS-TOWN",
        "topic_identifier": "CERV-2026-CITIZENS-TOWN-TT",
        "eligible_applicants": "Comuni, enti locali e loro associazioni; almeno due paesi, uno nell'UE.",
        "grant_size": "30000.00",
        "sectors": ["cultura"],
        "opens_in": -30,
        "deadlines": [75],
        "decision": Decision.INTERESSANTE,
    },
    {
        "title": "Città climaticamente neutre – Missione Horizon Europe (esempio)",
        "title_en": "Climate-neutral and smart cities (example)",
        "kind": OpportunityKind.EU_CALL,
        "programme": "43108390",
        "call_identifier": "HORIZON-MISS-2026-01",
        "topic_identifier": "HORIZON-MISS-2026-01-CIT-01",
        "deadline_model": DeadlineModel.TWO_STAGE,
        "budget": "12000000.00",
        "grant_size": "4000000.00",
        "opens_in": 20,
        "deadlines": [120, 260],
        "decision": Decision.DA_VALUTARE,
    },
    {
        "title": "Cooperazione interregionale – Interreg Europe (esempio)",
        "kind": OpportunityKind.CALL,
        "programme": "interreg-europe-2021-2027",
        "eligible_applicants": "Autorità pubbliche locali e regionali.",
        "opens_in": -90,
        "deadlines": [-10],
        "decision": Decision.SCARTATA,
        "decision_reason": "Nessun partner disponibile nei tempi (esempio).",
    },
    {
        "title": "Ricerca di partner per una rete URBACT sulla rigenerazione urbana (esempio)",
        "kind": OpportunityKind.PARTNER_SEARCH,
        "programme": "urbact",
        "countries": ["FR", "DE", "ES", "PL"],
        "opens_in": -5,
        "deadlines": [25],
        "decision": Decision.DA_VALUTARE,
    },
]


def _instant(today: datetime.date, days: int) -> datetime.datetime:
    day = today + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(17), tzinfo=ZoneInfo(BRUSSELS))


@register(95, "opportunities: bandi ed esempi di ricerche di partner")
def load_opportunities(**_: Any) -> str:
    ente = Ente.objects.get(slug=DEFAULT_ENTE)
    today = timezone.localdate()
    programmes = {p.code or p.key: p for p in Programme.objects.all()}
    created = 0
    for example in EXAMPLES:
        values = {
            k: v
            for k, v in example.items()
            if k not in {"sectors", "opens_in", "deadlines", "programme"}
        }
        values["programme"] = programmes.get(example["programme"])
        values["opens_on"] = today + datetime.timedelta(days=example["opens_in"])
        values["notes"] = NOTE
        values["confidentiality"] = "interno"
        opportunity, new = Opportunity.objects.get_or_create(
            ente=ente, title=example["title"], defaults=values
        )
        if not new:
            continue
        created += 1
        opportunity.sectors.set(Sector.objects.filter(code__in=example.get("sectors", [])))
        stage_two = example.get("deadline_model") == DeadlineModel.TWO_STAGE
        for n, days in enumerate(example["deadlines"]):
            Deadline.objects.create(
                opportunity=opportunity,
                due_at=_instant(today, days),
                stage=2 if stage_two and n else 1,
            )
    return f"opportunità: {created} nuove (esempi)"
