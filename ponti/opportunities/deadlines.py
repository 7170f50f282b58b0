"""Deadlines as values: an aware instant, its stage and the time zone the call states it in.

One reader of deadlines for the form, the importer and the exports' text («15/09/2026 17:00»,
Brussels time), and one for the portal's own forms (epoch milliseconds, ISO instants).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from .models import BRUSSELS, DeadlineModel

_DAY_FIRST = re.compile(
    r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"
    r"(?:[ ,T]+(?P<h>\d{1,2})[:.](?P<min>\d{2}))?$"
)
_ISO_DAY = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[ T](?P<h>\d{2}):(?P<min>\d{2}))?$"
)


class DeadlineError(ValueError):
    """A text that is not a deadline; the message says how to write one."""


@dataclass(frozen=True)
class DeadlineValue:
    due_at: datetime.datetime  # aware
    stage: int = 1
    time_zone: str = BRUSSELS

    @property
    def local(self) -> datetime.datetime:
        return self.due_at.astimezone(ZoneInfo(self.time_zone))

    def local_text(self) -> str:
        return f"{self.local:%d/%m/%Y %H:%M}"


def parse_deadline(text: str, zone: str = BRUSSELS) -> datetime.datetime:
    """«15/09/2026 17:00», «15/09/2026» (17:00), «2026-09-15 17:00» in `zone`'s time, or an ISO
    instant with its offset («2026-09-15T17:00:00+02:00», the API's and the portal's)."""
    text = text.strip()
    found = _DAY_FIRST.match(text) or _ISO_DAY.match(text)
    if found is None:
        try:
            # The portal writes offsets as +0000.
            instant = datetime.datetime.fromisoformat(
                re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
            )
        except ValueError:
            instant = None
        if instant is None or instant.tzinfo is None:
            raise DeadlineError(
                _("«%(v)s» non è una scadenza: scrivi gg/mm/aaaa hh:mm, es. 15/09/2026 17:00.")
                % {"v": text}
            )
        return instant
    parts = found.groupdict()
    try:
        return datetime.datetime(
            int(parts["y"]),
            int(parts["m"]),
            int(parts["d"]),
            int(parts["h"] or 17),
            int(parts["min"] or 0),
            tzinfo=ZoneInfo(zone),
        )
    except ValueError:
        raise DeadlineError(_("«%(v)s» non è una data esistente.") % {"v": text}) from None


def from_epoch_ms(value: int | float) -> datetime.datetime:
    """The portal's dates (`deadlineDatesLong`, `plannedOpeningDateLong`): milliseconds since
    1970 in UTC."""
    return datetime.datetime.fromtimestamp(value / 1000, tz=datetime.UTC)


def stages(model: str, instants: list[datetime.datetime]) -> list[DeadlineValue]:
    """A two-stage call's first deadline is stage 1, the next ones stage 2; else all stage 1."""
    ordered = sorted(instants)
    return [
        DeadlineValue(due_at=d, stage=2 if model == DeadlineModel.TWO_STAGE and i else 1)
        for i, d in enumerate(ordered)
    ]
