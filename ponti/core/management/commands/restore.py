"""`ponti restore FILE`: put back what `ponti backup` saved, into an empty instance
(migrated, no data), or over an instance's data with --force."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from ponti.core.backup import BackupError
from ponti.core.backup.restore import restore_backup


class Command(BaseCommand):
    help = _(
        "Ripristina un archivio di `ponti backup` in un'installazione vuota (con le migrazioni "
        "applicate e nessun dato): stessi dati, stessi identificativi, stessi documenti. "
        "L'archivio è verificato per intero prima di scrivere."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("L'archivio creato da `ponti backup`."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_(
                "Ripristina anche se l'installazione contiene dati: li cancella tutti "
                "(record, storico delle modifiche, utenti, documenti) e dice quali."
            ),
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help=_("Il database (predefinito: default).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] > 1
        try:
            result = restore_backup(
                options["file"],
                using=options["database"],
                force=options["force"],
                log=lambda line: self.stdout.write(self.style.WARNING(line)),
                progress=(lambda line: self.stdout.write(f"  {line}")) if verbose else None,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Ripristinato %(path)s (Ponti %(version)s, del %(created)s): %(rows)s righe, "
                    "%(files)s documenti, in %(seconds)s s."
                )
                % {
                    "path": options["file"],
                    "version": manifest.get("ponti_version"),
                    "created": manifest.get("created_at"),
                    "rows": result.rows,
                    "files": result.files,
                    "seconds": f"{result.seconds:.1f}",
                }
            )
        )
