"""Project-wide fixtures: the parties every permission test needs, and the clock.

`pytest --clock-days=N` runs the whole suite with the clock moved N days ahead
(time-machine, ticking), so nothing may assume what today is: `make test` runs it a
second time 400 days ahead."""

import datetime as dt
import os

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import (
    AuthorisationFactory,
    IPAgencyFactory,
    RightsHolderFactory,
    UserFactory,
    customs_office,
)
from core.testing import CLOCK_DAYS, moved_clock


def pytest_addoption(parser):
    parser.addoption(
        "--clock-days",
        type=int,
        default=0,
        help="Run the suite with the clock moved this many days ahead (time-machine).",
    )


def pytest_configure(config):
    days = config.getoption("--clock-days")
    if days:
        config._moved_clock = moved_clock(days)
        config._moved_clock.start()
        os.environ[CLOCK_DAYS] = str(days)  # Celery workers the tests start move with it


def pytest_report_header(config):
    days = config.getoption("--clock-days")
    if days:
        return f"clock moved {days} days ahead: today is {dt.date.today()}"
    return None


def pytest_unconfigure(config):
    moved = getattr(config, "_moved_clock", None)
    if moved is not None:
        moved.stop()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def parties(db):
    """Two holders, an agency authorised for holder A only (another one whose power of
    attorney has ended), GACC, Ningbo and Shenzhen officers, and one user of each."""
    holder_a = RightsHolderFactory(name_en="Holder A")
    holder_b = RightsHolderFactory(name_en="Holder B", country="DE")
    agency_a = IPAgencyFactory(name_en="Agency A")
    agency_old = IPAgencyFactory(name_en="Agency Expired")
    auth_a = AuthorisationFactory(agency=agency_a, holder=holder_a)
    auth_old = AuthorisationFactory(
        agency=agency_old,
        holder=holder_a,
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2021, 1, 1),
    )
    gacc, ningbo, shenzhen = (customs_office(code) for code in ("0000", "3100", "5300"))
    users = {
        "gacc": UserFactory(organisation=gacc, is_staff=True),
        "ningbo": UserFactory(organisation=ningbo, is_staff=True),
        "shenzhen": UserFactory(organisation=shenzhen, is_staff=True),
        "holder_a": UserFactory(organisation=holder_a),
        "holder_b": UserFactory(organisation=holder_b),
        "agent_a": UserFactory(organisation=agency_a),
        "agent_expired": UserFactory(organisation=agency_old),
    }
    return {
        "holder_a": holder_a,
        "holder_b": holder_b,
        "agency_a": agency_a,
        "agency_old": agency_old,
        "auth_a": auth_a,
        "auth_old": auth_old,
        "gacc": gacc,
        "ningbo": ningbo,
        "shenzhen": shenzhen,
        "users": users,
    }
