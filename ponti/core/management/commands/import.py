"""`ponti import KIND FILE --ente NAME [--dry-run]`: the same engine as the page and the API.

The batch is recorded (and can be undone from its page) like any other; it runs here, in this
process, rather than in the worker. The report is printed; the exit status is 1 when rows
were refused (or the file could not be read) in a real run, 0 otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from ponti.core.importing import kinds, services
from ponti.core.importing.models import BatchStatus, ImportRow, RowStatus
from ponti.core.models import Ente


class Command(BaseCommand):
    help = "Import a file (CSV, XLSX, ODS) of one kind of data for an ente, all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind", help="What the file holds: " + ", ".join(sorted(kinds.all_kinds()))
        )
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--ente", required=True, help="The ente's name, short name or code (slug)."
        )
        parser.add_argument(
            "--user", help="Who imports (username); default: an Amministratore of the ente."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument(
            "--rows", action="store_true", help="List every row, not only refused ones."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("it")
        kind = options["kind"]
        importer_class = kinds.get(kind)
        if importer_class is None:
            raise CommandError(
                f"Unknown kind «{kind}»: one of {', '.join(sorted(kinds.all_kinds()))}."
            )
        name = options["ente"]
        ente = Ente.objects.filter(Q(name=name) | Q(short_name=name) | Q(slug=name)).first()
        if ente is None:
            raise CommandError(f"No ente named «{name}».")
        user = self._user(options.get("user"), ente, importer_class)
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        try:
            batch = services.start(
                user=user,
                ente=ente,
                kind=kind,
                filename=path.name,
                data=path.read_bytes(),
                channel="command",
                background=False,
            )
            if not options["dry_run"] and batch.status == BatchStatus.CHECKED:
                batch = services.confirm(batch, user=user, background=False)
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        self._report(batch, every_row=options["rows"])
        refused = batch.status in {BatchStatus.FAILED, BatchStatus.REFUSED, BatchStatus.MAPPING}
        if refused and not options["dry_run"]:
            raise SystemExit(1)

    def _user(self, username: str | None, ente: Ente, importer_class: type[kinds.Importer]) -> Any:
        users = get_user_model().objects.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(f"No active user «{username}».")
            return user
        for user in users.order_by("-is_superuser", "username"):
            if importer_class(ente=ente, user=user).refusal() is None:
                return user
        raise CommandError(f"Nobody may import {importer_class.kind} for «{ente}»: give --user.")

    def _report(self, batch: Any, *, every_row: bool) -> None:
        counts = batch.counts or {}
        out = self.stdout
        out.write(
            _("Importazione n. %(id)s, %(file)s, per %(ente)s, da %(user)s: %(status)s")
            % {
                "id": batch.pk,
                "file": batch.filename,
                "ente": batch.ente,
                "user": batch.user,
                "status": batch.get_status_display(),
            }
        )
        for message in batch.file_errors:
            out.write(f"  {message}")
        if counts:
            out.write(
                "  "
                + ", ".join(
                    f"{RowStatus(status).label}: {counts.get(status, 0)}"
                    for status in RowStatus.values
                )
                + (f" ({batch.seconds:.2f} s)" if batch.seconds else "")
            )
        rows = ImportRow.objects.filter(batch=batch)
        if not every_row:
            rows = rows.filter(status=RowStatus.ERROR)
        for row in rows.iterator():
            out.write(f"  riga {row.number} [{row.get_status_display()}] {row.label}")
            for message in [*row.errors, *row.warnings, *row.changes]:
                out.write(f"      {message}")
