"""The recordal rules that are pure computation: formats and goods classes (R1, R4), terms
(R6-R8), the bar after a revocation (R9), general bond amounts and dates (R15). No
database access here."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from recordals.models import PatentType, RecordalKind

TERM_YEARS = 10  # R6, R7
# R1: customs protects goods; Nice classes 35-45 are services, so service marks are not
# recordable.
SERVICE_CLASSES = range(35, 46)
RENEWAL_WINDOW_MONTHS = 6  # R7
GENERAL_BOND_MINIMUM = Decimal("200000.00")  # R15
# A recordal's number: its kind's letter, the year of approval, a running number.
NUMBER_PREFIX = {"trademark": "T", "copyright": "C", "patent": "P", "special_symbol": "S"}

REGISTRATION_FORMATS = {
    # CNIPA trademark registration numbers and WIPO international registration numbers.
    RecordalKind.TRADEMARK: (re.compile(r"^[0-9]{5,9}$"), _("5 to 9 digits, e.g. 12345678")),
    # Invention, utility model and design patents: 8 or 12 digits, a dot, a check digit.
    RecordalKind.PATENT: (
        re.compile(r"^(ZL)?([0-9]{8}|[0-9]{12})\.[0-9X]$"),
        _("e.g. ZL202010123456.7"),
    ),
    # Copyright registration numbers vary by authority: letters, digits and dashes.
    RecordalKind.COPYRIGHT: (
        re.compile(r"^[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z\u4e00-\u9fff\-]{2,39}$"),
        _("letters, digits and dashes, e.g. 国作登字-2020-F-00012345"),
    ),
}

PATENT_TYPES_NEEDING_EVALUATION = (PatentType.UTILITY_MODEL, PatentType.DESIGN)


def service_classes(classes) -> list[int]:
    """R1: the Nice classes among `classes` that are services (35-45), not goods."""
    return sorted(c for c in set(classes) if c in SERVICE_CLASSES)


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def term_end(start: dt.date, right_valid_until: dt.date | None) -> dt.date:
    """R6/R7: ten years from `start`, `start` being the first day in force: the day before
    the anniversary (2024-03-15 → 2034-03-14). Where the end month has no matching day,
    the period ends on that month's last day (Civil Code Art 202): 2024-02-29 →
    2034-02-28, not 2034-02-27. Never beyond the right's own validity."""
    try:
        end = start.replace(year=start.year + TERM_YEARS) - dt.timedelta(days=1)
    except ValueError:  # 29 February, and no 29 February in the end year
        end = dt.date(start.year + TERM_YEARS, 2, 28)
    if right_valid_until and right_valid_until < end:
        return right_valid_until
    return end


def renewal_term(
    valid_until: dt.date, right_valid_until: dt.date | None
) -> tuple[dt.date, dt.date]:
    """R7: the new term starts the day after the current one ends and lasts ten years,
    capped by the right (2028-02-28 → 2028-02-29 to 2038-02-28)."""
    start = valid_until + dt.timedelta(days=1)
    return start, term_end(start, right_valid_until)


def recomputed_term_end(valid_from: dt.date, right_valid_until: dt.date | None) -> dt.date:
    """R8 (Measures Art 13): when the right's validity moves, the current term is ten years
    from its start (the approval, or for a renewed recordal the day after the previous
    term, R7), capped by the right's new validity."""
    return term_end(valid_from, right_valid_until)


def revocation_bar_ends(revoked_on: dt.date, bar_days: int) -> dt.date:
    """R9: the last day GACC refuses a new recordal of a right whose recordal it revoked
    on `revoked_on`: the period runs from the day after the revocation (Civil Code Art
    201), `bar_days` days (configurable: IPR_REVOCATION_BAR_DAYS)."""
    return revoked_on + dt.timedelta(days=bar_days)


def renewal_window_opens(valid_until: dt.date) -> dt.date:
    """R7: renewal may be requested within the six months before expiry."""
    return add_months(valid_until, -RENEWAL_WINDOW_MONTHS)


def general_bond_minimum(previous_year_costs: Decimal) -> Decimal:
    """R15: at least max(CNY 200,000, last year's storage, custody and disposal costs)."""
    return max(GENERAL_BOND_MINIMUM, previous_year_costs)


def general_bond_dates(year: int) -> tuple[dt.date, dt.date]:
    """R15: covers requests until 31 December of `year`; guarantee valid to 30 June next."""
    return dt.date(year, 12, 31), dt.date(year + 1, 6, 30)
