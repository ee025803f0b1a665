"""The plausible range of a legal date, shared by every input and the calendar.

No recordal, detention, deadline or report of this service is dated before 1950 or after
2100. A date outside is a typing error or a probe: it gets a 400 with a field error, never
a far computation (OverflowError past 9999, local mean time offsets before 1901).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

EARLIEST = dt.date(1950, 1, 1)
LATEST = dt.date(2100, 12, 31)


def plausible_date(value, earliest: dt.date = EARLIEST, latest: dt.date = LATEST) -> None:
    """Validator: raise ValidationError when `value` lies outside [earliest, latest]."""
    if value is None:
        return
    if not earliest <= value <= latest:
        raise ValidationError(
            gettext("Must be between %(earliest)s and %(latest)s.")
            % {"earliest": earliest.isoformat(), "latest": latest.isoformat()},
            code="date_out_of_range",
        )
