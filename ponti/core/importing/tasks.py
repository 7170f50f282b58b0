"""The background side of imports: the worker (`ponti db_worker`) runs these."""

from __future__ import annotations

from django_tasks import task

from . import engine
from .models import ImportBatch


@task()
def check_batch(batch_id: int) -> str:
    batch = ImportBatch.objects.select_related("ente", "user").get(pk=batch_id)
    return str(engine.check(batch).status)


@task()
def commit_batch(batch_id: int) -> str:
    batch = ImportBatch.objects.select_related("ente", "user").get(pk=batch_id)
    return str(engine.commit(batch).status)


@task()
def undo_batch(batch_id: int) -> str:
    batch = ImportBatch.objects.select_related("ente", "user").get(pk=batch_id)
    return str(engine.undo(batch).status)
