"""Working-day calendar, deadlines, their reminder schedule, deliveries and notifications.

The flow, all state in PostgreSQL (STYLE.md, convention 8):

    Deadline --opens--> Reminder (one per policy step, with send_at)
    sweep: due Reminder --expands--> Delivery (one per recipient and channel, unique)
    send task: Delivery --> email sent / Notification row, or retry later, or failed
    sweep: open Deadline past due_at --> missed (+ Escalation for officers) or met;
           a provisional date passed unconfirmed stays open (+ Escalation: confirm it, R29)
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.scoping import EVERYTHING, Visibility
from core.timezone import day_text, instant_text

# --- calendar -----------------------------------------------------------------------------


class Jurisdiction(models.TextChoices):
    CN = "CN", _("Mainland China")


class CalendarYear(models.Model):
    """A year whose holiday notice has been entered. Dates in other years are provisional."""

    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=2, choices=Jurisdiction.choices, default=Jurisdiction.CN
    )
    year = models.PositiveSmallIntegerField(_("year"))
    notice = models.CharField(
        pgettext_lazy("holiday", "notice"),
        max_length=255,
        blank=True,
        help_text=_("The State Council notice entered."),
    )
    source = models.CharField(_("source"), max_length=20, default="manual")
    announced_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    visibility = Visibility(public=EVERYTHING)

    class Meta:
        verbose_name = _("announced calendar year")
        verbose_name_plural = _("announced calendar years")
        ordering = ["jurisdiction", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year"], name="calendar_year_unique"),
            models.CheckConstraint(
                name="calendar_year_range", condition=Q(year__gte=1990, year__lte=2100)
            ),
        ]

    def __str__(self):
        return f"{self.jurisdiction} {self.year}"


class CalendarDay(models.Model):
    """An exception to the Monday-to-Friday rule: a public holiday on a weekday, or a make-up
    working day on a weekend (调休, R29)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday (no work)")
        WORKDAY = "workday", _("Working day (make-up working day)")

    class Source(models.TextChoices):
        SEED = "seed", _("Seeded from chinesecalendar")
        MANUAL = "manual", _("Entered by an officer")

    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=2, choices=Jurisdiction.choices, default=Jurisdiction.CN
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    visibility = Visibility(public=EVERYTHING)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["jurisdiction", "date"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "date"], name="calendar_day_unique"),
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name_text()}".strip()

    def name_text(self) -> str:
        """The holiday's name in the reader's language: the rows keep chinesecalendar's
        English names (deadlines/statutory.py lists them); "A, B" names two holidays."""
        if not self.name:
            return ""
        return gettext(", ").join(gettext(part) for part in self.name.split(", "))


class CalendarChange(models.Model):
    """A year whose calendar changed, waiting for its open deadlines to be recomputed.

    Written in the same transaction as the change, so the recomputation survives a lost
    Celery task: the sweep processes whatever is still pending."""

    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=2, choices=Jurisdiction.choices, default="CN"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        indexes = [
            models.Index(
                fields=["created_at"], name="calendar_change_pending_idx",
                condition=Q(processed_at__isnull=True),
            )
        ]  # fmt: skip

    def __str__(self):
        return f"{self.jurisdiction} {self.year}"


# --- deadlines ------------------------------------------------------------------------------


class DeadlineKind(models.TextChoices):
    REPLY_TO_DETENTION_NOTICE = "reply_to_detention_notice", _("Reply to detention notice")
    INVESTIGATION = "investigation", _("Investigation decision")
    COURT_ORDER = "court_order", _("Court assistance notice")
    RECORDAL_REVIEW = "recordal_review", _("Recordal review")
    RENEWAL_DECISION = "renewal_decision", _("Renewal decision")
    RECORDAL_EXPIRY = "recordal_expiry", _("Recordal expiry")
    RENEWAL_WINDOW_OPENS = "renewal_window_opens", _("Renewal window opens")
    CHANGE_OBLIGATION = "change_obligation", _("Change or cancellation application")
    GENERAL_BOND_EXPIRY = "general_bond_expiry", _("General bond expiry")
    COST_PAYMENT = "cost_payment", _("Payment of costs")
    COUNTER_BOND_SUIT = "counter_bond_suit", _("Court filing after a counter-bond")
    AUTHORISATION_EXPIRY = "authorisation_expiry", _("Authorisation expiry")


class Deadline(models.Model):
    """A legal deadline on a subject (recordal, detention, ...), with its audit trail.

    `holder` and `office` are copied from the subject when the deadline opens so that the
    scoping rule and the sweep never need to join the subject's table.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        MISSED = "missed", _("Missed")
        CANCELLED = "cancelled", pgettext_lazy("deadline", "Cancelled")

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", _("working days")
        CALENDAR_DAYS = "calendar_days", _("calendar days")
        DATE = "date", _("fixed date")

    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("subject type")
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField(_("subject"), max_length=255)
    holder = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("rights holder"),
    )  # fmt: skip
    office = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("customs office"),
    )  # fmt: skip
    # Set when the deadline concerns one agency only (its power of attorney): other
    # agencies of the same holder neither see it nor hear of it.
    agency = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("agency"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=40, choices=DeadlineKind.choices)
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=2, choices=Jurisdiction.choices, default="CN"
    )
    trigger_date = models.DateField(_("trigger date"))
    unit = models.CharField(_("unit"), max_length=15, choices=Unit.choices)
    count = models.PositiveIntegerField(_("count"), default=0)
    due_date = models.DateField(_("due date"), help_text=_("Last day of the period."))
    due_at = models.DateTimeField(
        _("due at"), null=True, blank=True, help_text=_("24:00 Asia/Shanghai of the due date.")
    )
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("Crosses a year whose holiday notice is not yet entered."),
    )
    # R29: a provisional date passes only once an officer confirms it (or the year is
    # entered and the date recomputed): until then it neither refuses a filing nor makes
    # a release due.
    confirmed_at = models.DateTimeField(_("provisional date confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provisional date confirmed by"),
    )
    trail = models.JSONField(_("calculation trail"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.CharField(_("close reason"), max_length=255, blank=True)

    visibility = Visibility(holder="holder_id", office="office_id", agency_limit="agency_id")

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at", "id"]
        indexes = [
            # The sweep: open deadlines that have run out.
            models.Index(
                fields=["due_at"], name="deadline_open_due_idx", condition=Q(status="open")
            ),
            models.Index(fields=["subject_type", "subject_id"], name="deadline_subject_idx"),
            models.Index(fields=["holder", "status", "due_date"], name="deadline_holder_idx"),
            models.Index(fields=["office", "status", "due_date"], name="deadline_office_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind"],
                condition=Q(status="open"),
                name="deadline_one_open_per_subject_kind",
            ),
            models.CheckConstraint(
                name="deadline_closed_has_time",
                condition=Q(status="open", closed_at__isnull=True)
                | Q(~Q(status="open"), closed_at__isnull=False),
            ),
            models.CheckConstraint(
                name="deadline_confirmation_complete",
                condition=Q(confirmed_at__isnull=True, confirmed_by__isnull=True)
                | Q(confirmed_at__isnull=False, confirmed_by__isnull=False),
            ),
            models.CheckConstraint(
                name="deadline_due_not_before_trigger",
                condition=Q(due_date__gte=models.F("trigger_date")) | Q(unit="date"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.subject_label} — {day_text(self.due_date)}"


class Reminder(models.Model):
    """One step of a deadline's reminder policy, scheduled at `send_at`."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        EXPANDED = "expanded", _("Deliveries created")
        SKIPPED = "skipped", _("Skipped (already past when scheduled)")
        CANCELLED = "cancelled", pgettext_lazy("deadline", "Cancelled")

    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("deadline")
    )
    step = models.CharField(_("step"), max_length=40)
    send_at = models.DateTimeField(_("send at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    expanded_at = models.DateTimeField(_("expanded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["send_at"]
        indexes = [
            models.Index(
                fields=["send_at"], name="reminder_due_idx", condition=Q(status="scheduled")
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "step"], name="reminder_unique_step"),
        ]

    def __str__(self):
        return gettext("%(step)s at %(time)s") % {
            "step": self.step,
            "time": instant_text(self.send_at),
        }


class Delivery(models.Model):
    """One message to one recipient on one channel. Created before sending; unique per
    (reminder step, channel, recipient), so a reminder is never sent twice."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        IN_APP = "in_app", _("In-app notification")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("delivery", "Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled (deadline closed before sending)")

    reminder = models.ForeignKey(
        Reminder, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("reminder")
    )
    channel = models.CharField(
        pgettext_lazy("delivery", "channel"), max_length=10, choices=Channel.choices
    )
    address = models.CharField(
        _("address"), max_length=254, help_text=_("Email address, or user:<id> for in-app.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", verbose_name=_("user"),
    )  # fmt: skip
    # The recipient's language when the delivery was created (an email address has no
    # user to ask later); empty: the user's, else English.
    language = models.CharField(_("language"), max_length=10, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_pending_idx",
                condition=Q(status="pending"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "channel", "address"], name="delivery_once_per_recipient"
            ),
            models.CheckConstraint(
                name="delivery_sent_has_time",
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
            ),
        ]

    def __str__(self):
        return gettext("%(channel)s to %(address)s: %(status)s") % {
            "channel": self.get_channel_display(),
            "address": self.address,
            "status": self.get_status_display(),
        }


class Notification(models.Model):
    """An in-app message to one user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("user"),
    )  # fmt: skip
    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications",
        verbose_name=_("deadline"),
    )  # fmt: skip
    delivery = models.OneToOneField(
        Delivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="notification",
        verbose_name=_("delivery"),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("body"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    visibility = Visibility(owner="user_id")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
        ]

    def __str__(self):
        return self.title


class Escalation(models.Model):
    """A task for the officers of the handling office when a deadline is missed
    (e.g. "No reply to the detention notice: release due", R12), or when a provisional due
    date has passed and waits for their confirmation (R29); once confirmed and missed, the
    same row becomes the task the miss calls for."""

    deadline = models.OneToOneField(
        Deadline, on_delete=models.CASCADE, related_name="escalation", verbose_name=_("deadline")
    )
    office = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("customs office"),
    )  # fmt: skip
    holder = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("rights holder"),
    )  # fmt: skip
    action = models.CharField(_("action due"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("resolved by"),
    )  # fmt: skip

    visibility = Visibility(office="office_id", officers_only=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["resolved_at", "created_at"]

    def __str__(self):
        return self.action_text()

    def action_text(self) -> str:
        """The task in the reader's language. The row keeps it in English, as the sweep
        wrote it from deadlines/policies.py (a policy's escalation, or the R29 request)."""
        if not self.action:
            return ""
        translated = gettext(self.action)
        if translated != self.action:
            return translated
        from deadlines.policies import CONFIRMATION_REQUEST

        due = self.deadline.due_date
        with translation.override("en"):
            asked = str(CONFIRMATION_REQUEST) % {"date": due}
        if self.action == asked:
            return str(CONFIRMATION_REQUEST) % {"date": day_text(due)}
        return self.action
