"""API for recordals (R1-R11) and general bonds (R15).

Every lifecycle step of recordals/workflow.py is one POST endpoint, generated from the
table: `/api/v1/recordals/{id}/submit/`, `/request-correction/`, `/approve/`, ...
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from accounts.models import Organisation
from accounts.scoping import acting_role
from core.api.documents import document_response
from core.api.fields import LegalDateField
from core.api.parsers import JSONParser
from core.api.viewsets import ScopedViewSet
from core.timezone import local_today
from deadlines.models import Deadline
from engine.workflow import SYSTEM
from recordals import selectors, services
from recordals.inputs import (
    GenuineGoodsSerializer,
    KnownInfringerSerializer,
    LicenseeSerializer,
    RightInput,
    RightUpdateInput,
)
from recordals.models import (
    Attachment,
    ChangeApplication,
    GeneralBond,
    GeneralBondEntry,
    Recordal,
    RecordalEvent,
    RecordalKind,
    RecordalStatus,
)
from recordals.workflow import RECORDAL_WORKFLOW

# --- serializers -----------------------------------------------------------------------------


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "kind", "content_type", "size", "uploaded_at"]


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(
        source="actor.username", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = RecordalEvent
        fields = ["action", "from_status", "to_status", "actor", "reason", "data", "on", "at"]


class ChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChangeApplication
        fields = ["id", "kind", "changed_on", "description", "details", "status", "filed_at",
                  "decided_at", "decision_reason"]  # fmt: skip


class OpenDeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deadline
        fields = ["id", "kind", "due_date", "due_at", "provisional", "suspended_on"]


class RecordalSerializer(serializers.ModelSerializer):
    # The holder's name as recorded: an approved change of holder name renames it (R8).
    holder_name = serializers.CharField(source="holder_name_en", read_only=True)
    holder_name_zh = serializers.CharField(read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Recordal
        fields = [
            "id", "number", "kind", "status", "holder", "holder_name", "holder_name_zh",
            "filed_by_agency", "right_name", "registration_number", "nice_classes", "is_madrid",
            "right_class", "work_type", "patent_type", "right_valid_from", "right_valid_until",
            "submitted_on", "approved_on", "valid_from", "valid_until", "ended_on",
            "decision_reason", "allowed_actions",
        ]  # fmt: skip

    def get_allowed_actions(self, obj) -> list[str]:
        user = self.context["request"].user
        return RECORDAL_WORKFLOW.allowed_names(obj.status, acting_role(user))


class RecordalDetailSerializer(RecordalSerializer):
    licensees = LicenseeSerializer(many=True, read_only=True)
    genuine_goods = GenuineGoodsSerializer(many=True, read_only=True)
    known_infringers = KnownInfringerSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    changes = ChangeSerializer(many=True, read_only=True)
    open_deadlines = serializers.SerializerMethodField()

    class Meta(RecordalSerializer.Meta):
        fields = [*RecordalSerializer.Meta.fields, "description", "licensees", "genuine_goods",
                  "known_infringers", "attachments", "changes", "events",
                  "open_deadlines"]  # fmt: skip

    def get_open_deadlines(self, obj) -> list[dict]:
        return OpenDeadlineSerializer(self.context["open_deadlines"], many=True).data


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AttachmentInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Attachment.Kind.choices)
    file = serializers.FileField(help_text=_("PDF, PNG or JPEG, at most 10 MB."))


class ChangeInput(serializers.Serializer):
    """R8: the kind of change and the new particulars it carries, applied on approval."""

    kind = serializers.ChoiceField(choices=ChangeApplication.Kind.choices)
    changed_on = LegalDateField()
    description = serializers.CharField()
    holder_name_en = serializers.CharField(
        max_length=255, required=False,
        help_text=_("Holder name changes: the new name in English."),
    )  # fmt: skip
    holder_name_zh = serializers.CharField(
        max_length=255, required=False,
        help_text=_("Holder name changes: the new name in Chinese."),
    )  # fmt: skip
    genuine_goods = GenuineGoodsSerializer(
        many=True, required=False, help_text=_("Goods changes: the approved goods as they will be.")
    )
    licensees = LicenseeSerializer(
        many=True, required=False,
        help_text=_("Licensing changes: the licensees as they will be (an empty list: none)."),
    )  # fmt: skip
    right_valid_until = LegalDateField(
        required=False,
        help_text=_("Changes of the right: its new validity, e.g. after renewal at CNIPA."),
    )

    DETAILS = ("holder_name_en", "holder_name_zh", "genuine_goods", "licensees",
               "right_valid_until")  # fmt: skip


class NoteChangeInput(serializers.Serializer):
    changed_on = LegalDateField()
    reason = serializers.CharField()


class DecisionInput(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


# --- filters ---------------------------------------------------------------------------------


class RecordalFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=RecordalStatus.choices)
    kind = filters.MultipleChoiceFilter(choices=RecordalKind.choices)
    expiring_before = filters.DateFilter(field_name="valid_until", lookup_expr="lte")
    registration_number = filters.CharFilter(method="filter_registration_number")

    class Meta:
        model = Recordal
        fields = ["holder", "is_madrid"]

    def filter_registration_number(self, queryset, name, value):
        return queryset.filter(registration_number=value.strip().upper())


# --- views -----------------------------------------------------------------------------------


def _split_right(data: dict) -> tuple[dict, dict]:
    children = {k: data.pop(k) for k in ("licensees", "genuine_goods", "known_infringers")
                if k in data}  # fmt: skip
    return data, children


class RecordalViewSet(ScopedViewSet):
    """Recordals the caller may see. Holders and their agents draft, edit and submit;
    GACC decides; district officers read."""

    queryset = Recordal.objects.select_related("holder").order_by("-created_at", "-id")
    serializer_class = RecordalSerializer
    filterset_class = RecordalFilter
    ordering_fields = ["valid_until", "created_at", "submitted_on"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                "licensees", "genuine_goods", "known_infringers", "attachments", "changes",
                Prefetch("events", queryset=RecordalEvent.objects.select_related("actor")),
            )  # fmt: skip
        return queryset

    def get_serializer_class(self):
        return RecordalDetailSerializer if self.action == "retrieve" else RecordalSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "retrieve" and "pk" in self.kwargs:
            context["open_deadlines"] = Deadline.objects.filter(
                subject_type__model="recordal", subject_id=self.kwargs["pk"], status="open"
            ).order_by("due_date")
        return context

    def _detail(self, recordal, code=status.HTTP_200_OK):
        self.action = "retrieve"
        self.kwargs["pk"] = recordal.pk
        fresh = self.get_queryset().get(pk=recordal.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(request=RightInput, responses={201: RecordalDetailSerializer})
    def create(self, request):
        data = RightInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        holder = values.pop("holder", None) or request.user.organisation
        registered = values.pop("registered", True)
        right, children = _split_right(values)
        recordal = services.recordal_create_draft(
            actor=request.user, holder=holder, right=right, registered=registered, **children
        )
        return self._detail(recordal, status.HTTP_201_CREATED)

    @extend_schema(request=RightUpdateInput, responses=RecordalDetailSerializer)
    def partial_update(self, request, pk=None):
        recordal = self.get_object()
        data = RightUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("holder", None)
        registered = values.pop("registered", True)
        right, children = _split_right(values)
        recordal = services.recordal_update(
            actor=request.user, recordal=recordal, right=right or None, registered=registered,
            **children,
        )  # fmt: skip
        return self._detail(recordal)

    @extend_schema(request={"multipart/form-data": AttachmentInput},
                   responses={201: AttachmentSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="attachments")
    def attach(self, request, pk=None):
        recordal = self.get_object()
        data = AttachmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = services.recordal_attach(
            actor=request.user, recordal=recordal, kind=data.validated_data["kind"],
            upload=data.validated_data["file"],
        )  # fmt: skip
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>[0-9]+)")
    def attachment(self, request, pk=None, attachment_id=None):
        recordal = self.get_object()
        document = recordal.attachments.filter(pk=attachment_id).first()
        if document is None:
            return Response({"detail": gettext("Not found."), "code": "not_found"}, status=404)
        return document_response(document.file, document.content_type)

    @extend_schema(request=ChangeInput, responses={201: ChangeSerializer})
    @action(detail=True, methods=["post"], url_path="changes")
    def file_change(self, request, pk=None):
        """R8: apply for a change of holder name, approved goods, licensing or of the right
        itself (its validity), with the new particulars."""
        recordal = self.get_object()
        data = ChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        details = {key: values.pop(key) for key in ChangeInput.DETAILS if key in values}
        change = services.recordal_file_change(
            actor=request.user, recordal=recordal, details=details, **values
        )
        return Response(ChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionInput, responses=ChangeSerializer)
    @action(detail=True, methods=["post"], url_path=r"changes/(?P<change_id>[0-9]+)/decide")
    def decide_change(self, request, pk=None, change_id=None):
        recordal = self.get_object()
        change = recordal.changes.filter(pk=change_id).first()
        if change is None:
            return Response({"detail": gettext("Not found."), "code": "not_found"}, status=404)
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.recordal_decide_change(actor=request.user, change=change,
                                                 **data.validated_data)  # fmt: skip
        return Response(ChangeSerializer(change).data)

    @extend_schema(request=NoteChangeInput, responses=OpenDeadlineSerializer)
    @action(detail=True, methods=["post"], url_path="note-change")
    def note_change(self, request, pk=None):
        """GACC records a change it learned of: the holder has 30 working days (R8)."""
        recordal = self.get_object()
        data = NoteChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        deadline = services.recordal_note_change(actor=request.user, recordal=recordal,
                                                 **data.validated_data)  # fmt: skip
        return Response(OpenDeadlineSerializer(deadline).data, status=status.HTTP_201_CREATED)


def _step_endpoint(step):
    Input = step.input or ReasonInput

    def perform(self, request, pk=None):
        recordal = self.get_object()
        data = Input(data=request.data)
        data.is_valid(raise_exception=True)
        recordal = services.recordal_transition(
            actor=request.user, recordal=recordal, action=step,
            reason=data.validated_data.get("reason", ""),
        )  # fmt: skip
        return self._detail(recordal)

    perform.__name__ = step.name
    perform.__doc__ = (
        f"{step.label} ({step.rule}): {', '.join(step.sources)} → {step.target}. "
        f"Allowed to: {', '.join(step.roles)}."
    )
    perform = extend_schema(request=Input, responses=RecordalDetailSerializer)(perform)
    return action(detail=True, methods=["post"], url_path=step.url_name)(perform)


for _step in RECORDAL_WORKFLOW.steps:
    if SYSTEM not in _step.roles:
        setattr(RecordalViewSet, _step.name, _step_endpoint(_step))


class PublicRecordalSerializer(serializers.ModelSerializer):
    """R11: what anyone may see. No contacts, licensees, infringers or attachments."""

    holder_name = serializers.CharField(source="holder_name_en")  # as recorded (R8)
    holder_name_zh = serializers.CharField()
    holder_country = serializers.CharField(source="holder.country")
    approved_goods = serializers.SerializerMethodField()

    class Meta:
        model = Recordal
        fields = ["id", "number", "kind", "status", "holder_name", "holder_name_zh",
                  "holder_country", "right_name", "registration_number", "nice_classes",
                  "approved_goods", "valid_from", "valid_until"]  # fmt: skip

    def get_approved_goods(self, obj) -> list[str]:
        return [goods.name for goods in obj.genuine_goods.all()]


class PublicRecordalSearch(ListAPIView):
    """Public search of recordals in force (R11): holder, mark or work, registration number,
    approved goods. No login; redacted; throttled."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public"
    serializer_class = PublicRecordalSerializer
    filter_backends = []

    @extend_schema(parameters=[OpenApiParameter("q", str, description=_("Search text"))], auth=[])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.public_recordals(
            self.request.query_params.get("q", ""), today=local_today()
        )


# --- general bonds ----------------------------------------------------------------------------


class BondEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = GeneralBondEntry
        fields = ["id", "kind", "amount", "reference", "note", "on", "at"]


class GeneralBondSerializer(serializers.ModelSerializer):
    balance = serializers.SerializerMethodField()

    class Meta:
        model = GeneralBond
        fields = ["id", "holder", "year", "amount", "previous_year_costs", "guarantor_bank",
                  "guarantee_number", "issued_on", "expires_on", "approved_on", "covers_until",
                  "status", "decision_reason", "balance"]  # fmt: skip
        read_only_fields = ["approved_on", "covers_until", "status", "decision_reason"]

    def get_balance(self, obj) -> dict:
        return {key: str(value) for key, value in services.general_bond_balance(obj).items()}


class GeneralBondDetailSerializer(GeneralBondSerializer):
    entries = BondEntrySerializer(many=True, read_only=True)

    class Meta(GeneralBondSerializer.Meta):
        fields = [*GeneralBondSerializer.Meta.fields, "entries"]


class GeneralBondInput(serializers.Serializer):
    holder = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.RIGHTS_HOLDER), required=False
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=0)
    previous_year_costs = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=0,
                                                   default=0)  # fmt: skip
    guarantor_bank = serializers.CharField(max_length=255)
    guarantee_number = serializers.CharField(max_length=64)
    issued_on = LegalDateField()
    expires_on = LegalDateField()


class BondEntryInput(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class GeneralBondViewSet(ScopedViewSet):
    """General bonds (R15) with their ledger and balance."""

    queryset = GeneralBond.objects.select_related("holder").prefetch_related("entries")
    serializer_class = GeneralBondSerializer
    filterset_fields = ["holder", "year", "status"]

    def get_serializer_class(self):
        return GeneralBondDetailSerializer if self.action == "retrieve" else GeneralBondSerializer

    @extend_schema(request=GeneralBondInput, responses={201: GeneralBondSerializer})
    def create(self, request):
        data = GeneralBondInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        holder = values.pop("holder", None) or request.user.organisation
        bond = services.general_bond_submit(actor=request.user, holder=holder, **values)
        return Response(GeneralBondSerializer(bond).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionInput, responses=GeneralBondSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        bond = services.general_bond_decide(actor=request.user, bond=self.get_object(),
                                            **data.validated_data)  # fmt: skip
        return Response(GeneralBondSerializer(bond).data)

    @extend_schema(request=BondEntryInput, responses={201: BondEntrySerializer})
    @action(detail=True, methods=["post"])
    def entries(self, request, pk=None):
        """Officers call the guarantor for a case's unpaid costs (R15, R27)."""
        bond = self.get_object()  # an unseen bond is 404 before anything else
        if not request.user.is_officer:
            return Response({"detail": gettext("Only customs officers keep the ledger."),
                             "code": "not_permitted"}, status=403)  # fmt: skip
        data = BondEntryInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.general_bond_call(actor=request.user, bond=bond,
                                           **data.validated_data)  # fmt: skip
        return Response(BondEntrySerializer(entry).data, status=status.HTTP_201_CREATED)
