"""Watching opportunities: a user's saved searches (the list's filters, kept by name), and
which opportunities are "followed" (for the personal calendar and the due items).

A saved search is personal: only its owner sees, reapplies or deletes it. New opportunities
matching it since `last_seen_at` go into the owner's due items until the owner opens it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ponti.core.models import AuditedQuerySet, TimeStamped

from .states import Decision

# The list's filters a saved search keeps: (query parameter, label).
PARAMS = ("q", "programme", "kind", "sector", "within_days", "call_status", "decision")
# Followed: a candidature is considered or under way (or the user owns the opportunity).
FOLLOWED = (Decision.INTERESSANTE, Decision.IN_PREPARAZIONE)
# Decided: nothing more is due on it.
DECIDED = (
    Decision.SCARTATA,
    Decision.PRESENTATA,
    Decision.FINANZIATA,
    Decision.NON_FINANZIATA,
)


def clean_params(data: Any) -> dict[str, str]:
    """Only the known filters, as non-empty strings (the ente is kept on the search itself)."""
    out: dict[str, str] = {}
    for key in PARAMS:
        value = data.get(key) if hasattr(data, "get") else None
        if value not in (None, ""):
            out[key] = str(value).strip()[:200]
    return out


class SavedSearch(TimeStamped):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("utente"),
    )
    ente = models.ForeignKey(
        "core.Ente", on_delete=models.CASCADE, related_name="+", verbose_name=_("ente")
    )
    name = models.CharField(_("nome"), max_length=120)
    params = models.JSONField(_("filtri"), default=dict, blank=True)
    last_seen_at = models.DateTimeField(_("ultimo controllo"))

    objects = AuditedQuerySet["SavedSearch"].as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("ricerca salvata")
        verbose_name_plural = _("ricerche salvate")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "ente", "name"], name="saved_search_name_unique_per_owner"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def audit_confidentiality(self) -> str:
        """A person's working data, like their tokens: read within the ente's office."""
        return "interno"

    def get_absolute_url(self) -> str:
        return reverse("opportunities:saved_open", args=[self.pk])

    def list_url(self) -> str:
        query = {**self.params, "ente": str(self.ente_id)}
        return reverse("opportunities:list") + "?" + urlencode(query)
