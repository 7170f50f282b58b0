"""Who sees and runs which import: the batches of the user's enti, for the kinds their role may import there.

A batch's report names the records of its rows, so it is read only by those who may import that
kind in that ente (within their clearance there), like the data it brings in.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from ponti.core.ids import parse_id

from . import kinds
from .models import ImportBatch


def allowed(user: Any) -> dict[str, list[Any]]:
    """kind → the user's enti where they may import it (in the order of the kinds)."""
    out: dict[str, list[Any]] = {}
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return out
    from ponti.core.models import Ente

    mine = list(Ente.objects.all() if user.is_superuser else user.enti.order_by("name"))
    for kind, importer_class in kinds.all_kinds().items():
        enti = [e for e in mine if importer_class(ente=e, user=user).refusal() is None]
        if enti:
            out[kind] = enti
    return out


def batches_for(user: Any) -> QuerySet[ImportBatch]:
    q: Q | None = None
    for kind, enti in allowed(user).items():
        part = Q(kind=kind, ente__in=enti)
        q = part if q is None else q | part
    if q is None:
        return ImportBatch.objects.none()
    return ImportBatch.objects.for_user(user).filter(q).select_related("ente", "user")


def get_batch(user: Any, pk: Any) -> ImportBatch:
    """The batch, or 404 when it does not exist or the user may not read it."""
    batch_id = parse_id(pk)
    batch = batches_for(user).filter(pk=batch_id).first() if batch_id else None
    if batch is None:
        raise Http404
    return batch
