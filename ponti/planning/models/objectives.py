"""The DUP objectives tree and its indicators.

indirizzo strategico → obiettivo strategico (for a mandate) → obiettivo operativo (a code such as
1901/0159, three years) → attività. One model with a level keeps the tree in one table.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ponti.core.models import AuditedQuerySet, EnteOwned, EnteOwnedQuerySet, TimeStamped, Versioned

from .classification import BudgetCode, CodeLevel

YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]


class ObjectiveLevel(models.TextChoices):
    INDIRIZZO = "indirizzo", _("Indirizzo strategico")
    STRATEGICO = "strategico", _("Obiettivo strategico")
    OPERATIVO = "operativo", _("Obiettivo operativo")
    ATTIVITA = "attivita", _("Attività")

    @property
    def parent_level(self) -> str | None:
        order = list(ObjectiveLevel)
        index = order.index(self)
        return order[index - 1].value if index else None


class ObjectiveQuerySet(EnteOwnedQuerySet):
    def roots(self) -> ObjectiveQuerySet:
        return self.filter(parent__isnull=True)

    def operational(self) -> ObjectiveQuerySet:
        return self.filter(level=ObjectiveLevel.OPERATIVO)


class Objective(TimeStamped, Versioned, EnteOwned):
    Level = ObjectiveLevel

    level = models.CharField(_("livello"), max_length=12, choices=ObjectiveLevel.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("livello superiore"),
    )
    code = models.CharField(
        _("codice"),
        max_length=30,
        blank=True,
        help_text=_("Per un obiettivo operativo: Programma/numero, per esempio 1901/0159."),
    )
    title = models.CharField(_("titolo"), max_length=300)
    mandate = models.CharField(
        _("mandato"), max_length=40, blank=True, help_text=_("Per esempio «Mandato 2019_2024».")
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Responsabile (utente)"),
    )
    responsible_name = models.CharField(
        _("Responsabile (nome)"),
        max_length=200,
        blank=True,
        help_text=_("Il nome come compare nel DUP, se il Responsabile non è un utente di Ponti."),
    )
    description = models.TextField(_("descrizione"), blank=True)
    missione = models.ForeignKey(
        BudgetCode,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": CodeLevel.MISSIONE},
        verbose_name=_("Missione"),
    )
    programma = models.ForeignKey(
        BudgetCode,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": CodeLevel.PROGRAMMA},
        verbose_name=_("Programma"),
    )
    start_year = models.PositiveSmallIntegerField(_("dal"), validators=YEAR)
    end_year = models.PositiveSmallIntegerField(_("al"), validators=YEAR)
    position = models.PositiveSmallIntegerField(_("ordine"), default=0)

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["position", "code", "title"]
        verbose_name = _("obiettivo")
        verbose_name_plural = _("obiettivi")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="objective_years_in_order"
            ),
            models.UniqueConstraint(
                fields=["ente", "code"], condition=~Q(code=""), name="one_objective_per_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} - {self.title}" if self.code else self.title

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def responsible(self) -> str:
        if self.responsible_user_id and self.responsible_user is not None:
            return self.responsible_user.get_full_name() or self.responsible_user.get_username()
        return self.responsible_name

    def ancestors(self) -> list[Objective]:
        """From the root down to the parent."""
        chain: list[Objective] = []
        node = self.parent
        while node is not None and len(chain) < 10:
            chain.insert(0, node)
            node = node.parent
        return chain

    def ancestor(self, level: str) -> Objective | None:
        return next((node for node in self.ancestors() if node.level == level), None)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors.setdefault("end_year", []).append(
                str(_("L'anno finale precede l'anno iniziale."))
            )
        expected = ObjectiveLevel(self.level).parent_level if self.level else None
        if self.parent_id:
            parent = self.parent
            if parent is not None and parent.level != expected:
                errors.setdefault("parent", []).append(
                    str(
                        _("Sotto un «%(parent)s» si crea un «%(child)s».")
                        % {
                            "parent": parent.get_level_display(),
                            "child": ObjectiveLevel(expected).label if expected else "",
                        }
                    )
                )
            if parent is not None and self.ente_id and parent.ente_id != self.ente_id:
                errors.setdefault("parent", []).append(
                    str(_("Il livello superiore è di un altro ente."))
                )
            if (
                parent is not None
                and self.pk
                and (parent.pk == self.pk or self in parent.ancestors())
            ):
                errors.setdefault("parent", []).append(
                    str(_("Un obiettivo non può stare sotto sé stesso."))
                )
        elif expected is not None and self.level != ObjectiveLevel.STRATEGICO:
            # A strategic objective may stand alone; operational objectives and activities need a parent.
            errors.setdefault("parent", []).append(
                str(
                    _("Indica il «%(parent)s» di cui fa parte.")
                    % {"parent": ObjectiveLevel(expected).label}
                )
            )
        if (
            self.missione_id
            and self.missione is not None
            and self.missione.level != CodeLevel.MISSIONE
        ):
            errors.setdefault("missione", []).append(str(_("Scegli una Missione.")))
        if self.programma_id and self.programma is not None:
            if self.programma.level != CodeLevel.PROGRAMMA:
                errors.setdefault("programma", []).append(str(_("Scegli un Programma.")))
            elif self.missione_id and self.programma.parent_id != self.missione_id:
                errors.setdefault("programma", []).append(
                    str(
                        _("Il Programma %(code)s non appartiene alla Missione scelta.")
                        % {"code": self.programma.code}
                    )
                )
        if errors:
            raise ValidationError(errors)


class Direction(models.TextChoices):
    UP = "up", _("Più è meglio")
    DOWN = "down", _("Meno è meglio")


class Indicator(TimeStamped, Versioned):
    """What an objective measures: a target per year and an actual, typed with its source or computed."""

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("obiettivo")
    )
    name = models.CharField(_("nome"), max_length=300)
    unit = models.CharField(_("unità di misura"), max_length=40, default="numero")
    direction = models.CharField(
        _("direzione"), max_length=4, choices=Direction.choices, default=Direction.UP
    )
    baseline = models.DecimalField(
        _("valore di partenza"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("anno del valore di partenza"), null=True, blank=True, validators=YEAR
    )
    metric = models.CharField(
        _("calcolo automatico"),
        max_length=60,
        blank=True,
        help_text=_("Se scelto, il valore effettivo di ogni anno è contato da Ponti sui dati."),
    )
    example = models.BooleanField(
        _("valori di esempio"),
        default=False,
        help_text=_("I valori sono esempi dimostrativi, non dati reali dell'ente."),
    )
    position = models.PositiveSmallIntegerField(_("ordine"), default=0)

    objects = AuditedQuerySet["Indicator"].as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("indicatore")
        verbose_name_plural = _("indicatori")

    def __str__(self) -> str:
        return self.name

    def audit_parents(self) -> list[Any]:
        return [self.objective]

    def audit_confidentiality(self) -> str:
        return self.objective.confidentiality

    @property
    def ente_id(self) -> int | None:
        return self.objective.ente_id if self.objective_id else None


class IndicatorValue(TimeStamped):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicatore")
    )
    year = models.PositiveSmallIntegerField(_("anno"), validators=YEAR)
    target = models.DecimalField(
        _("obiettivo atteso"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    actual = models.DecimalField(
        _("valore effettivo"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Solo per gli indicatori senza calcolo automatico."),
    )
    source = models.CharField(_("fonte del valore effettivo"), max_length=300, blank=True)

    objects = AuditedQuerySet["IndicatorValue"].as_manager()

    class Meta:
        ordering = ["year"]
        verbose_name = _("valore dell'indicatore")
        verbose_name_plural = _("valori degli indicatori")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"], name="one_indicator_value_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}"

    def audit_parents(self) -> list[Any]:
        return [self.indicator.objective]

    def audit_confidentiality(self) -> str:
        return self.indicator.objective.confidentiality

    @property
    def ente_id(self) -> int | None:
        return self.indicator.objective.ente_id if self.indicator_id else None

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        objective = self.indicator.objective if self.indicator_id else None
        if (
            objective is not None
            and self.year
            and not objective.start_year <= self.year <= objective.end_year
        ):
            errors["year"] = [
                str(
                    _("L'anno %(year)s è fuori dall'orizzonte dell'obiettivo (%(start)s–%(end)s).")
                    % {"year": self.year, "start": objective.start_year, "end": objective.end_year}
                )
            ]
        if self.actual is not None and self.indicator_id and self.indicator.metric:
            errors["actual"] = [
                str(_("Il valore effettivo di questo indicatore è calcolato da Ponti."))
            ]
        if self.actual is not None and not self.source.strip() and not errors.get("actual"):
            errors["source"] = [str(_("Indica la fonte del valore effettivo."))]
        if errors:
            raise ValidationError(errors)
