"""Golden working-day computations across the 2024, 2025 and 2026 holiday seasons (R13, R29).

Each expected date was worked out by hand from the State Council notices; the comment
shows the count. "Service" is the day the notice is served: counting starts the day after.
"""

import datetime as dt

import pytest

from deadlines.calendar import WorkingCalendar
from deadlines.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat

GOLDEN = [
    # 2024 Spring Festival: Feb 10-17 off; Feb 4 and Feb 18 (Sundays) worked; Feb 9 worked.
    ("2024-02-08", 3, "2024-02-19"),  # Fri 9 (1), Sun 18 make-up (2), Mon 19 (3)
    ("2024-02-03", 1, "2024-02-04"),  # Sun 4 make-up working day
    # 2024 Labour Day: May 1-5 off.
    ("2024-04-30", 1, "2024-05-06"),
    # 2024 National Day: Oct 1-7 off; Sep 29 (Sun) and Oct 12 (Sat) worked.
    ("2024-09-27", 3, "2024-10-08"),  # Sun 29 (1), Mon 30 (2), Tue Oct 8 (3)
    ("2024-10-10", 2, "2024-10-12"),  # Fri 11 (1), Sat 12 make-up (2)
    # 2025 Spring Festival: Jan 28-Feb 4 off; Jan 26 (Sun) and Feb 8 (Sat) worked.
    ("2025-01-24", 3, "2025-02-05"),  # Sun 26 (1), Mon 27 (2), Wed Feb 5 (3)
    ("2025-02-06", 2, "2025-02-08"),  # Fri 7 (1), Sat 8 make-up (2)
    # 2025 National Day + Mid-Autumn: Oct 1-8 off; Sep 28 (Sun) and Oct 11 (Sat) worked.
    ("2025-09-26", 3, "2025-09-30"),  # Sun 28 (1), Mon 29 (2), Tue 30 (3)
    ("2025-09-30", 3, "2025-10-11"),  # Thu 9 (1), Fri 10 (2), Sat 11 make-up (3)
    ("2025-09-20", 20, "2025-10-23"),  # R19: 20 working days across the Golden Week
    # 2026 Spring Festival: Feb 15-23 off; Feb 14 and Feb 28 (Saturdays) worked.
    ("2026-02-12", 3, "2026-02-24"),  # Fri 13 (1), Sat 14 make-up (2), Tue 24 (3)
    ("2026-02-26", 2, "2026-02-28"),  # Fri 27 (1), Sat 28 make-up (2)
    # 2026 National Day: Oct 1-7 off; Sep 20 (Sun) and Oct 10 (Sat) worked.
    ("2026-09-30", 3, "2026-10-10"),  # Thu 8 (1), Fri 9 (2), Sat 10 make-up (3)
    ("2026-09-18", 1, "2026-09-20"),  # Sat 19 weekend, Sun 20 make-up (1)
    # Plain weeks: from Friday, 3 working days end on Wednesday.
    ("2026-11-20", 3, "2026-11-25"),
    # Zero days: the start itself.
    ("2026-11-21", 0, "2026-11-21"),
]


@pytest.mark.parametrize(("start", "days", "expected"), GOLDEN)
def test_r13_r29_golden_working_days(start, days, expected):
    result = WorkingCalendar.load().add_working_days(D(start), days)
    assert result.date == D(expected)
    assert result.provisional is False


def test_r13_period_ends_at_midnight_shanghai():
    result = WorkingCalendar.load().add_working_days(D("2025-09-26"), 3)
    assert result.due_at.isoformat() == "2025-10-01T00:00:00+08:00"


def test_r13_counting_starts_the_day_after_service_even_on_a_holiday():
    # Served on a holiday (Oct 3, 2025): the day after is still a holiday; count from Oct 9.
    result = WorkingCalendar.load().add_working_days(D("2025-10-03"), 1)
    assert result.date == D("2025-10-09")


def test_r29_trail_names_the_exceptions_crossed():
    trail = WorkingCalendar.load().add_working_days(D("2025-09-26"), 5).trail()
    assert ["2025-09-28", "National Day"] in trail["makeup_workdays_counted"]
    skipped = [day for day, _ in trail["holidays_skipped"]]
    assert skipped == [f"2025-10-0{n}" for n in range(1, 9)]
    assert trail["weekend_days_skipped"] == 1  # Sat Sep 27


def test_r29_unannounced_year_counts_statutory_holidays_provisionally(unannounced_2027):
    # 2027's notice is not entered: New Year's Day (Fri Jan 1) is a statutory holiday all
    # the same, so 3 working days from Tue Dec 29 are Wed 30, Thu 31, Mon Jan 4 — never
    # Jan 1 — and the date stays provisional until the year is entered or confirmed.
    result = WorkingCalendar.load().add_working_days(D("2026-12-29"), 3)
    assert result.date == D("2027-01-04")
    assert result.provisional is True
    assert result.unannounced_years == (2027,)
    trail = result.trail()
    assert trail["holidays_skipped"] == [["2027-01-01", "New Year's Day"]]
    assert trail["statutory_holidays_skipped"] == [["2027-01-01", "New Year's Day"]]
    assert trail["weekend_days_skipped"] == 2


def test_r29_spring_festival_2027_is_off_before_the_notice(unannounced_2027):
    # Lunar New Year 2027 is Sat Feb 6: Fri Feb 5 (eve) to Mon Feb 8 are statutory.
    result = WorkingCalendar.load().add_working_days(D("2027-02-03"), 3)
    assert result.date == D("2027-02-10")  # Thu 4 (1), Tue 9 (2), Wed 10 (3)
    assert result.trail()["statutory_holidays_skipped"] == [
        ["2027-02-05", "Spring Festival"],
        ["2027-02-06", "Spring Festival"],
        ["2027-02-07", "Spring Festival"],
        ["2027-02-08", "Spring Festival"],
    ]
    assert result.provisional is True


def test_r29_reminders_count_back_over_statutory_holidays(unannounced_2027):
    calendar = WorkingCalendar.load()
    # The working day before Tue Feb 9, 2027 is Thu Feb 4 (Feb 5-8 are off).
    assert calendar.working_days_before(D("2027-02-09"), 1) == D("2027-02-04")
    assert calendar.working_days_between(D("2027-02-03"), D("2027-02-09")) == 2
    assert calendar.is_working_day(D("2027-10-01")) is False
    assert calendar.is_working_day(D("2027-09-15")) is False  # Mid-Autumn, a Wednesday


def test_r29_an_announced_year_follows_its_entered_rows_only():
    # An officer corrected 2026: Oct 1 a working day. The statutory rule does not
    # override what the entered notice says.
    CalendarDay.objects.filter(date=D("2026-10-01")).update(kind="workday", name="corrected")
    calendar = WorkingCalendar.load()
    assert calendar.statutory_holiday(D("2026-10-01")) is None
    assert calendar.is_working_day(D("2026-10-01")) is True
    result = calendar.add_working_days(D("2026-09-30"), 1)
    assert (result.date, result.provisional) == (D("2026-10-01"), False)
    assert result.trail()["statutory_holidays_skipped"] == []


def test_r29_a_period_inside_an_announced_year_is_not_provisional():
    assert WorkingCalendar.load().add_working_days(D("2026-12-21"), 3).provisional is False


def test_r29_seed_covers_2004_to_2026_and_reseeding_keeps_manual_edits():
    from deadlines.services import calendar_seed

    years = set(CalendarYear.objects.values_list("year", flat=True))
    assert {2004, 2024, 2025, 2026} <= years
    day = CalendarDay.objects.get(date=D("2026-10-10"))
    day.kind, day.name, day.source = CalendarDay.Kind.HOLIDAY, "Officer's correction", "manual"
    day.save()
    before = CalendarDay.objects.count()
    result = calendar_seed()
    assert result["days_created"] == 0
    assert CalendarDay.objects.count() == before
    day.refresh_from_db()
    assert (day.kind, day.name) == ("holiday", "Officer's correction")
