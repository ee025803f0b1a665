from django.contrib import admin, messages
from django.utils.dates import WEEKDAYS
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import OfficerTabularInline, ScopedAdmin
from core.timezone import local_today
from deadlines import services
from deadlines.models import CalendarDay, CalendarYear, Deadline, Delivery, Escalation, Reminder

GACC = ("gacc_officer",)

# The calculation trail (deadlines/calendar.py, services.py) keeps machine keys and English
# rule texts; the deadline's page names them in the reader's language.
TRAIL_LABELS = {
    "rule": _("rule"),
    "start": _("start"),
    "working_days": _("working days"),
    "days": _("calendar days"),
    "result": _("result"),
    "due_date": _("due date"),
    "provisional": _("provisional"),
    "unannounced_years": _("years whose holiday notice is not entered"),
    "holidays_skipped": _("holidays skipped"),
    "makeup_workdays_counted": _("make-up working days counted"),
    "weekend_days_skipped": _("weekend days skipped"),
    "statutory_holidays_skipped": _("statutory holidays skipped"),
    "remaining_working_days": _("working days remaining"),
    "requested": _("requested"),
    "history": _("history"),
}


def trail_label(key: str) -> str:
    return TRAIL_LABELS.get(key, key)


def trail_value(value):
    """A rule text the engine wrote in English, translated; anything else as it is."""
    return gettext(value) if isinstance(value, str) and value else value


@admin.register(CalendarYear)
class CalendarYearAdmin(ScopedAdmin):
    """Entering a year's State Council notice makes its dates final; open deadlines that
    touch the year are recomputed and parties told where a date moves."""

    list_display = ["year", "jurisdiction", "notice", "source", "announced_at"]
    list_filter = ["jurisdiction", "source"]
    ordering = ["-year", "jurisdiction"]  # the newest notice first
    officer_can_add = officer_can_change = officer_can_delete = GACC

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.calendar_changed(jurisdiction=obj.jurisdiction, years=[obj.year])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.calendar_changed(jurisdiction=obj.jurisdiction, years=[obj.year])

    def delete_queryset(self, request, queryset):
        changed = list(queryset.values_list("jurisdiction", "year"))
        super().delete_queryset(request, queryset)
        for jurisdiction, year in changed:
            services.calendar_changed(jurisdiction=jurisdiction, years=[year])


class CalendarYearFilter(admin.SimpleListFilter):
    """The list opens at the current year; "All years" shows every exception."""

    title = _("year")
    parameter_name = "year"
    ALL = "all"

    def lookups(self, request, model_admin):
        years = set(
            model_admin.get_queryset(request).values_list("date__year", flat=True).distinct()
        )
        years.add(local_today().year)
        return [(str(year), str(year)) for year in sorted(years, reverse=True)]

    def value(self):
        return super().value() or str(local_today().year)

    def choices(self, changelist):
        yield {
            "selected": self.value() == self.ALL,
            "query_string": changelist.get_query_string({self.parameter_name: self.ALL}),
            "display": _("All years"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.ALL:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(date__year=int(value))


@admin.register(CalendarDay)
class CalendarDayAdmin(ScopedAdmin):
    list_display = ["date", "weekday", "kind", "holiday_name", "source", "jurisdiction"]
    list_filter = [CalendarYearFilter, "jurisdiction", "kind", "source"]
    search_fields = ["name", "date"]
    ordering = ["date"]
    officer_can_add = officer_can_change = officer_can_delete = GACC
    readonly_fields = ["source", "updated_at"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return WEEKDAYS[obj.date.weekday()]

    @admin.display(description=_("name"), ordering="name")
    def holiday_name(self, obj):
        return obj.name_text()

    def save_model(self, request, obj, form, change):
        obj.source = CalendarDay.Source.MANUAL  # an officer's edit survives re-seeding
        years = {obj.date.year}
        if change and obj.pk:  # a day moved to another year changes both years
            years.add(CalendarDay.objects.get(pk=obj.pk).date.year)
        super().save_model(request, obj, form, change)
        services.calendar_changed(jurisdiction=obj.jurisdiction, years=years)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.calendar_changed(jurisdiction=obj.jurisdiction, years=[obj.date.year])

    def delete_queryset(self, request, queryset):
        changed = list(queryset.values_list("jurisdiction", "date__year"))
        super().delete_queryset(request, queryset)
        for jurisdiction, year in changed:
            services.calendar_changed(jurisdiction=jurisdiction, years=[year])


class ReminderInline(OfficerTabularInline):
    model = Reminder
    extra = 0
    fields = ["step", "send_at", "status", "expanded_at"]
    readonly_fields = fields


@admin.register(Deadline)
class DeadlineAdmin(ScopedAdmin):
    list_display = ["kind", "subject_label", "due_date", "status", "provisional", "office"]
    list_filter = [
        "status", "kind", "provisional", ("confirmed_at", admin.EmptyFieldListFilter),
        ("due_date", admin.DateFieldListFilter),
    ]  # fmt: skip
    search_fields = ["subject_label"]
    list_select_related = ["office"]
    ordering = ["due_date"]
    inlines = [ReminderInline]
    readonly_fields = [
        "kind", "subject_label", "subject_type", "subject_id", "holder", "office",
        "trigger_date", "unit", "count", "due_date", "due_at", "provisional", "confirmed_at",
        "confirmed_by", "status", "suspended_on", "opened_at", "closed_at", "close_reason_text",
        "calculation",
    ]  # fmt: skip
    exclude = ["trail"]
    actions = ["confirm_provisional"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self._officer(request):
            actions.pop("confirm_provisional", None)
        return actions

    @admin.action(description=_("Confirm the selected provisional due dates (R29)"))
    def confirm_provisional(self, request, queryset):
        """The officer has checked each date against what is known of its year: from now
        on its passing counts (deadlines/services.py, deadline_confirm)."""
        count = 0
        for deadline in queryset.filter(provisional=True, confirmed_at__isnull=True):
            if self.run_service(
                request, services.deadline_confirm, actor=request.user, deadline=deadline
            ):
                count += 1
        message = ngettext(
            "%(count)d provisional due date confirmed.",
            "%(count)d provisional due dates confirmed.",
            count,
        ) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)

    @admin.display(description=_("close reason"))
    def close_reason_text(self, obj):
        """Reasons the deadlines engine writes are kept in English (deadlines/services.py)."""
        return gettext(obj.close_reason) if obj.close_reason else ""

    @admin.display(description=_("how the date was reached"))
    def calculation(self, obj):
        trail = obj.trail or {}
        rows = [(trail_label(key), trail_value(value)) for key, value in trail.items()
                if key != "history"]  # fmt: skip
        rows += [(TRAIL_LABELS["history"], event) for event in trail.get("history", [])]
        return format_html(
            "<table>{}</table>",
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
        )


@admin.register(Delivery)
class DeliveryAdmin(ScopedAdmin):
    """Failed sends are listed here for officers; 'retry' puts them back in the queue."""

    list_display = ["reminder", "channel", "address", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "channel"]
    search_fields = ["address"]
    list_select_related = ["reminder"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["retry"]

    def get_queryset(self, request):
        qs = super(ScopedAdmin, self).get_queryset(request)
        if request.user.sees_everything:
            return qs
        return qs.filter(reminder__deadline__office_id=request.user.organisation_id)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self._officer(request):
            actions.pop("retry", None)
        return actions

    @admin.action(description=_("Retry the selected failed deliveries now"))
    def retry(self, request, queryset):
        count = 0
        for delivery in queryset.filter(status=Delivery.Status.FAILED):
            if self.run_service(request, services.delivery_retry, delivery=delivery):
                count += 1
        message = ngettext(
            "%(count)d delivery queued again.", "%(count)d deliveries queued again.", count
        ) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)


class EscalationStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("resolved", _("Resolved"))]

    def queryset(self, request, queryset):
        if self.value() in ("open", "resolved"):
            return queryset.filter(resolved_at__isnull=self.value() == "open")
        return queryset


@admin.register(Escalation)
class EscalationAdmin(ScopedAdmin):
    list_display = ["action_due", "deadline", "office", "created_at", "resolved_at"]
    list_filter = [EscalationStateFilter, "resolved_at", "office"]
    list_select_related = ["deadline", "office"]
    fields = ["deadline", "office", "holder", "action_due", "created_at", "resolved_at",
              "resolved_by"]  # fmt: skip
    readonly_fields = fields
    actions = ["resolve"]

    @admin.display(description=_("action due"), ordering="action")
    def action_due(self, obj):
        return obj.action_text()

    @admin.action(description=_("Mark the selected escalations resolved"))
    def resolve(self, request, queryset):
        for escalation in queryset.filter(resolved_at__isnull=True):
            self.run_service(
                request, services.escalation_resolve, escalation=escalation, actor=request.user
            )
        self.message_user(request, _("Escalations resolved."), messages.SUCCESS)
