"""Pure rules: bond tiers (R14, R18), penalty bands (R24), disposal order (R23),
storage after confiscation (R27)."""

import datetime as dt
from decimal import Decimal

import pytest

from detentions import rules

D = Decimal


@pytest.mark.parametrize(
    ("value", "bond"),
    [
        ("0.01", "0.01"),
        ("19999.99", "19999.99"),  # below 20,000: the value itself
        ("20000", "20000.00"),  # 50% would be 10,000: the floor of 20,000 applies
        ("39999.99", "20000.00"),
        ("40000.01", "20000.01"),  # 20,000.005 rounded half up
        ("40000.03", "20000.02"),  # 20,000.015 rounded half up
        ("100000", "50000.00"),
        ("200000", "100000.00"),  # upper bound still in the middle tier
        ("200000.01", "100000.00"),
        ("370000", "100000.00"),  # the LABUBU case
        ("81600000", "100000.00"),
    ],
)
def test_r14_bond_tiers(value, bond):
    assert rules.bond_amount("ex_officio", D(value)) == D(bond)


@pytest.mark.parametrize("value", ["0.01", "19999.99", "370000.00", "81600000.00"])
def test_r18_bond_equals_the_value(value):
    assert rules.bond_amount("on_application", D(value)) == D(value)


def test_r14_bond_refuses_negative_values_and_unknown_modes():
    with pytest.raises(ValueError):
        rules.bond_amount("ex_officio", D("-1"))
    with pytest.raises(ValueError):
        rules.bond_amount("by_telepathy", D("1"))


@pytest.mark.parametrize(
    ("tier", "fine", "fits"),
    [
        ("none", "0", True),
        ("none", "0.01", False),
        ("mitigated", "0", True),
        ("mitigated", "100", False),
        ("lighter", "0", False),
        ("lighter", "0.01", True),
        ("lighter", "36999.99", True),
        ("lighter", "37000", False),  # 10% belongs to the general tier
        ("general", "37000", True),
        ("general", "73999.99", True),
        ("general", "74000", False),
        ("heavier", "74000", True),
        ("heavier", "111000", True),  # 30%: the ceiling, included
        ("heavier", "111000.01", False),  # never above 30% of the value
    ],
)
def test_r24_fine_bands_on_370000(tier, fine, fits):
    assert rules.fine_fits_tier(tier, D(fine), D("370000")) is fits


def test_r24_bands_compare_exact_values_before_rounding():
    # 10% of 1,000.05 is 100.005: 100.00 is still "lighter", 100.01 "general".
    assert rules.fine_fits_tier("lighter", D("100.00"), D("1000.05"))
    assert not rules.fine_fits_tier("general", D("100.00"), D("1000.05"))
    assert rules.fine_fits_tier("general", D("100.01"), D("1000.05"))


def test_r23_only_the_first_preference_needs_no_reason():
    assert [rules.disposal_needs_reason(m) for m in rules.DISPOSAL_PREFERENCE] == [
        False, True, True, True,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("served", "limit"),
    [("2025-01-15", "2025-04-15"), ("2025-11-30", "2026-02-28"), ("2023-11-30", "2024-02-29")],
)
def test_r27_storage_after_confiscation_capped_at_three_months(served, limit):
    served_on, expected = dt.date.fromisoformat(served), dt.date.fromisoformat(limit)
    assert rules.storage_limit(served_on) == expected
