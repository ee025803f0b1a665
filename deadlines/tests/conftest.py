import datetime as dt

import pytest

from accounts.models import Contact
from accounts.parties import Parties


@pytest.fixture
def subject(parties):
    """A deadline subject handled by Ningbo for holder A. Any model with
    `deadline_parties()` can carry deadlines; here the parties are given explicitly."""
    holder = parties["holder_a"]
    Contact.objects.create(organisation=holder, role="legal", name="Li", email="legal@a.example")
    Contact.objects.create(
        organisation=holder, role="legal", is_backup=True, name="Wang", email="backup@a.example"
    )
    return parties["auth_a"]


@pytest.fixture
def ningbo_parties(parties):
    return Parties(holder_id=parties["holder_a"].pk, office_id=parties["ningbo"].pk, label="Case 1")


@pytest.fixture
def at():
    """An aware instant in Asia/Shanghai."""
    from core.timezone import LEGAL_TZ

    def make(text: str) -> dt.datetime:
        return dt.datetime.fromisoformat(text).replace(tzinfo=LEGAL_TZ)

    return make


@pytest.fixture
def unannounced_2027(db):
    """2027 as before its State Council notice (R29): whatever the installed
    chinesecalendar knows of it is removed, so its dates are provisional."""
    from deadlines.models import CalendarDay, CalendarYear

    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()
