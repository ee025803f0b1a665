"""Working days (R29) and how periods are counted (R13).

A day is a working day when it is Monday to Friday and not a public holiday, or when it
is a make-up working day on a weekend (调休). Exceptions and announced years live in the
database (CalendarDay, CalendarYear), seeded from `chinesecalendar` and edited by officers.

Counting (Measures Arts 40-41): a period of N working days starts the day after service
(or the triggering event) and ends at 24:00 Asia/Shanghai of its N-th working day.

A year whose State Council notice has not been entered is never guessed: its weekends and
its statutory holidays (deadlines/statutory.py) are not working days, and the result is
flagged `provisional` until an officer confirms it or the year is entered (R29). An
announced year follows its entered CalendarDay rows only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from core.dates import plausible_date
from core.errors import InvalidInput
from core.timezone import end_of_day
from deadlines.statutory import statutory_holidays

ONE_DAY = dt.timedelta(days=1)
# A sanity bound for a single computation: about four years of working days.
MAX_WORKING_DAYS = 1000


@dataclass(frozen=True)
class Computation:
    """The result of a date computation, with the trail that explains it."""

    start: dt.date
    days: int
    date: dt.date
    provisional: bool
    unannounced_years: tuple[int, ...] = ()
    holidays_skipped: tuple[tuple[str, str], ...] = ()
    workdays_counted: tuple[tuple[str, str], ...] = ()
    weekend_days_skipped: int = 0
    # The part of holidays_skipped that is statutory, in years not yet announced (R29).
    statutory_skipped: tuple[tuple[str, str], ...] = ()

    @property
    def due_at(self) -> dt.datetime:
        return end_of_day(self.date)

    def trail(self) -> dict:
        return {
            # Kept in English in the trail, translated where shown (deadlines/admin.py).
            "rule": gettext_noop(
                "R13: counted from the day after the start; ends 24:00 Asia/Shanghai"
            ),
            "start": self.start.isoformat(),
            "working_days": self.days,
            "result": self.date.isoformat(),
            "provisional": self.provisional,
            "unannounced_years": list(self.unannounced_years),
            "holidays_skipped": [list(item) for item in self.holidays_skipped],
            "makeup_workdays_counted": [list(item) for item in self.workdays_counted],
            "weekend_days_skipped": self.weekend_days_skipped,
            "statutory_holidays_skipped": [list(item) for item in self.statutory_skipped],
        }


@dataclass
class WorkingCalendar:
    """An in-memory view of one jurisdiction's exceptions and announced years."""

    holidays: dict[dt.date, str] = field(default_factory=dict)
    workdays: dict[dt.date, str] = field(default_factory=dict)
    announced_years: frozenset[int] = frozenset()

    @classmethod
    def load(
        cls, jurisdiction: str = "CN", *, between: tuple[dt.date, dt.date] | None = None
    ) -> WorkingCalendar:
        """The calendar from the database; `between` loads only the exceptions of those
        days (inclusive), for a count known to stay within them."""
        from deadlines.models import CalendarDay, CalendarYear

        holidays, workdays = {}, {}
        rows = CalendarDay.objects.filter(jurisdiction=jurisdiction)
        if between is not None:
            rows = rows.filter(date__range=between)
        rows = rows.values_list("date", "kind", "name")
        for date, kind, name in rows:
            (holidays if kind == CalendarDay.Kind.HOLIDAY else workdays)[date] = name
        years = CalendarYear.objects.filter(jurisdiction=jurisdiction).values_list(
            "year", flat=True
        )
        return cls(holidays=holidays, workdays=workdays, announced_years=frozenset(years))

    def is_announced(self, year: int) -> bool:
        return year in self.announced_years

    def statutory_holiday(self, day: dt.date) -> str | None:
        """The statutory holiday on `day` in a year not yet announced (R29), else None: an
        announced year's own rows say which days are off."""
        if self.is_announced(day.year):
            return None
        return statutory_holidays(day.year).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays or self.statutory_holiday(day) is not None:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> Computation:
        """The date `days` working days after `start`, counted from the day after (R13)."""
        if days < 0 or days > MAX_WORKING_DAYS:
            raise ValueError(f"days must be between 0 and {MAX_WORKING_DAYS}")
        try:
            plausible_date(start)  # no far counting (OverflowError past 9999): a 400
        except ValidationError as exc:
            raise InvalidInput({"start": exc.messages}) from None
        day, counted = start, 0
        holidays, workdays, statutory, weekend = [], [], [], 0
        years = set()
        while counted < days:
            day += ONE_DAY
            years.add(day.year)
            if day in self.workdays:
                workdays.append((day.isoformat(), self.workdays[day]))
                counted += 1
            elif day in self.holidays:
                holidays.append((day.isoformat(), self.holidays[day]))
            elif (name := self.statutory_holiday(day)) is not None:
                holidays.append((day.isoformat(), name))
                statutory.append((day.isoformat(), name))
            elif day.weekday() >= 5:
                weekend += 1
            else:
                counted += 1
        unannounced = tuple(sorted(y for y in years if not self.is_announced(y)))
        return Computation(
            start=start,
            days=days,
            date=day,
            provisional=bool(unannounced),
            unannounced_years=unannounced,
            holidays_skipped=tuple(holidays),
            workdays_counted=tuple(workdays),
            weekend_days_skipped=weekend,
            statutory_skipped=tuple(statutory),
        )

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how much of a period has run by `end`."""
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count

    def working_days_before(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day before `day` (for reminders: "1 working day before")."""
        counted = 0
        while counted < n:
            day -= ONE_DAY
            if self.is_working_day(day):
                counted += 1
        return day


def add_working_days(start: dt.date, days: int, jurisdiction: str = "CN") -> Computation:
    return WorkingCalendar.load(jurisdiction).add_working_days(start, days)
