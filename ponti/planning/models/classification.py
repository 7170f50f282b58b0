"""The budget classification of D.Lgs. 118/2011, kept as data an administrator can reload.

Codes are written in their compact official form: Missione "19", Programma "1901",
Titolo "2", Tipologia "20105" (Titolo 2, Tipologia 105), Macroaggregato "103" (Titolo 1, 03).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ponti.core.models import AuditedQuerySet


class Side(models.TextChoices):
    ENTRATA = "entrata", _("Entrata")
    SPESA = "spesa", _("Spesa")


class CodeLevel(models.TextChoices):
    MISSIONE = "missione", _("Missione")
    PROGRAMMA = "programma", _("Programma")
    TITOLO = "titolo", _("Titolo")
    TIPOLOGIA = "tipologia", _("Tipologia")
    MACROAGGREGATO = "macroaggregato", _("Macroaggregato")

    @property
    def parent_level(self) -> CodeLevel | None:
        return PARENT_LEVEL.get(self)

    @property
    def sides(self) -> set[str]:
        """Missioni, Programmi and Macroaggregati classify spending; Tipologie classify revenue."""
        return LEVEL_SIDES[self]


PARENT_LEVEL: dict[str, CodeLevel] = {
    CodeLevel.PROGRAMMA: CodeLevel.MISSIONE,
    CodeLevel.TIPOLOGIA: CodeLevel.TITOLO,
    CodeLevel.MACROAGGREGATO: CodeLevel.TITOLO,
}
LEVEL_SIDES: dict[str, set[str]] = {
    CodeLevel.MISSIONE: {Side.SPESA},
    CodeLevel.PROGRAMMA: {Side.SPESA},
    CodeLevel.TITOLO: {Side.SPESA, Side.ENTRATA},
    CodeLevel.TIPOLOGIA: {Side.ENTRATA},
    CodeLevel.MACROAGGREGATO: {Side.SPESA},
}


class BudgetCode(models.Model):
    """One entry of the classification: a Missione, a Programma, a Titolo, a Tipologia or a Macroaggregato."""

    level = models.CharField(_("livello"), max_length=16, choices=CodeLevel.choices)
    side = models.CharField(_("entrata o spesa"), max_length=8, choices=Side.choices)
    code = models.CharField(_("codice"), max_length=12)
    name = models.CharField(_("denominazione"), max_length=300)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("livello superiore"),
    )
    source = models.CharField(_("fonte"), max_length=500, blank=True)

    objects = AuditedQuerySet["BudgetCode"].as_manager()

    class Meta:
        ordering = ["side", "level", "code"]
        verbose_name = _("voce di classificazione")
        verbose_name_plural = _("classificazione di bilancio")
        constraints = [
            models.UniqueConstraint(fields=["level", "side", "code"], name="one_budget_code"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{1,12}$"), name="budget_code_is_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_code} - {self.name}"

    @property
    def display_code(self) -> str:
        """Tipologie are quoted as "Titolo 2 Tipologia 105" in acts; the compact code reads 20105."""
        return self.code
