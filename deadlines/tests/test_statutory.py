"""The statutory holidays known before a year's notice (R29), checked against known years
and against the notices chinesecalendar carries."""

import datetime as dt

import pytest
from chinese_calendar import constants, get_solar_terms

from deadlines.statutory import statutory_holidays

D = dt.date.fromisoformat


def test_r29_statutory_holidays_of_2027():
    assert {day.isoformat(): name for day, name in statutory_holidays(2027).items()} == {
        "2027-01-01": "New Year's Day",
        "2027-02-05": "Spring Festival",  # lunar New Year's Eve
        "2027-02-06": "Spring Festival",  # first day of the lunar year
        "2027-02-07": "Spring Festival",
        "2027-02-08": "Spring Festival",
        "2027-04-05": "Tomb-sweeping Day",  # the Qingming solar term
        "2027-05-01": "Labour Day",
        "2027-05-02": "Labour Day",
        "2027-06-09": "Dragon Boat Festival",  # 5th of the 5th lunar month
        "2027-09-15": "Mid-autumn Festival",  # 15th of the 8th lunar month
        "2027-10-01": "National Day",
        "2027-10-02": "National Day",
        "2027-10-03": "National Day",
    }


@pytest.mark.parametrize(
    ("year", "spring_festival", "qingming", "dragon_boat", "mid_autumn"),
    [
        (2024, "2024-02-10", "2024-04-04", "2024-06-10", "2024-09-17"),
        (2025, "2025-01-29", "2025-04-04", "2025-05-31", "2025-10-06"),
        (2026, "2026-02-17", "2026-04-05", "2026-06-19", "2026-09-25"),
        (2027, "2027-02-06", "2027-04-05", "2027-06-09", "2027-09-15"),
        (2028, "2028-01-26", "2028-04-04", "2028-05-28", "2028-10-03"),
    ],
)
def test_r29_lunar_festivals_fall_on_their_known_dates(
    year, spring_festival, qingming, dragon_boat, mid_autumn
):
    days = statutory_holidays(year)
    assert days[D(spring_festival) - dt.timedelta(days=1)] == "Spring Festival"  # the eve
    assert days[D(spring_festival)] == "Spring Festival"
    assert days[D(qingming)] == "Tomb-sweeping Day"
    assert days[D(dragon_boat)] == "Dragon Boat Festival"
    assert "Mid-autumn Festival" in days[D(mid_autumn)]  # 2028: also National Day


@pytest.mark.parametrize("year", [2025, 2026])
def test_r29_every_statutory_day_is_off_in_the_notices_under_the_2024_rules(year):
    """The rules as revised in 2024 apply from 2025: each statutory day of 2025 and 2026
    is a holiday in that year's State Council notice."""
    assert [day for day in statutory_holidays(year) if day not in constants.holidays] == []


def test_r29_qingming_agrees_with_chinesecalendars_solar_terms():
    for year in range(1990, 2100):
        ours = [
            day for day, name in statutory_holidays(year).items() if name == "Tomb-sweeping Day"
        ]
        april = get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 30))
        assert ours == [day for day, term in april if term == "清明"], year


def test_r29_two_holidays_on_one_day_are_one_day_off():
    assert statutory_holidays(2028)[D("2028-10-03")] == "Mid-autumn Festival, National Day"
    assert len(statutory_holidays(2028)) == 12
