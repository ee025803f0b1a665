"""The pure recordal computations (recordals/rules.py) as tables: terms (R6-R8), goods
classes (R1), the bar after a revocation (R9)."""

import pytest

from recordals import rules
from recordals.tests.factories import D


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2024-03-15", "2034-03-14"),  # DOMAIN's example: the day before the anniversary
        ("2024-02-29", "2034-02-28"),  # no 29 February in 2034: that month's last day
        ("2028-02-29", "2038-02-28"),
        ("2024-03-01", "2034-02-28"),
        ("2022-03-01", "2032-02-29"),  # the day before the anniversary is 29 February
        ("2024-01-01", "2033-12-31"),
        ("2023-12-31", "2033-12-30"),
    ],
)
def test_r6_term_is_ten_years_ending_the_day_before_the_anniversary(start, end):
    """Civil Code Art 202: where the end month has no matching day, the period ends on that
    month's last day (2024-02-29 → 2034-02-28, not 2034-02-27)."""
    assert rules.term_end(D(start), None) == D(end)


@pytest.mark.parametrize(
    ("start", "right_valid_until", "end"),
    [
        ("2024-03-15", "2030-05-01", "2030-05-01"),  # capped by the right
        ("2024-03-15", "2040-05-01", "2034-03-14"),
        ("2024-02-29", "2034-02-28", "2034-02-28"),
        ("2024-02-29", "2034-03-01", "2034-02-28"),
    ],
)
def test_r6_term_never_beyond_the_rights_own_validity(start, right_valid_until, end):
    assert rules.term_end(D(start), D(right_valid_until)) == D(end)


@pytest.mark.parametrize(
    ("valid_until", "right_valid_until", "new_term"),
    [
        ("2028-02-28", None, ("2028-02-29", "2038-02-28")),  # starts on 29 February
        ("2034-03-14", None, ("2034-03-15", "2044-03-14")),
        ("2034-02-28", None, ("2034-03-01", "2044-02-29")),
        ("2026-11-30", "2036-05-06", ("2026-12-01", "2036-05-06")),  # capped by the right
    ],
)
def test_r7_renewed_term_starts_the_day_after_expiry_and_lasts_ten_years(
    valid_until, right_valid_until, new_term
):
    right = D(right_valid_until) if right_valid_until else None
    assert rules.renewal_term(D(valid_until), right) == tuple(map(D, new_term))


@pytest.mark.parametrize(
    ("valid_from", "new_right_valid_until", "end"),
    [
        ("2024-03-15", "2040-05-01", "2034-03-14"),  # the right renewed: ten years from approval
        ("2024-03-15", "2030-05-01", "2030-05-01"),  # still capped
        ("2026-12-01", "2046-05-06", "2036-11-30"),  # a renewed term counts from its start
        ("2024-02-29", "2044-02-29", "2034-02-28"),
    ],
)
def test_r8_term_recomputed_from_its_start_capped_by_the_new_validity(
    valid_from, new_right_valid_until, end
):
    assert rules.recomputed_term_end(D(valid_from), D(new_right_valid_until)) == D(end)


@pytest.mark.parametrize(
    ("classes", "service"),
    [
        ([28], []),
        ([1, 34], []),
        ([35], [35]),
        ([45, 9, 35, 41], [35, 41, 45]),
        ([34, 35], [35]),
    ],
)
def test_r1_service_classes_are_35_to_45(classes, service):
    assert rules.service_classes(classes) == service


@pytest.mark.parametrize(
    ("revoked_on", "days", "last_barred_day"),
    [
        ("2025-03-03", 365, "2026-03-03"),  # from the day after the revocation (Art 201)
        ("2024-03-01", 365, "2025-03-01"),
        ("2025-03-03", 30, "2025-04-02"),
    ],
)
def test_r9_bar_after_revocation_runs_from_the_day_after(revoked_on, days, last_barred_day):
    assert rules.revocation_bar_ends(D(revoked_on), days) == D(last_barred_day)
