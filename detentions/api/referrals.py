"""/api/v1/referrals/: referrals to public security (R25), one endpoint per step."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.scoping import acting_role, visible_to
from core.api.fields import LegalDateField
from core.api.viewsets import ScopedViewSet
from detentions import services
from detentions.api.common import (
    _officers_only,
)
from detentions.models import (
    Detention,
    Referral,
    ReferralEvent,
)
from detentions.workflow import REFERRAL_WORKFLOW

# --- referrals (R25) -------------------------------------------------------------------------


class ReferralEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(
        source="actor.username", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = ReferralEvent
        fields = ["action", "from_status", "to_status", "actor", "reason", "at"]


class ReferralSerializer(serializers.ModelSerializer):
    detention_number = serializers.CharField(source="detention.number", read_only=True)
    allowed_actions = serializers.SerializerMethodField()
    events = ReferralEventSerializer(many=True, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "detention",
            "detention_number",
            "organ",
            "referred_on",
            "grounds",
            "status",
            "decided_on",
            "police_case_number",
            "outcome",
            "allowed_actions",
            "events",
        ]

    def get_allowed_actions(self, obj) -> list[str]:
        return REFERRAL_WORKFLOW.allowed_names(
            obj.status, acting_role(self.context["request"].user)
        )


class ReferralInput(serializers.Serializer):
    detention = serializers.IntegerField(label=_("detention"), help_text=_("The case's id."))
    organ = serializers.CharField(label=_("public security organ"), max_length=255)
    grounds = serializers.CharField(
        label=_("grounds"), help_text=_("Why a crime is suspected (R25).")
    )
    referred_on = LegalDateField(label=_("referred on"), required=False)


class OutcomeInput(serializers.Serializer):
    outcome = serializers.CharField(
        label=_("outcome"), help_text=_("What became of it (charges, judgment), if known.")
    )


class ReferralFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=Referral.Status.choices)
    referred_after = filters.DateFilter(field_name="referred_on", lookup_expr="gte")
    referred_before = filters.DateFilter(field_name="referred_on", lookup_expr="lte")
    office = filters.NumberFilter(field_name="detention__office")

    class Meta:
        model = Referral
        fields = ["detention"]


class ReferralViewSet(ScopedViewSet):
    """Referrals of suspected crimes to public security (R25), tracked to their decision."""

    queryset = Referral.objects.select_related("detention").prefetch_related(
        Prefetch("events", queryset=ReferralEvent.objects.select_related("actor"))
    )
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter

    @extend_schema(request=ReferralInput, responses={201: ReferralSerializer})
    def create(self, request):
        data = ReferralInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        detention = (
            visible_to(request.user, Detention.objects.all())
            .filter(pk=values.pop("detention"))
            .first()
        )
        if detention is None:
            return Response({"detention": [gettext("No such case.")]}, status=400)
        referral = services.referral_create(actor=request.user, detention=detention, **values)
        return Response(self.get_serializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OutcomeInput, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        referral = self.get_object()
        _officers_only(request)
        data = OutcomeInput(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.referral_record_outcome(
            actor=request.user, referral=referral, **data.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=referral.pk)).data)


def _step_description(step) -> str:
    return gettext("%(label)s (%(rule)s).") % {"label": step.label, "rule": step.rule}


_step_text = lazy(_step_description, str)


def _referral_endpoint(step):
    def perform(self, request, pk=None):
        referral = self.get_object()
        if not isinstance(request.data, dict):  # a JSON `false` or list: the input's own 400
            step.input(data=request.data).is_valid(raise_exception=True)
        data = dict(request.data.items())
        referral = services.referral_transition(
            actor=request.user,
            referral=referral,
            action=step.name,
            reason=data.pop("reason", ""),
            police_case_number=data.get("police_case_number") or "",
            outcome=data.get("outcome") or "",
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=referral.pk)).data)

    perform.__name__ = f"referral_{step.name}"
    perform.__doc__ = f"{step.label} ({step.rule})."
    # The action first: `action` replaces the function's kwargs, where the schema is kept.
    perform = action(detail=True, methods=["post"], url_path=step.url_name)(perform)
    return extend_schema(
        request=step.input, responses=ReferralSerializer, description=_step_text(step)
    )(perform)


for _step in REFERRAL_WORKFLOW.steps:
    setattr(ReferralViewSet, f"referral_{_step.name}", _referral_endpoint(_step))
