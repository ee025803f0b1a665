"""The recordal rules that are pure computation: formats (R1, R4), terms (R6, R7),
general bond amounts and dates (R15). No database access here."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from recordals.models import PatentType, RecordalKind

TERM_YEARS = 10  # R6, R7
RENEWAL_WINDOW_MONTHS = 6  # R7
GENERAL_BOND_MINIMUM = Decimal("200000.00")  # R15

REGISTRATION_FORMATS = {
    # CNIPA trademark registration numbers and WIPO international registration numbers.
    RecordalKind.TRADEMARK: (re.compile(r"^[0-9]{5,9}$"), "5 to 9 digits, e.g. 12345678"),
    # Invention, utility model and design patents: 8 or 12 digits, a dot, a check digit.
    RecordalKind.PATENT: (
        re.compile(r"^(ZL)?([0-9]{8}|[0-9]{12})\.[0-9X]$"),
        "e.g. ZL202010123456.7",
    ),
    # Copyright registration numbers vary by authority: letters, digits and dashes.
    RecordalKind.COPYRIGHT: (
        re.compile(r"^[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z\u4e00-\u9fff\-]{2,39}$"),
        "letters, digits and dashes, e.g. 国作登字-2020-F-00012345",
    ),
}

PATENT_TYPES_NEEDING_EVALUATION = (PatentType.UTILITY_MODEL, PatentType.DESIGN)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


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
    """R6/R7: ten years from `start` (the day before the anniversary), never beyond the
    right's own validity. 2024-03-15 → 2034-03-14."""
    end = add_years(start, TERM_YEARS) - dt.timedelta(days=1)
    if right_valid_until and right_valid_until < end:
        return right_valid_until
    return end


def renewal_window_opens(valid_until: dt.date) -> dt.date:
    """R7: renewal may be requested within the six months before expiry."""
    return add_months(valid_until, -RENEWAL_WINDOW_MONTHS)


def general_bond_minimum(previous_year_costs: Decimal) -> Decimal:
    """R15: at least max(CNY 200,000, last year's storage, custody and disposal costs)."""
    return max(GENERAL_BOND_MINIMUM, previous_year_costs)


def general_bond_dates(year: int) -> tuple[dt.date, dt.date]:
    """R15: covers requests until 31 December of `year`; guarantee valid to 30 June next."""
    return dt.date(year, 12, 31), dt.date(year + 1, 6, 30)
