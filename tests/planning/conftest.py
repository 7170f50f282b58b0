"""Planning fixtures: the seed's objectives (1901/0159) and a few budget lines with amounts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

SEED_STRATEGIC_DESCRIPTION = (
    'Lo Statuto della Città Metropolitana di Firenze all\'art. 4 "Rapporti europei e internazionali", '
    "comma 1 prevede che l'Ente favorisca ed assicuri rapporti di collaborazione e di integrazione economica "
    "e culturale con le città e le altre aree metropolitane europee e extraeuropee."
)


def code(level: str, value: str, side: str = "spesa") -> Any:
    from ponti.planning.models import BudgetCode

    return BudgetCode.objects.get(level=level, side=side, code=value)


@pytest.fixture
def seed(db: Any, ente: Any) -> dict[str, Any]:
    """Indirizzo → strategico → operativo 1901/0159 (2022–2024), as in the seed document."""
    from ponti.planning.models import Objective

    indirizzo = Objective.objects.create(
        ente=ente,
        level="indirizzo",
        title="CULTURA, TURISMO, SVILUPPO ECONOMICO, RELAZIONI INTERNAZIONALI",
        mandate="Mandato 2019_2024",
        start_year=2019,
        end_year=2024,
        confidentiality="pubblico",
    )
    strategic = Objective.objects.create(
        ente=ente,
        level="strategico",
        parent=indirizzo,
        title="RELAZIONI INTERNAZIONALI",
        mandate="Mandato 2019_2024",
        responsible_name="Cristiano Maggipinto",
        missione=code("missione", "19"),
        description=SEED_STRATEGIC_DESCRIPTION,
        start_year=2019,
        end_year=2024,
        confidentiality="pubblico",
    )
    operational = Objective.objects.create(
        ente=ente,
        level="operativo",
        parent=strategic,
        code="1901/0159",
        title="LA CITTÀ METROPOLITANA NEL MONDO",
        mandate="Mandato 2019_2024",
        responsible_name="Cristiano Maggipinto",
        missione=code("missione", "19"),
        programma=code("programma", "1901"),
        description="Nel prossimo triennio la Città Metropolitana di Firenze si pone l'obiettivo di sviluppare i rapporti.",
        start_year=2022,
        end_year=2024,
        confidentiality="pubblico",
    )
    return {"indirizzo": indirizzo, "strategic": strategic, "operational": operational}


@pytest.fixture
def make_line(db: Any, ente: Any) -> Any:
    from ponti.planning.models import BudgetAmount, BudgetLine

    def make(
        number: str,
        side: str = "spesa",
        *,
        objective: Any = None,
        amounts: dict[int, tuple[str, ...]] | None = None,
        **kwargs: Any,
    ) -> Any:
        defaults: dict[str, Any] = {
            "ente": ente,
            "number": number,
            "side": side,
            "description": f"Capitolo {number}",
            "objective": objective,
            "confidentiality": "interno",
        }
        if side == "spesa":
            defaults |= {
                "titolo": code("titolo", "1"),
                "category": code("macroaggregato", "103"),
                "programma": code("programma", "1901"),
            }
        else:
            defaults |= {
                "titolo": code("titolo", "2", "entrata"),
                "category": code("tipologia", "20105", "entrata"),
            }
        defaults.update(kwargs)
        line = BudgetLine.objects.create(**defaults)
        for year, figures in (amounts or {}).items():
            initial, *rest = (Decimal(v) for v in figures)
            committed = rest[0] if rest else Decimal("0")
            cashed = rest[1] if len(rest) > 1 else Decimal("0")
            BudgetAmount.objects.create(
                line=line, year=year, initial=initial, committed=committed, cashed=cashed
            )
        return line

    return make


@pytest.fixture
def seed_budget(seed: dict[str, Any], make_line: Any) -> dict[str, Any]:
    """Two spending lines and one EU revenue line under 1901/0159, with amounts for 2022–2024."""
    op = seed["operational"]
    return {
        **seed,
        "fees": make_line(
            "1450",
            objective=op,
            amounts={
                2022: ("20000.00", "18500.00", "18500.00"),
                2023: ("21000.00", "20000.00"),
                2024: ("22000.00",),
            },
        ),
        "missions": make_line(
            "1451",
            objective=op,
            amounts={2022: ("5000.00", "4200.50"), 2023: ("5000.00", "5100.00")},
        ),
        "eu": make_line(
            "210",
            "entrata",
            objective=op,
            amounts={2022: ("30000.00", "30000.00", "15000.00"), 2023: ("40000.00", "12500.25")},
        ),
    }
