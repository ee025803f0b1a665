"""When things happen in the demo stories, so the demo tells the same story on any day.

A story date is one of:
- an ISO date (`"2024-11-12"`): a fact of the past, the same whatever today is. A step
  dated after today has not happened yet: the story stops before it (a renewal due in
  2033 is requested when 2033 comes);
- an int N: N working days before today, for work in progress (a reply due in two days);
- `FromToday(years=..., days=...)`: calendar time from today, for a term that must end
  soon whatever today is (approved `FromToday(years=-10, days=25)` ends in 24 days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class FromToday:
    years: int = 0
    days: int = 0

    def on(self, today: dt.date) -> dt.date:
        year = today.year + self.years
        try:
            shifted = today.replace(year=year)
        except ValueError:  # 29 February in a common year
            shifted = today.replace(year=year, day=28)
        return shifted + dt.timedelta(days=self.days)


def story_date(when: str | int | FromToday | dt.date, *, today: dt.date, calendar) -> dt.date:
    """The date of a story step; `calendar` counts working days (deadlines.calendar)."""
    if isinstance(when, dt.date):
        return when
    if isinstance(when, str):
        return dt.date.fromisoformat(when)
    if isinstance(when, FromToday):
        return when.on(today)
    return calendar.working_days_before(today, when) if when else today
