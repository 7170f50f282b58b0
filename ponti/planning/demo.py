"""Demo: the founding document itself — the DUP sheet of objective 1901/0159 — with example money.

The objectives and their texts are the seed's, word for word (see data/PROVENANCE.md). The seed's
financial table is empty, so the budget lines, their amounts and the indicators' targets are
EXAMPLES: flagged `example`, and every page and document built from them says so.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from ponti.core.demo import register
from ponti.core.models import Ente

from .models import BudgetAmount, BudgetCode, BudgetLine, Indicator, IndicatorValue, Objective

DEFAULT_ENTE = "cm-firenze"
MANDATE = "Mandato 2019_2024"
RESPONSABILE = "Cristiano Maggipinto"
INDIRIZZO = "CULTURA, TURISMO, SVILUPPO ECONOMICO, RELAZIONI INTERNAZIONALI"
STRATEGIC_TITLE = "RELAZIONI INTERNAZIONALI"
STRATEGIC_DESCRIPTION = (
    'Lo Statuto della Città Metropolitana di Firenze all\'art. 4 "Rapporti europei e internazionali", comma 1 '
    "prevede che l'Ente favorisca ed assicuri rapporti di collaborazione e di integrazione economica e culturale "
    "con le città e le altre aree metropolitane europee e extraeuropee. In tale ottica si colloca il presente "
    "obiettivo con lo scopo di valorizzare il territorio metropolitano, le sue eccellenze e specificità, "
    "promuovendo la cultura e raccogliendo le opportunità presenti in ambito transnazionale."
)
OPERATIONAL_CODE = "1901/0159"
OPERATIONAL_TITLE = "LA CITTÀ METROPOLITANA NEL MONDO"
OPERATIONAL_DESCRIPTION = (
    "Nel prossimo triennio la Città Metropolitana di Firenze si pone l'obiettivo di sviluppare i rapporti con le "
    "altre aree metropolitane e partner istituzionali a livello europeo e internazionale, al fine di creare una "
    "rete di collaborazione e integrazione economica e culturale. Per perseguire tale scopo, l'Ente si occuperà "
    "di consolidare e sviluppare una rete di gemellaggi e collaborazioni che coinvolgano, anche nel quadro dei "
    '"network" di cui la Città Metropolitana è già parte, gli ambiti universitario, culturale ed economico. Al '
    "fine di cogliere le opportunità offerte dal contesto, è fondamentale il ruolo svolto dal Consigliere "
    "Diplomatico, che si occuperà di sviluppare le condizioni per l'avvio di progetti di collaborazione e "
    "coadiuverà il Sindaco Metropolitano negli incontri con i rappresentanti internazionali."
)
EXAMPLE_SOURCE = "Importi di esempio: la scheda del DUP non riporta cifre"

# Indicators: name, unit, metric, example targets for 2022–2024.
INDICATORS: list[tuple[str, str, str, tuple[str, str, str]]] = [
    ("Gemellaggi e patti di amicizia attivi", "numero", "active_twinnings", ("5", "6", "7")),
    ("Accordi firmati nell'anno", "numero", "agreements_signed", ("1", "2", "2")),
    ("Incontri con rappresentanti internazionali", "numero", "meetings_held", ("10", "12", "12")),
    ("Delegazioni ricevute", "numero", "delegations_received", ("4", "5", "5")),
    ("Ruoli ricoperti nelle reti di città", "numero", "network_roles", ("1", "1", "2")),
    ("Fondi UE accertati", "euro", "eu_funds_assessed", ("20000", "40000", "40000")),
]

# Budget lines (all examples): side, number, description, titolo, category, programma,
# {year: (previsione iniziale, assestata or None, impegnato/accertato, pagato/riscosso)}.
LINES: list[tuple[str, str, str, str, str, str, dict[int, tuple[str, str | None, str, str]]]] = [
    (
        "spesa",
        "1450",
        "Quote di adesione a reti internazionali di città (esempio)",
        "1",
        "104",
        "1901",
        {
            2022: ("15000.00", None, "14800.00", "14800.00"),
            2023: ("15000.00", "16500.00", "16200.00", "16200.00"),
            2024: ("16500.00", None, "9500.00", "4500.00"),
        },
    ),
    (
        "spesa",
        "1452",
        "Missioni e accoglienza di delegazioni internazionali (esempio)",
        "1",
        "103",
        "1901",
        {
            2022: ("8000.00", None, "6350.40", "6350.40"),
            2023: ("8000.00", None, "7120.00", "6980.00"),
            2024: ("9000.00", None, "3210.75", "1500.00"),
        },
    ),
    (
        "entrata",
        "2105",
        "Contributi dell'Unione Europea per progetti internazionali (esempio)",
        "2",
        "20105",
        "",
        {
            2022: ("0.00", None, "0.00", "0.00"),
            2023: ("40000.00", None, "32000.00", "16000.00"),
            2024: ("40000.00", None, "0.00", "0.00"),
        },
    ),
]


def _code(level: str, side: str, code: str) -> BudgetCode:
    return BudgetCode.objects.get(level=level, side=side, code=code)


@register(90, "planning: il DUP 1901/0159 (importi di esempio)")
def load_planning(**_: Any) -> str:
    ente = Ente.objects.get(slug=DEFAULT_ENTE)
    missione = _code("missione", "spesa", "19")
    created = 0
    with transaction.atomic():
        indirizzo, new = Objective.objects.get_or_create(
            ente=ente,
            level="indirizzo",
            title=INDIRIZZO,
            parent=None,
            defaults={
                "mandate": MANDATE,
                "start_year": 2019,
                "end_year": 2024,
                "confidentiality": "pubblico",
            },
        )
        created += new
        strategic, new = Objective.objects.get_or_create(
            ente=ente,
            level="strategico",
            title=STRATEGIC_TITLE,
            parent=indirizzo,
            defaults={
                "mandate": MANDATE,
                "responsible_name": RESPONSABILE,
                "missione": missione,
                "description": STRATEGIC_DESCRIPTION,
                "start_year": 2019,
                "end_year": 2024,
                "confidentiality": "pubblico",
            },
        )
        created += new
        operational, new = Objective.objects.get_or_create(
            ente=ente,
            code=OPERATIONAL_CODE,
            defaults={
                "level": "operativo",
                "parent": strategic,
                "title": OPERATIONAL_TITLE,
                "mandate": MANDATE,
                "responsible_name": RESPONSABILE,
                "missione": missione,
                "programma": _code("programma", "spesa", "1901"),
                "description": OPERATIONAL_DESCRIPTION,
                "start_year": 2022,
                "end_year": 2024,
                "confidentiality": "pubblico",
            },
        )
        created += new
        for position, (name, unit, metric, targets) in enumerate(INDICATORS):
            indicator, new = Indicator.objects.get_or_create(
                objective=operational,
                metric=metric,
                defaults={"name": name, "unit": unit, "example": True, "position": position},
            )
            created += new
            for year, target in zip(operational.years, targets, strict=True):
                _value, new = IndicatorValue.objects.get_or_create(
                    indicator=indicator, year=year, defaults={"target": Decimal(target)}
                )
                created += new
        for side, number, description, titolo, category, programma, amounts in LINES:
            line, new = BudgetLine.objects.get_or_create(
                ente=ente,
                side=side,
                number=number,
                defaults={
                    "description": description,
                    "titolo": _code("titolo", side, titolo),
                    "category": _code(
                        "tipologia" if side == "entrata" else "macroaggregato", side, category
                    ),
                    "programma": _code("programma", "spesa", programma) if programma else None,
                    "objective": operational,
                    "example": True,
                    "confidentiality": "pubblico",
                },
            )
            created += new
            for year, (initial, revised, committed, cashed) in amounts.items():
                _amount, new = BudgetAmount.objects.get_or_create(
                    line=line,
                    year=year,
                    defaults={
                        "initial": Decimal(initial),
                        "revised": Decimal(revised) if revised else None,
                        "committed": Decimal(committed),
                        "cashed": Decimal(cashed),
                        "source": EXAMPLE_SOURCE,
                    },
                )
                created += new
    return f"obiettivo {OPERATIONAL_CODE} con {len(INDICATORS)} indicatori e {len(LINES)} capitoli di esempio ({created} righe nuove)"
