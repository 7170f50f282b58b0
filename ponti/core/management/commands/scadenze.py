"""`ponti scadenze`: collect what is due and e-mail each recipient once per item."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandParser
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ponti.core.due import DueItem, collect
from ponti.core.models import AlertDelivery


class Command(BaseCommand):
    help = "Collect due items (ends, renewals, commitments, anniversaries, dormant bonds) and e-mail them once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="Pretend today is this date (YYYY-MM-DD), for checks and tests."
        )
        parser.add_argument("--dry-run", action="store_true", help="List, send nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = (
            datetime.date.fromisoformat(options["date"])
            if options["date"]
            else timezone.localdate()
        )
        items = collect(today)
        per_user: dict[int, list[DueItem]] = defaultdict(list)
        for item in items:
            for user_id in item.recipients:
                per_user[user_id].append(item)
        sent = 0
        users = get_user_model().objects.in_bulk(list(per_user))
        for user_id, user_items in per_user.items():
            user = users.get(user_id)
            if user is None or not user.is_active or not user.email:
                continue
            fresh = [] if options["dry_run"] else self._claim(user, user_items)
            if fresh:
                self._send(user, fresh)
                sent += len(fresh)
        self.stdout.write(f"{len(items)} scadenze, {sent} avvisi inviati.")

    def _claim(self, user: Any, items: list[DueItem]) -> list[DueItem]:
        """Record each (item, user) once; only newly recorded ones are sent."""
        fresh = []
        for item in items:
            try:
                with transaction.atomic():
                    AlertDelivery.objects.create(key=item.key, recipient=user)
            except IntegrityError:
                continue
            fresh.append(item)
        return fresh

    def _send(self, user: Any, items: list[DueItem]) -> None:
        base = getattr(settings, "PONTI_BASE_URL", "")
        with translation.override("it"):
            lines = [
                f"- [{i.kind_label}] {i.title} — "
                + (i.day.strftime("%d/%m/%Y") if i.day else str(i.year or ""))
                + f"\n  {base}{i.url}"
                for i in items
            ]
            send_mail(
                subject=ngettext(
                    "Ponti: %(n)s nuova scadenza", "Ponti: %(n)s nuove scadenze", len(items)
                )
                % {"n": len(items)},
                message=_("Buongiorno,\n\necco le scadenze che ti riguardano:\n\n")
                + "\n".join(lines),
                from_email=None,
                recipient_list=[user.email],
            )
