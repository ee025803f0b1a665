"""The deadlines' part of the officer's desk (the admin's index, core/admin_site.py): the
escalations still open, and a warning when open deadlines run into a year whose holiday
notice is not entered, so their due dates are provisional (R29).

Also what every queue shows of a due date: its end in legal time (24:00 of the last day,
R13) and the working days left, counted on one calendar loaded once per request."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_to
from core.admin_site import DeskNotice, DeskQueue, DeskRow, DeskSection, count_and_first
from core.timezone import LEGAL_TZ, day_end_text, day_text, local_today
from deadlines.calendar import WorkingCalendar
from deadlines.models import CalendarYear, Deadline, Escalation

ONE_DAY = dt.timedelta(days=1)
# The desk's queues hold periods of weeks; a year ahead covers any of them.
CALENDAR_AHEAD = dt.timedelta(days=400)


def calendar_for(request) -> WorkingCalendar:
    """The working calendar around today, loaded once per request (two queries)."""
    calendar = getattr(request, "_desk_calendar", None)
    if calendar is None:
        today = local_today()
        calendar = WorkingCalendar.load(between=(today - ONE_DAY, today + CALENDAR_AHEAD))
        request._desk_calendar = calendar
    return calendar


def due_text(due_date: dt.date | None, provisional: bool = False) -> str:
    """A period's end as the law counts it: 24:00 of its last day (R13)."""
    if due_date is None:
        return "-"
    text = day_end_text(due_date)
    return gettext("%(due)s (provisional)") % {"due": text} if provisional else text


def time_left(request, due_date: dt.date | None) -> str:
    """Working days left until the period ends, today included while it is a working day."""
    if due_date is None:
        return "-"
    today = local_today()
    if due_date < today:
        return gettext("overdue")
    days = calendar_for(request).working_days_between(today - ONE_DAY, due_date)
    if days == 0:
        return gettext("no working day left")
    return ngettext("%(days)d working day left", "%(days)d working days left", days) % {
        "days": days
    }


# --- escalations ------------------------------------------------------------------------------


def escalations_open(request):
    queryset = visible_to(
        request.user,
        Escalation.objects.filter(resolved_at__isnull=True).select_related("deadline"),
    ).order_by("created_at", "id")
    count, rows = count_and_first(queryset)
    yield DeskQueue(
        title=_("Escalations open"),
        count=count,
        url=f"{reverse('admin:deadlines_escalation_changelist')}?state=open",
        columns=(_("Concerns"), _("Since")),
        rows=tuple(
            DeskRow(
                label=escalation.action_text(),
                url=reverse("admin:deadlines_escalation_change", args=[escalation.pk]),
                details=(
                    escalation.deadline.subject_label,
                    day_text(escalation.created_at.astimezone(LEGAL_TZ).date()),
                ),
            )
            for escalation in rows
        ),
        empty=_("No escalation is open."),
    )


# --- R29: years whose holiday notice is not entered -------------------------------------------


def unannounced_years(request):
    """Open deadlines counted into a year whose State Council notice is not entered: each
    year once, with the links to enter its holidays and mark the notice entered."""
    announced = calendar_for(request).announced_years
    spans = (
        visible_to(request.user, Deadline.objects.filter(status="open", provisional=True))
        .order_by()
        .values_list("trigger_date__year", "due_date__year")
        .annotate(n=Count("pk"))
    )
    years: Counter[int] = Counter()
    for first, last, n in spans:
        for year in range(first, last + 1):
            if year not in announced:
                years[year] += n
    may_enter = admin.site.get_model_admin(CalendarYear).has_add_permission(request)
    provisional = (
        f"{reverse('admin:deadlines_deadline_changelist')}?provisional__exact=1&status__exact=open"
    )
    for year, count in sorted(years.items()):
        message = ngettext(
            "%(count)d open deadline runs into %(year)d, whose holiday notice is not yet "
            "entered: its due date is provisional (R29).",
            "%(count)d open deadlines run into %(year)d, whose holiday notice is not yet "
            "entered: their due dates are provisional (R29).",
            count,
        ) % {"count": count, "year": year}
        links = [(gettext("See the provisional deadlines"), provisional)]
        if may_enter:
            days = f"{reverse('admin:deadlines_calendarday_changelist')}?year={year}"
            enter = f"{reverse('admin:deadlines_calendaryear_add')}?year={year}"
            links = [
                (gettext("Enter %(year)d's holidays and make-up working days") % {"year": year},
                 days),
                (gettext("Then record %(year)d's notice as entered") % {"year": year}, enter),
                *links,
            ]  # fmt: skip
        else:
            message = f"{message} {gettext('GACC enters the notice.')}"
        yield DeskNotice(message=message, links=tuple(links))


admin.site.register_desk(DeskSection("deadlines.unannounced_years", 0, unannounced_years))
admin.site.register_desk(DeskSection("deadlines.escalations", 40, escalations_open))
