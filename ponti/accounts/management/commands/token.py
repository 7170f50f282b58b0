from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ponti.accounts.models import ApiToken
from ponti.core.audit import acting_as


class Command(BaseCommand):
    help = "Create a personal API token for USERNAME and print it (only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="ponti token", help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        with acting_as(user):
            _, raw = ApiToken.issue(user, options["name"])
        self.stdout.write(raw)
