"""The calendar pages open where officers work: the exceptions of the current year, the
announced years newest first."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from accounts.tests.factories import PASSWORD
from core.timezone import LEGAL_TZ
from deadlines.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
DAYS = "/admin/deadlines/calendarday/"


def login(parties, role="ningbo"):
    client = Client()
    client.login(username=parties["users"][role].username, password=PASSWORD)
    return client


def on(day):
    return time_machine.travel(dt.datetime.combine(D(day), dt.time(9), tzinfo=LEGAL_TZ), tick=False)


def test_the_calendar_exceptions_open_at_the_current_year(parties):
    assert CalendarDay.objects.filter(date__year=2024).exists()  # seeded years
    client = login(parties)
    with on("2025-03-03"):
        page = client.get(DAYS)
    content = page.content.decode()
    assert page.status_code == 200
    assert "2025-01-01" in content or "Jan. 1, 2025" in content
    assert "Jan. 1, 2024" not in content
    # National Day 2025 is listed in date order after the Spring Festival.
    assert content.index("Jan. 28, 2025") < content.index("Oct. 1, 2025")
    with on("2025-03-03"):
        every = client.get(DAYS, {"year": "all"}).content.decode()
        other = client.get(DAYS, {"year": "2024"}).content.decode()
    shown = re.search(r"(\d+) calendar exceptions", every)
    assert shown and int(shown.group(1)) == CalendarDay.objects.count()
    assert "Jan. 1, 2024" in other and "Jan. 1, 2025" not in other


def test_the_announced_years_are_listed_newest_first(parties):
    years = list(CalendarYear.objects.values_list("year", flat=True))
    assert len(years) > 2
    content = login(parties).get("/admin/deadlines/calendaryear/").content.decode()
    shown = [year for year in sorted(years, reverse=True) if f">{year}<" in content]
    positions = [content.index(f">{year}<") for year in shown]
    assert positions == sorted(positions)
    assert shown[0] == max(years)
