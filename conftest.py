"""Project-wide fixtures: the parties every permission test needs."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import (
    AuthorisationFactory,
    IPAgencyFactory,
    RightsHolderFactory,
    UserFactory,
    customs_office,
)


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
