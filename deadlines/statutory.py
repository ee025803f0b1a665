"""The statutory public holidays, known before a year's State Council notice (R29).

全国年节及纪念日放假办法 (as revised in 2024, in force 2025) fixes the days themselves:
New Year's Day (1 Jan), Spring Festival (New Year's Eve and the first three days of the
lunar year), Qingming (the day of the solar term), Labour Day (1-2 May), Dragon Boat (5th
of the 5th lunar month), Mid-Autumn (15th of the 8th lunar month), National Day (1-3 Oct).
The notice of each year only arranges them (bridging days, make-up working days), so a
year not yet announced counts these days as non-working and stays provisional.

Lunar dates and the Qingming solar term come from `lunar_python` (6tail's lunar
calendar); tests check it against known years and against chinesecalendar's announced
ones. Names are those chinesecalendar gives the seeded CalendarDay rows, so a trail reads
the same for announced and unannounced years.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from types import MappingProxyType

from django.utils.translation import gettext_noop

# Kept in English in the rows and trails; translated where shown (CalendarDay.name_text).
NEW_YEARS_DAY = gettext_noop("New Year's Day")
SPRING_FESTIVAL = gettext_noop("Spring Festival")
QINGMING = gettext_noop("Tomb-sweeping Day")
LABOUR_DAY = gettext_noop("Labour Day")
DRAGON_BOAT = gettext_noop("Dragon Boat Festival")
MID_AUTUMN = gettext_noop("Mid-autumn Festival")
NATIONAL_DAY = gettext_noop("National Day")
# Announced once, for 2015, and seeded from chinesecalendar.
ANTI_FASCIST_70TH = gettext_noop("Anti-Fascist 70th Day")

ONE_DAY = dt.timedelta(days=1)


def _solar(lunar_year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of a day of the lunar year (never of a leap month)."""
    from lunar_python import Lunar  # imported when first needed: it takes 0.2 s

    solar = Lunar.fromYmd(lunar_year, month, day).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> dt.date:
    from lunar_python import Lunar

    # The third lunar month always holds early April, so its year's table has Qingming.
    solar = Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> MappingProxyType[dt.date, str]:
    """Every statutory holiday of the Gregorian `year`, date -> name (R29). Two holidays on
    one day (Mid-Autumn on 1-3 October) are one day off, named after both."""
    new_year = _solar(year, 1, 1)  # the lunar new year always falls in Jan-Feb of `year`
    days = [
        (dt.date(year, 1, 1), NEW_YEARS_DAY),
        *((new_year + offset * ONE_DAY, SPRING_FESTIVAL) for offset in (-1, 0, 1, 2)),
        (_qingming(year), QINGMING),
        (dt.date(year, 5, 1), LABOUR_DAY),
        (dt.date(year, 5, 2), LABOUR_DAY),
        (_solar(year, 5, 5), DRAGON_BOAT),
        (_solar(year, 8, 15), MID_AUTUMN),
        *((dt.date(year, 10, day), NATIONAL_DAY) for day in (1, 2, 3)),
    ]
    names: dict[dt.date, list[str]] = {}
    for day, name in sorted(days):
        names.setdefault(day, []).append(name)
    return MappingProxyType({day: ", ".join(sorted(n)) for day, n in names.items()})
