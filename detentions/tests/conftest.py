import pytest

from recordals.tests.factories import approved


@pytest.fixture
def officer(parties):
    return parties["users"]["ningbo"]


@pytest.fixture
def holder_user(parties):
    return parties["users"]["holder_a"]


@pytest.fixture
def mark(parties):
    """Holder A's trademark, recorded 2024-03-15 (in force to 2030-06-13)."""
    return approved(parties["users"]["holder_a"], parties["holder_a"], parties["users"]["gacc"])


@pytest.fixture
def copyright_recordal(parties):
    return approved(
        parties["users"]["holder_a"], parties["holder_a"], parties["users"]["gacc"],
        kind="copyright", right_name="LABUBU artwork", registration_number="国作登字-2019-F-00812345",
        nice_classes=[], right_valid_from=None, right_valid_until=None, work_type="Fine art",
    )  # fmt: skip


@pytest.fixture
def patent_recordal(parties):
    return approved(
        parties["users"]["holder_a"], parties["holder_a"], parties["users"]["gacc"],
        kind="patent", right_name="Folding toy frame", registration_number="ZL202010123456.7",
        nice_classes=[], patent_type="invention",
    )  # fmt: skip
