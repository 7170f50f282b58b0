"""The other members of a network: shared registry data, explored as potential partners."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ponti.core.confidentiality import CONFIDENTIALITY_LEVELS, visible_levels
from ponti.core.models import AuditedQuerySet, Versioned
from ponti.partners.models import Organisation

from .memberships import NETWORKS, YEAR


class NetworkMemberQuerySet(AuditedQuerySet["NetworkMember"]):
    def visible_to(self, user: Any) -> NetworkMemberQuerySet:
        """Shared registry data: visible when both organisations are."""
        levels = visible_levels(user)
        return self.filter(network__confidentiality__in=levels, member__confidentiality__in=levels)


class NetworkMember(Versioned):
    """Another organisation that belongs to a network (shared registry data, of no ente)."""

    network = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="network_members",
        verbose_name=_("rete"),
        limit_choices_to=NETWORKS,
    )
    member = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="member_of", verbose_name=_("membro")
    )
    since_year = models.PositiveSmallIntegerField(
        _("dall'anno"), null=True, blank=True, validators=YEAR
    )
    source = models.CharField(_("fonte"), max_length=500, blank=True)

    objects = NetworkMemberQuerySet.as_manager()

    class Meta:
        ordering = ["network__name", "member__name", "pk"]
        verbose_name = _("membro della rete")
        verbose_name_plural = _("membri della rete")
        constraints = [
            models.UniqueConstraint(fields=["network", "member"], name="network_member_once"),
            models.CheckConstraint(
                condition=~Q(member=F("network")), name="network_not_member_of_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.network}"

    def audit_parents(self) -> list[Any]:
        return [self.network, self.member]

    def audit_confidentiality(self) -> str:
        """As confidential as the more confidential of the network and the member."""
        levels = [self.network.confidentiality, self.member.confidentiality]
        return max(levels, key=lambda value: CONFIDENTIALITY_LEVELS[value])

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.network_id and self.member_id:
            if self.network_id == self.member_id:
                errors["member"] = [str(_("Una rete non può essere membro di sé stessa."))]
            elif (
                NetworkMember.objects.filter(network_id=self.network_id, member_id=self.member_id)
                .exclude(pk=self.pk)
                .exists()
            ):
                errors["member"] = [str(_("Questa organizzazione è già membro della rete."))]
        if errors:
            raise ValidationError(errors)
