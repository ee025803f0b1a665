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


def day_text(day: dt.date) -> str:
    """A legal date in the reader's language: 2026-12-02, or 2026年12月2日 in Chinese."""
    from django.utils.translation import get_language

    if (get_language() or "").startswith("zh"):
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def day_end_text(day: dt.date) -> str:
    """The end of a legal day as the law says it (R13): 2026-12-02 24:00, 2026年12月2日 24:00."""
    return f"{day_text(day)} 24:00"


def instant_text(instant: dt.datetime) -> str:
    """An instant in legal time; midnight is written as 24:00 of the day before (R13)."""
    local = instant.astimezone(LEGAL_TZ)
    if local.time() == dt.time.min:
        return day_end_text(local.date() - dt.timedelta(days=1))
    return f"{day_text(local.date())} {local:%H:%M}"
