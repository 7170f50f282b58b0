"""Budget lines (capitoli), their amounts per year, and the movements operational records charge.

All money is Decimal with two places, never float. Amounts are the accounting system's figures
(typed or imported); movements are what Ponti's own records (network fees, later grants and
missions) charge to a line, so the office can reconcile the two.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ponti.core.models import AuditedQuerySet, EnteOwned, EnteOwnedQuerySet, TimeStamped, Versioned
from ponti.core.money import format_euro

from .classification import BudgetCode, CodeLevel, Side
from .objectives import YEAR, Objective

ZERO = Decimal("0.00")


def money(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class BudgetLineQuerySet(EnteOwnedQuerySet):
    def entrata(self) -> BudgetLineQuerySet:
        return self.filter(side=Side.ENTRATA)

    def spesa(self) -> BudgetLineQuerySet:
        return self.filter(side=Side.SPESA)


class BudgetLine(TimeStamped, Versioned, EnteOwned):
    """A capitolo of the ente's budget (PEG), on the revenue or the spending side."""

    Side = Side

    number = models.CharField(
        _("capitolo"),
        max_length=30,
        help_text=_("Il numero del capitolo nel bilancio, per esempio 1234 o 1234/1."),
    )
    description = models.CharField(_("descrizione"), max_length=300)
    side = models.CharField(_("entrata o spesa"), max_length=8, choices=Side.choices)
    titolo = models.ForeignKey(
        BudgetCode,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Titolo"),
        limit_choices_to={"level": CodeLevel.TITOLO},
    )
    category = models.ForeignKey(
        BudgetCode,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Tipologia o Macroaggregato"),
        help_text=_("Tipologia per le entrate, Macroaggregato per le spese."),
    )
    programma = models.ForeignKey(
        BudgetCode,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Programma"),
        limit_choices_to={"level": CodeLevel.PROGRAMMA},
        help_text=_("Solo per le spese: Missione e Programma, per esempio 1901."),
    )
    objective = models.ForeignKey(
        Objective,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_lines",
        verbose_name=_("obiettivo"),
    )
    example = models.BooleanField(
        _("importi di esempio"),
        default=False,
        help_text=_("Gli importi sono esempi dimostrativi, non cifre reali dell'ente."),
    )

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        ordering = ["side", "number"]
        verbose_name = _("capitolo di bilancio")
        verbose_name_plural = _("capitoli di bilancio")
        constraints = [
            models.UniqueConstraint(
                fields=["ente", "side", "number"], name="one_budget_line_per_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.number} - {self.description}"

    @property
    def classification(self) -> str:
        """The line's place in the budget, as acts quote it."""
        parts = [
            str(code) for code in (self.programma, self.titolo, self.category) if code is not None
        ]
        return " · ".join(parts)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}

        def add(field: str, message: Any) -> None:
            errors.setdefault(field, []).append(str(message))

        titolo = self.titolo if self.titolo_id else None
        if titolo is not None and (titolo.level != CodeLevel.TITOLO or titolo.side != self.side):
            add(
                "titolo",
                _("Scegli un Titolo di %(side)s.") % {"side": Side(self.side).label.lower()}
                if self.side
                else _("Scegli un Titolo."),
            )
        if self.category_id and self.category is not None:
            wanted = CodeLevel.TIPOLOGIA if self.side == Side.ENTRATA else CodeLevel.MACROAGGREGATO
            if self.category.level != wanted or self.category.side != self.side:
                add(
                    "category",
                    _("Per una %(side)s scegli un %(level)s.")
                    % {
                        "side": Side(self.side).label.lower() if self.side else "",
                        "level": wanted.label,
                    },
                )
            elif self.titolo_id and self.category.parent_id != self.titolo_id:
                add(
                    "category",
                    _("%(code)s non appartiene al Titolo scelto.") % {"code": self.category.code},
                )
        if self.programma_id:
            if self.side == Side.ENTRATA:
                add("programma", _("Le entrate non hanno Missione e Programma."))
            elif self.programma is not None and self.programma.level != CodeLevel.PROGRAMMA:
                add("programma", _("Scegli un Programma."))
        if (
            self.objective_id
            and self.objective is not None
            and self.ente_id
            and self.objective.ente_id != self.ente_id
        ):
            add("objective", _("L'obiettivo è di un altro ente."))
        if errors:
            raise ValidationError(errors)

    def year_allowed(self, year: int) -> bool:
        objective = self.objective
        return objective is None or objective.start_year <= year <= objective.end_year


class BudgetAmount(TimeStamped, Versioned):
    """A line's figures for one year: previsione iniziale and assestata, accertato/impegnato, riscosso/pagato."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, related_name="amounts", verbose_name=_("capitolo")
    )
    year = models.PositiveSmallIntegerField(_("anno"), validators=YEAR)
    initial = money(_("previsione iniziale"), default=ZERO, validators=[MinValueValidator(ZERO)])
    revised = money(
        _("previsione assestata"),
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
        help_text=_("Vuota finché il bilancio non è variato: vale la previsione iniziale."),
    )
    committed = money(
        _("accertato o impegnato"),
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        help_text=_("Accertato per le entrate, impegnato per le spese."),
    )
    cashed = money(
        _("riscosso o pagato"),
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        help_text=_("Riscosso per le entrate, pagato per le spese."),
    )
    source = models.CharField(
        _("fonte"), max_length=300, blank=True, help_text=_("Da dove vengono le cifre.")
    )

    objects = AuditedQuerySet["BudgetAmount"].as_manager()

    class Meta:
        ordering = ["line", "year"]
        verbose_name = _("importi dell'anno")
        verbose_name_plural = _("importi per anno")
        constraints = [
            models.UniqueConstraint(fields=["line", "year"], name="one_amount_per_line_and_year"),
            models.CheckConstraint(
                condition=Q(initial__gte=0)
                & (Q(revised__isnull=True) | Q(revised__gte=0))
                & Q(committed__gte=0)
                & Q(cashed__gte=0),
                name="budget_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.year}"

    def audit_parents(self) -> list[Any]:
        parents: list[Any] = [self.line]
        if self.line.objective_id:
            parents.append(self.line.objective)
        return parents

    def audit_confidentiality(self) -> str:
        return self.line.confidentiality

    @property
    def ente_id(self) -> int | None:
        return self.line.ente_id if self.line_id else None

    @property
    def forecast(self) -> Decimal:
        """The previsione in force: the assestata once there is one, else the iniziale."""
        return self.revised if self.revised is not None else self.initial

    def warnings(self) -> list[str]:
        """What is allowed but must be seen: more committed than forecast, more cashed than committed."""
        return amount_warnings(self.line.side, self.forecast, self.committed, self.cashed)

    def clean(self) -> None:
        if self.line_id and self.year and not self.line.year_allowed(self.year):
            objective = self.line.objective
            assert objective is not None
            raise ValidationError(
                {
                    "year": _(
                        "L'anno %(year)s è fuori dall'orizzonte dell'obiettivo %(objective)s (%(start)s–%(end)s)."
                    )
                    % {
                        "year": self.year,
                        "objective": objective.code or objective.title,
                        "start": objective.start_year,
                        "end": objective.end_year,
                    }
                }
            )


class MovementKind(models.TextChoices):
    COMMITTED = "committed", _("Impegno o accertamento")
    CASHED = "cashed", _("Pagamento o riscossione")


class MovementQuerySet(AuditedQuerySet["Movement"]):
    def for_user(self, user: Any) -> MovementQuerySet:
        return self.filter(line__in=BudgetLine.objects.for_user(user))

    def total(self) -> Decimal:
        return self.aggregate(total=Sum("amount"))["total"] or ZERO


class Movement(TimeStamped):
    """An amount an operational record (a network fee, a grant, a mission) charges to a budget line."""

    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="movements", verbose_name=_("capitolo")
    )
    year = models.PositiveSmallIntegerField(_("anno"), validators=YEAR)
    kind = models.CharField(
        _("tipo"), max_length=10, choices=MovementKind.choices, default=MovementKind.COMMITTED
    )
    amount = money(_("importo (€)"), validators=[MinValueValidator(ZERO)])
    day = models.DateField(_("data"), default=timezone.localdate)
    description = models.CharField(_("descrizione"), max_length=300)
    # The record that charges the line. A generic key, so planning imports none of the apps that charge it.
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.CharField(max_length=64, blank=True)
    source_label = models.CharField(_("origine"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registrato da"),
    )

    objects = MovementQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = _("movimento")
        verbose_name_plural = _("movimenti")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="movement_not_negative"),
            models.UniqueConstraint(
                fields=["source_type", "source_id", "kind"],
                condition=~Q(source_id=""),
                name="one_movement_per_source_and_kind",
            ),
        ]
        indexes = [models.Index(fields=["line", "year"])]

    def __str__(self) -> str:
        return f"{self.line.number} {self.year}: {self.amount} €"

    def audit_parents(self) -> list[Any]:
        return [self.line]

    def audit_confidentiality(self) -> str:
        return self.line.confidentiality

    @property
    def ente_id(self) -> int | None:
        return self.line.ente_id if self.line_id else None

    def clean(self) -> None:
        if self.line_id and self.year and not self.line.year_allowed(self.year):
            raise ValidationError(
                {
                    "year": _("L'anno %(year)s è fuori dall'orizzonte dell'obiettivo del capitolo.")
                    % {"year": self.year}
                }
            )


def amount_warnings(side: str, forecast: Decimal, committed: Decimal, cashed: Decimal) -> list[str]:
    """The warnings of a year's figures (`BudgetAmount.warnings`), also for figures not yet in an
    instance: an import checks thousands of rows without building one per row."""
    found = []
    entrata = side == Side.ENTRATA
    if committed > forecast:
        found.append(
            str(
                _("%(what)s (%(committed)s) supera la previsione (%(forecast)s).")
                % {
                    "what": _("L'accertato") if entrata else _("L'impegnato"),
                    "committed": format_euro(committed),
                    "forecast": format_euro(forecast),
                }
            )
        )
    if cashed > committed:
        found.append(
            str(
                _("%(what)s supera %(base)s.")
                % {
                    "what": _("Il riscosso") if entrata else _("Il pagato"),
                    "base": _("l'accertato") if entrata else _("l'impegnato"),
                }
            )
        )
    return found
