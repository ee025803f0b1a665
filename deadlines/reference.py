"""Public holidays and make-up working days from the `chinesecalendar` package (R29).

Used by a data migration and by `manage.py seed_calendar`. Rows an officer entered by hand
(source "manual") are never overwritten; a year becomes "announced" when loaded.
"""

from __future__ import annotations


def load_chinesecalendar(day_model, year_model, jurisdiction: str = "CN") -> dict:
    import chinese_calendar
    from chinese_calendar import constants

    existing = {row.date: row for row in day_model.objects.filter(jurisdiction=jurisdiction)}
    rows, years, changed = [], set(), set()
    for kind, table in (("holiday", constants.holidays), ("workday", constants.workdays)):
        for date, holiday in table.items():
            years.add(date.year)
            name = str(getattr(holiday, "value", holiday))
            if isinstance(getattr(holiday, "value", None), tuple):
                name = holiday.value[0]
            row = existing.get(date)
            if row is None:
                changed.add(date.year)
                rows.append(
                    day_model(
                        jurisdiction=jurisdiction, date=date, kind=kind, name=name, source="seed"
                    )
                )
            elif row.source == "seed" and (row.kind, row.name) != (kind, name):
                changed.add(date.year)
                row.kind, row.name = kind, name
                row.save(update_fields=["kind", "name", "updated_at"])
    day_model.objects.bulk_create(rows, ignore_conflicts=True)
    version = getattr(chinese_calendar, "__version__", "")
    announced = []
    for year in sorted(years):
        _, created = year_model.objects.get_or_create(
            jurisdiction=jurisdiction,
            year=year,
            defaults={"source": "seed", "notice": f"chinesecalendar {version}".strip()},
        )
        if created:
            announced.append(year)
    return {
        "days_created": len(rows),
        "years_announced": announced,
        "years": sorted(years),
        "changed_years": sorted(changed | set(announced)),
    }
