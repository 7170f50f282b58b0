"""Known bonds between two organisations that are not the ente's own agreements.

A twin-town list names the twinnings of every comune in the territory (Bari–Banja Luka, Prato–
Ebensee): they are facts about the world, recorded with their source and confidence, shown on
both partners' pages and used by matching and maps, but never counted as an ente's agreement.
A bond is a pair: stored once, the lower organisation id first, whichever side recorded it.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ponti.core.confidentiality import visible_levels
from ponti.core.models import AuditedQuerySet, TimeStamped, Versioned
from ponti.partners.models import Organisation


class KnownBondQuerySet(AuditedQuerySet["KnownBond"]):
    def visible_to(self, user: Any) -> KnownBondQuerySet:
        """Bonds whose two organisations the reader may both see."""
        levels = visible_levels(user)
        return self.filter(first__confidentiality__in=levels, second__confidentiality__in=levels)

    def of(self, org: Organisation | int) -> KnownBondQuerySet:
        pk = getattr(org, "pk", org)
        return self.filter(Q(first_id=pk) | Q(second_id=pk))


def _kinds() -> Any:
    from .models import AgreementKind  # defined before models.py imports this module

    return AgreementKind.choices


def _confidences() -> Any:
    from .models import AgreementConfidence

    return AgreementConfidence.choices


class KnownBond(TimeStamped, Versioned):
    first = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organizzazione")
    )
    second = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner")
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=_kinds, default="gemellaggio")
    year = models.PositiveSmallIntegerField(_("anno"), null=True, blank=True)
    confidence = models.CharField(
        _("affidabilità"), max_length=8, choices=_confidences, default="medium"
    )
    source = models.CharField(_("fonte"), max_length=1000, blank=True)
    note = models.CharField(_("nota"), max_length=500, blank=True)

    objects = KnownBondQuerySet.as_manager()

    class Meta:
        ordering = ["first_id", "second_id"]
        verbose_name = _("legame noto")
        verbose_name_plural = _("legami noti")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_id__lt=models.F("second_id")), name="known_bond_ordered_pair"
            ),
            models.UniqueConstraint(fields=["first", "second"], name="known_bond_once"),
        ]

    def __str__(self) -> str:
        return f"{self.first} – {self.second}"

    def other(self, org: Organisation | int) -> Organisation:
        pk = getattr(org, "pk", org)
        return self.second if self.first_id == pk else self.first

    def audit_parents(self) -> list[Any]:
        return [self.first, self.second]

    @property
    def low_confidence(self) -> bool:
        return self.confidence == "low"


def ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)
