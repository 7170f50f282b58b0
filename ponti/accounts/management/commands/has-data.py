import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Exit 0 when the database already has users (so `make run` loads the demo only once)."

    def handle(self, *args: Any, **options: Any) -> None:
        sys.exit(0 if get_user_model().objects.exists() else 1)
