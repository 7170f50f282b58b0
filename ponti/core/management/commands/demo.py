"""`ponti demo`: load the demo data, through the loaders each app registers in `<app>/demo.py`.

Safe to run again: every loader updates what it made the first time instead of adding
to it, and resets the demo users' password to the one given.
"""

from __future__ import annotations

import inspect
import os
import secrets
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ponti.core.audit import acting_as
from ponti.core.demo import Loader, loaders


def _call(loader: Loader, **context: Any) -> Any:
    """Call a loader with the parts of the context it asks for."""
    params = inspect.signature(loader).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return loader(**context)
    return loader(**{k: v for k, v in context.items() if k in params})


class Command(BaseCommand):
    help = (
        "Load the demo data: real public data about Florence's partners (see "
        "ponti/partners/data/PROVENANCE.md) and one demo user per role."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            help="Password of every demo user (default: $PONTI_DEMO_PASSWORD, else a random one).",
        )
        parser.add_argument(
            "--force", action="store_true",
            help="Run even with PONTI_DEBUG off (a staging or training instance).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "ponti demo adds demo users with a shared password and demo records: it runs "
                "only with PONTI_DEBUG=1. On a staging or training instance, add --force."
            )
        password = (
            options["password"] or os.environ.get("PONTI_DEMO_PASSWORD") or secrets.token_urlsafe(12)
        )
        try:
            validate_password(password)
        except ValidationError as exc:
            self.stderr.write(self.style.WARNING("Weak password: " + " ".join(exc.messages)))

        started = time.monotonic()
        results: list[tuple[str, Any, float]] = []
        # One transaction: a failing loader leaves the database as it was.
        # acting_as(None): the audit trail records the changes as made by "sistema".
        with acting_as(None), transaction.atomic():
            for name, loader in loaders():
                begun = time.monotonic()
                result = _call(loader, password=password, stdout=self.stdout)
                results.append((name, result, time.monotonic() - begun))

        logins: list[dict[str, str]] = []
        for name, result, seconds in results:
            result = result if isinstance(result, dict) else {"summary": result}
            summary = result.get("summary") or ""
            self.stdout.write(f"{name}: {summary} [{seconds:.1f} s]")
            for doubt in result.get("doubts", []):
                self.stdout.write(f"  - {doubt}")
            logins.extend(result.get("logins", []))
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {time.monotonic() - started:.1f} s."))

        if logins:
            self.stdout.write("")
            self.stdout.write("Demo users (invented people), all with the same password:")
            widths = [max(len(str(row[k])) for row in logins) for k in ("username", "role", "name")]
            header = ("login", "ruolo", "nome")
            widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
            self.stdout.write("  " + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
            for row in logins:
                cells = (row["username"], row["role"], row["name"])
                self.stdout.write("  " + "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)))
            self.stdout.write(f"Password: {password}")
