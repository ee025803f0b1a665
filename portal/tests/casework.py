"""Fixtures of the portal's casework tests (desk, cases, notifications, statistics):
holder A's recorded trademark and a case served on it by Ningbo Customs."""

import pytest

from detentions.tests.factories import ex_officio
from recordals.tests.factories import approved


@pytest.fixture
def users(parties):
    return parties["users"]


@pytest.fixture
def mark(parties):
    """Holder A's trademark, recorded 2024-03-15 (in force to 2030-06-13)."""
    return approved(parties["users"]["holder_a"], parties["holder_a"], parties["users"]["gacc"])


@pytest.fixture
def case(parties, mark):
    """Served on Friday 2025-09-26: the reply is due Tuesday 2025-09-30 24:00 (R13)."""
    return ex_officio(parties["users"]["ningbo"], mark)


def signed_in(client, user):
    client.force_login(user)
    return client
