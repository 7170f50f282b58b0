"""`ponti scadenze`: collect what is due and e-mail each recipient what they may see, once.

- Each recipient gets only the items of their enti within their clearance there
  (`due.visible_items`), whatever the collector proposed.
- An alert counts as sent only once the mail server has taken the e-mail: a failed send is
  reported (and the command exits with an error, so the scheduler notices) and the items are
  tried again on the next run.
- Links are absolute, on the site's address (PONTI_BASE_URL), never on a guessed host.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ponti.core.due import DueItem, collect, visible_items
from ponti.core.links import absolute
from ponti.core.models import AlertDelivery

# A claim older than this was left by a run that died before sending: it is taken over.
STALE_CLAIM = datetime.timedelta(hours=1)


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
        failed: list[str] = []
        users = get_user_model().objects.in_bulk(list(per_user))
        for user_id, proposed in per_user.items():
            user = users.get(user_id)
            if user is None or not user.is_active or not user.email:
                continue
            readable = visible_items(user, proposed)
            if options["dry_run"]:
                for item in readable:
                    self.stdout.write(f"{user.get_username()}: {item.title}")
                continue
            fresh = self._claim(user, readable)
            if not fresh:
                continue
            try:
                self._send(user, fresh)
            except Exception as exc:  # noqa: BLE001 - any failure of the mail server
                self._release(user, fresh)
                failed.append(
                    f"{user.get_username()} <{user.email}>: {exc.__class__.__name__}: {exc}"
                )
                continue
            AlertDelivery.objects.filter(
                recipient=user, key__in=[i.key for i in fresh], sent_at__isnull=True
            ).update(sent_at=timezone.now())
            sent += len(fresh)
        self.stdout.write(f"{len(items)} scadenze, {sent} avvisi inviati.")
        if failed:
            for line in failed:
                self.stderr.write(f"Invio non riuscito, riprovo al prossimo giro: {line}")
            raise CommandError(
                f"{len(failed)} e-mail non partite: gli avvisi saranno ritentati al prossimo giro."
            )

    def _claim(self, user: Any, items: list[DueItem]) -> list[DueItem]:
        """Claim each (item, user) not yet sent; only the items claimed here are sent."""
        fresh = []
        stale = timezone.now() - STALE_CLAIM
        for item in items:
            try:
                with transaction.atomic():
                    AlertDelivery.objects.create(key=item.key, recipient=user)
            except IntegrityError:
                # Sent already, or claimed by a run under way; a dead run's claim is taken over.
                taken = AlertDelivery.objects.filter(
                    Q(claimed_at__lt=stale), key=item.key, recipient=user, sent_at__isnull=True
                ).update(claimed_at=timezone.now())
                if not taken:
                    continue
            fresh.append(item)
        return fresh

    def _release(self, user: Any, items: list[DueItem]) -> None:
        AlertDelivery.objects.filter(
            recipient=user, key__in=[i.key for i in items], sent_at__isnull=True
        ).delete()

    def _send(self, user: Any, items: list[DueItem]) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            lines = [
                f"- [{i.kind_label}] {i.title} — "
                + (i.day.strftime("%d/%m/%Y") if i.day else str(i.year or ""))
                + f"\n  {absolute(i.url)}"
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
