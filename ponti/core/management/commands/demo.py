"""`ponti demo`: load the demo data, through the loaders each app registers in `<app>/demo.py`.

Safe to run again: every loader updates what it made the first time instead of adding
to it (values that come from the data are set back to the data's), and resets the demo
users' password to the one given. `ponti demo --logins` only lists the logins.
"""

from __future__ import annotations

import inspect
import os
import secrets
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ponti.core.audit import acting_as
from ponti.core.demo import Loader, loaders
from ponti.core.roles import Role, roles_of


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
            "--force",
            action="store_true",
            help="Run even with PONTI_DEBUG off (a staging or training instance).",
        )
        parser.add_argument(
            "--logins",
            action="store_true",
            help="Load nothing: list the users of each role (read-only, as `make run` does).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["logins"]:
            self.list_logins(options["password"] or os.environ.get("PONTI_DEMO_PASSWORD"))
            return
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "ponti demo adds demo users with a shared password and demo records: it runs "
                "only with PONTI_DEBUG=1. On a staging or training instance, add --force."
            )
        password = (
            options["password"]
            or os.environ.get("PONTI_DEMO_PASSWORD")
            or secrets.token_urlsafe(12)
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
            self.stdout.write(f"{name}: {result.get('summary') or ''} [{seconds:.1f} s]")
            for doubt in result.get("doubts", []):
                self.stdout.write(f"  - {doubt}")
            logins.extend(result.get("logins", []))
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} s."))
        if logins:
            self.write_logins(logins, password)

    def list_logins(self, password: str | None) -> None:
        """The active users that hold a role; the password only if it is theirs."""
        users = list(
            get_user_model()
            .objects.filter(is_active=True, memberships__isnull=False)
            .distinct()
            .order_by("username")
        )
        if not users:
            self.stdout.write("No users with a role yet: load the demo with `ponti demo`.")
            return
        logins = [
            {
                "username": user.get_username(),
                "role": ", ".join(sorted({str(Role(r).label) for r in roles_of(user)})),
                "ente": ", ".join(e.short_name or e.name for e in user.enti.order_by("pk")[:1])
                + (" …" if user.enti.count() > 1 else ""),
                "name": user.get_full_name(),
            }
            for user in users
        ]
        # Compared without the user's check_password, which may rewrite the hash.
        known = bool(password) and all(check_password(password, u.password) for u in users)
        title = "Users with a role" + (", all with the same password:" if known else ":")
        self.write_logins(logins, password if known else None, title=title)

    def write_logins(
        self,
        logins: list[dict[str, str]],
        password: str | None,
        *,
        title: str = "Demo users (invented people), all with the same password:",
    ) -> None:
        self.stdout.write("")
        self.stdout.write(title)
        header = ("login", "ente", "role", "name")
        rows = [
            header,
            *((r["username"], r.get("ente", ""), r["role"], r["name"]) for r in logins),
        ]
        widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
        for cells in rows:
            line = "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))
            self.stdout.write(f"  {line}".rstrip())
        if password:
            self.stdout.write(f"Password: {password}")
        else:
            self.stdout.write(
                "Password: the one printed when the demo was loaded "
                "(to set a new one: ponti demo --password …)."
            )
