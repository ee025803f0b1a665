"""Legal time. Deadlines end at 24:00 Asia/Shanghai (R13), whatever the server's zone."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

LEGAL_TZ = ZoneInfo("Asia/Shanghai")


def local_now() -> dt.datetime:
    return timezone.now().astimezone(LEGAL_TZ)


def local_today() -> dt.date:
    return local_now().date()


def end_of_day(day: dt.date) -> dt.datetime:
    """The instant a legal day ends: 24:00 in Asia/Shanghai, i.e. 00:00 of the next day."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=LEGAL_TZ)
