"""`ponti backup FILE`: the database and the uploaded documents in one archive (see
ponti/core/backup/__init__.py for what it holds)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from ponti.core.backup import BackupError
from ponti.core.backup.create import create_backup


class Command(BaseCommand):
    help = _(
        "Salva in un archivio (.tar o .tar.gz) il database e i documenti caricati, con un "
        "manifesto e il checksum SHA-256 di ogni parte. Si ripristina con `ponti restore`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            help=_("Il file da scrivere, ad esempio ponti-2025-06-30.tar.gz (non deve esistere)."),
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help=_("Il database (predefinito: default).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] > 1
        try:
            result = create_backup(
                options["file"],
                using=options["database"],
                progress=(lambda line: self.stdout.write(f"  {line}")) if verbose else None,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for name in result.missing:
            self.stderr.write(
                self.style.WARNING(
                    _("Documento indicato nel database ma assente in MEDIA_ROOT: %(name)s")
                    % {"name": name}
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Backup scritto in %(path)s: %(rows)s righe in %(tables)s tabelle, "
                    "%(files)s documenti (%(media)s MB); archivio di %(size)s MB, in %(seconds)s s."
                )
                % {
                    "path": result.path,
                    "rows": sum(result.rows.values()),
                    "tables": len(result.rows),
                    "files": result.files,
                    "media": f"{result.media_bytes / 1_000_000:.1f}",
                    "size": f"{result.size / 1_000_000:.1f}",
                    "seconds": f"{result.seconds:.1f}",
                }
            )
        )
