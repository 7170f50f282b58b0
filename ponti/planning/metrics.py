"""Planning's own metric: EU funds assessed (accertato on Titolo 2, Tipologia 105)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from .models import BudgetAmount, Side
from .registry import metric

EU_TIPOLOGIA = "20105"


@metric(
    "eu_funds_assessed",
    label=_("Fondi UE accertati"),
    unit=_("euro"),
    description=_(
        "Somma dell'accertato sui capitoli di entrata del Titolo 2, Tipologia 105 (Unione Europea e Resto del Mondo)."
    ),
)
def eu_funds_assessed(ente_id: int, year: int) -> Decimal:
    total = BudgetAmount.objects.filter(
        line__ente_id=ente_id,
        line__side=Side.ENTRATA,
        line__category__code=EU_TIPOLOGIA,
        line__category__level="tipologia",
        year=year,
    ).aggregate(total=Sum("committed"))["total"]
    return (total or Decimal("0")).quantize(Decimal("0.01"))
