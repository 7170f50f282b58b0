from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_search_index(sender: Any, using: str = "default", **kwargs: Any) -> None:
    # SQLite drops a table's triggers when Django rebuilds the table for an ALTER:
    # put the search index's triggers back (and refill it) after every migrate.
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from . import search_index

    connection = connections[using]
    if search_index.MIGRATION in MigrationRecorder(connection).applied_migrations():
        search_index.ensure(connection)


class PartnersConfig(AppConfig):
    name = "ponti.partners"
    label = "partners"
    verbose_name = _("Partner")

    def ready(self) -> None:
        post_migrate.connect(
            _ensure_search_index, sender=self, dispatch_uid="ponti_partners_search_index"
        )
