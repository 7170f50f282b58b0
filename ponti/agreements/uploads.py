"""The space an ente's agreement documents take, counted against its quota (ponti.core.uploads)."""

from __future__ import annotations

from django.db.models import Sum

from ponti.core.uploads import register_usage

from .models import AgreementDocument


@register_usage("agreements")
def stored_bytes(ente_id: int) -> int:
    total = AgreementDocument.objects.filter(agreement__ente_id=ente_id).aggregate(t=Sum("size"))
    return int(total["t"] or 0)
