"""API: working-day arithmetic (public), deadlines, notifications, personal iCalendar feed."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.models import User
from core.api.fields import LegalDateField
from core.api.viewsets import ScopedViewSet
from core.timezone import local_today
from deadlines import ical, selectors, services
from deadlines.calendar import MAX_WORKING_DAYS, WorkingCalendar
from deadlines.models import Deadline, DeadlineKind, Escalation, Notification, Reminder

EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{16,64}")

# --- working days ---------------------------------------------------------------------------


class WorkdaysQuery(serializers.Serializer):
    start = LegalDateField(help_text=gettext_lazy("YYYY-MM-DD: the day of service or the event."))
    days = serializers.IntegerField(
        min_value=0, max_value=MAX_WORKING_DAYS, help_text=gettext_lazy("Number of working days.")
    )

    def validate_start(self, value):
        if not EARLIEST <= value <= LATEST:
            raise serializers.ValidationError(
                _("Must be between %(earliest)s and %(latest)s.")
                % {"earliest": EARLIEST, "latest": LATEST}
            )
        return value


class WorkdaysResult(serializers.Serializer):
    start = LegalDateField()
    days = serializers.IntegerField()
    date = LegalDateField()
    provisional = serializers.BooleanField()
    due_at = serializers.DateTimeField()
    unannounced_years = serializers.ListField(child=serializers.IntegerField())
    holidays_skipped = serializers.ListField(child=serializers.ListField())
    makeup_workdays_counted = serializers.ListField(child=serializers.ListField())


class WorkdaysAddView(APIView):
    """The date N working days after `start`, counted from the day after (R13, R29).

    `provisional` is true when the period touches a year whose holiday notice is not yet
    entered: that year is never guessed; its weekends and statutory holidays are off, and
    `holidays_skipped` names the statutory days crossed."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public"

    @extend_schema(parameters=[WorkdaysQuery], responses=WorkdaysResult, auth=[])
    def get(self, request):
        query = WorkdaysQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, days = query.validated_data["start"], query.validated_data["days"]
        result = WorkingCalendar.load().add_working_days(start, days)
        trail = result.trail()
        return Response(
            {
                "start": start.isoformat(),
                "days": days,
                "date": result.date.isoformat(),
                "provisional": result.provisional,
                "due_at": result.due_at.isoformat(),
                "unannounced_years": trail["unannounced_years"],
                "holidays_skipped": trail["holidays_skipped"],
                "makeup_workdays_counted": trail["makeup_workdays_counted"],
            }
        )


# --- deadlines ------------------------------------------------------------------------------


class ReminderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reminder
        fields = ["step", "send_at", "status"]


class DeadlineSerializer(serializers.ModelSerializer):
    subject_type = serializers.CharField(source="subject_type.model", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Deadline
        fields = [
            "id", "kind", "status", "subject_type", "subject_id", "subject_label", "holder",
            "office", "trigger_date", "unit", "count", "due_date", "due_at", "provisional",
            "confirmed_at", "confirmed_by", "overdue", "suspended_on", "opened_at", "closed_at",
            "close_reason",
        ]  # fmt: skip

    def get_overdue(self, obj) -> bool:
        return obj.status == Deadline.Status.MISSED or (
            obj.status == Deadline.Status.OPEN and obj.due_at is not None
            and obj.due_at < timezone.now()
        )  # fmt: skip


class DeadlineDetailSerializer(DeadlineSerializer):
    reminders = ReminderSerializer(many=True, read_only=True)

    class Meta(DeadlineSerializer.Meta):
        fields = [*DeadlineSerializer.Meta.fields, "trail", "reminders"]


class DeadlineFilter(filters.FilterSet):
    kind = filters.MultipleChoiceFilter(choices=DeadlineKind.choices)
    status = filters.MultipleChoiceFilter(choices=Deadline.Status.choices)
    due_before = filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = filters.DateFilter(field_name="due_date", lookup_expr="gte")
    overdue = filters.BooleanFilter(method="filter_overdue")
    subject_type = filters.CharFilter(field_name="subject_type__model")
    subject_id = filters.NumberFilter()
    provisional = filters.BooleanFilter()

    class Meta:
        model = Deadline
        fields = ["holder", "office"]

    def filter_overdue(self, queryset, name, value):
        overdue = Deadline.objects.filter(
            status=Deadline.Status.OPEN, due_at__lt=timezone.now()
        ).values("pk")
        missed = {"status": Deadline.Status.MISSED}
        if value:
            return queryset.filter(pk__in=overdue) | queryset.filter(**missed)
        return queryset.exclude(pk__in=overdue).exclude(**missed)


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.CharField()


class DeadlineViewSet(ScopedViewSet):
    """Deadlines on the recordals and detentions the caller may see."""

    queryset = Deadline.objects.select_related("subject_type").order_by("due_date", "id")
    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilter
    ordering_fields = ["due_date", "opened_at", "kind"]

    def get_serializer_class(self):
        return DeadlineDetailSerializer if self.action == "retrieve" else DeadlineSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("reminders")
        return queryset

    def _feed_url(self, request) -> str:
        path = reverse("deadlines-ical")
        return request.build_absolute_uri(f"{path}?token={request.user.calendar_token}")

    @extend_schema(request=None, responses=DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """R29: an officer confirms a provisional due date, so that its passing counts
        (a later filing is late, a release it makes due may go ahead). 403 for anyone but
        the officers of the handling office or GACC; 409 when the date is not provisional
        or the deadline was cancelled."""
        deadline = services.deadline_confirm(actor=request.user, deadline=self.get_object())
        return Response(self.get_serializer(deadline).data)

    @extend_schema(responses=CalendarFeedSerializer)
    @action(detail=False, methods=["get"], url_path="calendar")
    def calendar(self, request):
        """The caller's secret iCalendar subscription URL."""
        return Response({"url": self._feed_url(request)})

    @extend_schema(request=None, responses=CalendarFeedSerializer)
    @action(detail=False, methods=["post"], url_path="calendar/rotate")
    def rotate_calendar(self, request):
        """Issue a new secret; subscriptions with the old URL stop working at once."""
        user = request.user
        user.calendar_token = secrets.token_urlsafe()
        user.save(update_fields=["calendar_token"])
        return Response({"url": self._feed_url(request)})


class DeadlineCalendarFeed(APIView):
    """GET /api/v1/deadlines.ics?token=...: the deadlines this user may see, RFC 5545."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public"

    @extend_schema(
        parameters=[OpenApiParameter("token", str, required=True)],
        responses={(200, "text/calendar"): OpenApiTypes.STR},
        auth=[],
    )
    def get(self, request):
        token = request.query_params.get("token", "")
        valid = TOKEN_FORMAT.fullmatch(token) is not None
        user = User.objects.filter(calendar_token=token, is_active=True).first() if valid else None
        if user is None:
            return Response({"detail": _("Unknown calendar token."), "code": "not_found"}, 404)
        deadlines = selectors.calendar_feed_deadlines(user, today=local_today())
        # A calendar client sends no language of its own: the subscriber's is used.
        with translation.override(user.preferred_language or "en"):
            name = _("Customs IPR deadlines — %(user)s") % {"user": user.get_username()}
            body = ical.calendar(deadlines, name=name)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
        response["Cache-Control"] = "private, max-age=300"
        return response


# --- notifications and escalations ------------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "deadline", "created_at", "read_at", "is_read"]

    def get_is_read(self, obj) -> bool:
        return obj.read_at is not None


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["deadline"]


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class NotificationViewSet(ScopedViewSet):
    """The caller's own in-app notifications."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        services.notification_mark_read(user=request.user, ids=[notification.pk])
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notification_mark_read(user=request.user)})


class EscalationSerializer(serializers.ModelSerializer):
    deadline = DeadlineSerializer(read_only=True)
    action = serializers.SerializerMethodField(
        help_text=gettext_lazy("The officers' task, in the caller's language.")
    )

    class Meta:
        model = Escalation
        fields = ["id", "action", "deadline", "office", "holder", "created_at", "resolved_at"]

    def get_action(self, obj) -> str:
        return obj.action_text()


class EscalationViewSet(ScopedViewSet):
    """Officers' tasks raised by missed deadlines (e.g. "no reply: release due")."""

    queryset = Escalation.objects.select_related("deadline__subject_type")
    serializer_class = EscalationSerializer
    filterset_fields = {"resolved_at": ["isnull"], "office": ["exact"]}

    @extend_schema(request=None, responses=EscalationSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        escalation = services.escalation_resolve(escalation=self.get_object(), actor=request.user)
        return Response(self.get_serializer(escalation).data)
