"""API for detention cases (R12-R28), referrals (R25) and the public bond quote (R14, R18).

Every step of the two workflow tables is one POST endpoint, generated from the tables:
`/api/v1/detentions/{id}/request-detention/`, `/detain/`, `/determine-infringing/`, ...
Each has its own input serializer (below, ACTION_INPUTS) and accepts JSON, or multipart
with a `document` (the notice served, the bond certificate, the court notice ...).

Officers see everything of their cases; the holder side sees its own cases without
customs-internal events, documents and notes, and sees the consignor and consignee only
as far as a detention notice discloses them (name and country).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.models import Organisation, Port
from accounts.scoping import visible_to
from core.api.documents import document_response
from core.api.viewsets import ScopedViewSet
from core.errors import NotPermitted
from detentions import rules, selectors, services
from detentions.models import (
    BondForm,
    BondSource,
    Channel,
    Detention,
    DetentionDocument,
    DetentionEvent,
    DetentionStatus,
    Direction,
    DisposalMethod,
    GoodsLine,
    Mode,
    MoneyEntry,
    PenaltyTier,
    ProductCategory,
    Referral,
    ReferralEvent,
    TransportMode,
)
from detentions.workflow import CASE_ACTIONS, REFERRAL_WORKFLOW, allowed_actions, check_role
from recordals.models import Recordal, RecordalKind

MONEY = {"max_digits": 18, "decimal_places": 2}


class OptionalBoolean(serializers.BooleanField):
    """A yes/no the caller must state: omitted is None (not False), even in multipart."""

    default_empty_html = serializers.empty

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_null=True, default=None, **kwargs)


def _role(request) -> str | None:
    user = request.user
    return "gacc_officer" if user.is_superuser else user.role


def _officers_only(request) -> None:
    if not _is_officer(request):
        raise NotPermitted("Only customs officers record this.")


def _is_officer(request) -> bool:
    user = request.user
    return user.is_superuser or getattr(user, "is_officer", False)


# --- output --------------------------------------------------------------------------------


class GoodsLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = GoodsLine
        fields = [
            "id",
            "description",
            "hs_code",
            "category",
            "quantity",
            "unit",
            "value",
            "recordal",
        ]


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)
    documents = serializers.SerializerMethodField()

    class Meta:
        model = DetentionEvent
        fields = [
            "id",
            "action",
            "from_status",
            "to_status",
            "actor",
            "reason",
            "data",
            "on",
            "at",
            "documents",
        ]

    def get_documents(self, obj) -> list[int]:
        shown = self.context.get("document_ids")
        return [d.pk for d in obj.documents.all() if shown is None or d.pk in shown]


class CaseDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = DetentionDocument
        fields = ["id", "kind", "title", "content_type", "size", "internal", "uploaded_at", "event"]


class MoneyEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = MoneyEntry
        fields = [
            "id",
            "kind",
            "amount",
            "cost_kind",
            "period_from",
            "period_to",
            "reference",
            "on",
            "at",
        ]


class ReferralSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Referral
        fields = ["id", "organ", "referred_on", "status", "decided_on"]


class DetentionSerializer(serializers.ModelSerializer):
    """A case as the holder side sees it in a list."""

    office_name = serializers.CharField(source="office.name_en", read_only=True)
    port_name = serializers.CharField(source="port.name_en", default=None, read_only=True)
    holder_name = serializers.CharField(source="holder.name_en", read_only=True)
    next_deadline_at = serializers.DateTimeField(read_only=True, allow_null=True)
    next_deadline_kind = serializers.CharField(read_only=True, allow_null=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Detention
        fields = [
            "id",
            "number",
            "mode",
            "status",
            "office",
            "office_name",
            "port",
            "port_name",
            "holder",
            "holder_name",
            "ip_kind",
            "direction",
            "channel",
            "transport_mode",
            "declaration_number",
            "origin_country",
            "destination_country",
            "consignor_name",
            "consignor_country",
            "consignee_name",
            "consignee_country",
            "total_items",
            "total_value",
            "bond_amount",
            "opened_on",
            "detained_on",
            "determination",
            "determined_on",
            "closed_on",
            "next_deadline_at",
            "next_deadline_kind",
            "allowed_actions",
        ]

    def get_allowed_actions(self, obj) -> list[str]:
        return allowed_actions(obj, _role(self.context["request"]))


class OfficerDetentionSerializer(DetentionSerializer):
    """Officers also see the consignor's and consignee's personal particulars."""

    class Meta(DetentionSerializer.Meta):
        fields = [
            *DetentionSerializer.Meta.fields,
            "consignor_address",
            "consignor_contact",
            "consignor_id_number",
            "consignee_address",
        ]


DETAIL_FIELDS = [
    "recordals",
    "right_description",
    "right_registration_number",
    "evidence",
    "expected_arrival",
    "exceeds_personal_quantity",
    "bond_source",
    "bond_form",
    "bond_reference",
    "general_bond",
    "penalty_tier",
    "penalty_fine",
    "undeclared_ip_fine",
    "no_penalty_criterion",
    "confiscated_on",
    "disposal_method",
    "disposed_on",
    "goods_lines",
    "events",
    "documents",
    "money",
    "money_balance",
    "referrals",
    "open_deadlines",
]


class DetailMixin(serializers.Serializer):
    recordals = serializers.SerializerMethodField()
    no_penalty_criterion = serializers.SlugRelatedField(slug_field="code", read_only=True)
    goods_lines = GoodsLineSerializer(many=True, read_only=True)
    events = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    money = MoneyEntrySerializer(many=True, read_only=True)
    money_balance = serializers.SerializerMethodField()
    referrals = ReferralSummarySerializer(many=True, read_only=True)
    open_deadlines = serializers.SerializerMethodField()

    def _internal_ok(self) -> bool:
        return _is_officer(self.context["request"])

    def get_recordals(self, obj) -> list[dict]:
        return [
            {"id": r.pk, "number": r.number, "kind": r.kind, "right_name": r.right_name}
            for r in obj.recordals.all()
        ]

    def get_events(self, obj) -> list[dict]:
        events = [e for e in obj.events.all() if self._internal_ok() or not e.internal]
        shown = {d.pk for d in obj.documents.all() if self._internal_ok() or not d.internal}
        context = {**self.context, "document_ids": shown}
        return CaseEventSerializer(events, many=True, context=context).data

    def get_documents(self, obj) -> list[dict]:
        documents = [d for d in obj.documents.all() if self._internal_ok() or not d.internal]
        return CaseDocumentSerializer(documents, many=True).data

    def get_money_balance(self, obj) -> dict[str, str]:
        return {key: str(value) for key, value in selectors.money_balance(obj).items()}

    def get_open_deadlines(self, obj) -> list[dict]:
        return [
            {
                "id": d.pk,
                "kind": d.kind,
                "due_date": d.due_date,
                "due_at": d.due_at,
                "provisional": d.provisional,
            }
            for d in selectors.open_deadlines(obj.pk)
        ]


class DetentionDetailSerializer(DetailMixin, DetentionSerializer):
    class Meta(DetentionSerializer.Meta):
        fields = [*DetentionSerializer.Meta.fields, *DETAIL_FIELDS]


class OfficerDetentionDetailSerializer(DetailMixin, OfficerDetentionSerializer):
    class Meta(OfficerDetentionSerializer.Meta):
        fields = [*OfficerDetentionSerializer.Meta.fields, *DETAIL_FIELDS, "internal_notes"]


# --- input ---------------------------------------------------------------------------------


class GoodsLineInput(serializers.Serializer):
    description = serializers.CharField(max_length=255)
    hs_code = serializers.RegexField(
        r"^[0-9]{4,10}$",
        max_length=10,
        error_messages={"invalid": "An HS code has 4 to 10 digits."},
    )
    category = serializers.ChoiceField(choices=ProductCategory.choices)
    quantity = serializers.IntegerField(min_value=1, max_value=10**12)
    unit = serializers.CharField(max_length=20, required=False, default="pieces")
    value = serializers.DecimalField(min_value=Decimal(0), **MONEY)
    recordal = serializers.IntegerField(required=False, allow_null=True)


class ShipmentInput(serializers.Serializer):
    direction = serializers.ChoiceField(choices=Direction.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    transport_mode = serializers.ChoiceField(choices=TransportMode.choices)
    declaration_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    origin_country = serializers.RegexField(r"^[A-Za-z]{2}$")
    destination_country = serializers.RegexField(r"^[A-Za-z]{2}$")
    consignor_name = serializers.CharField(max_length=255)
    consignor_country = serializers.RegexField(r"^[A-Za-z]{2}$")
    consignor_address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    consignor_contact = serializers.CharField(max_length=100, required=False, allow_blank=True)
    consignor_id_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    consignee_name = serializers.CharField(max_length=255)
    consignee_country = serializers.RegexField(r"^[A-Za-z]{2}$")
    consignee_address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    goods_lines = GoodsLineInput(many=True, allow_empty=False)


class ExOfficioInput(ShipmentInput):
    office = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.CUSTOMS),
        required=False,
        help_text=_("The district office; district officers may omit it (their own)."),
    )
    port = serializers.PrimaryKeyRelatedField(
        queryset=Port.objects.all(), required=False, allow_null=True
    )
    recordals = serializers.PrimaryKeyRelatedField(
        queryset=Recordal.objects.all(), many=True, allow_empty=False
    )
    served_on = serializers.DateField(required=False)
    internal_notes = serializers.CharField(required=False, allow_blank=True, default="")


class ApplicationInput(ShipmentInput):
    holder = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.RIGHTS_HOLDER),
        required=False,
        help_text=_("The applicant; defaults to the caller's own organisation."),
    )
    port = serializers.PrimaryKeyRelatedField(queryset=Port.objects.all(), allow_null=True)
    recordals = serializers.PrimaryKeyRelatedField(
        queryset=Recordal.objects.all(), many=True, required=False
    )
    ip_kind = serializers.ChoiceField(
        choices=RecordalKind.choices, required=False, allow_blank=True, default=""
    )
    right_description = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )
    right_registration_number = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default=""
    )
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    expected_arrival = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )
    bond_form = serializers.ChoiceField(
        choices=BondForm.choices, required=False, allow_blank=True, default=""
    )
    bond_reference = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )


class GoodsInput(serializers.Serializer):
    goods_lines = GoodsLineInput(many=True, allow_empty=False)


class StepInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    document = serializers.FileField(required=False, help_text=_("PDF, PNG or JPEG, ≤ 10 MB."))


class RequestDetentionInput(StepInput):
    bond_source = serializers.ChoiceField(choices=BondSource.choices)
    bond_form = serializers.ChoiceField(choices=BondForm.choices, required=False)
    bond_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)

    def validate(self, attrs):
        if attrs["bond_source"] == BondSource.CASE_BOND and not attrs.get("bond_form"):
            raise serializers.ValidationError({"bond_form": "Cash or guarantee (R14)."})
        return attrs


class DetainInput(StepInput):
    bond_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)


class DetermineInfringingInput(StepInput):
    exceeds_personal_quantity = OptionalBoolean(
        help_text=_("Luggage and postal items: beyond a reasonable personal quantity (R26).")
    )


class CourtNoticeInput(StepInput):
    court = serializers.CharField(max_length=255, help_text=_("The court and its notice number."))


class CounterBondInput(StepInput):
    counter_bond_amount = serializers.DecimalField(min_value=Decimal("0.01"), **MONEY)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ConfiscateInput(StepInput):
    penalty_tier = serializers.ChoiceField(choices=PenaltyTier.choices)
    penalty_fine = serializers.DecimalField(
        min_value=Decimal(0), required=False, default=0, **MONEY
    )
    undeclared_ip_fine = serializers.DecimalField(
        min_value=Decimal(0), required=False, allow_null=True, **MONEY
    )
    no_penalty_criterion = serializers.CharField(max_length=40, required=False, allow_blank=True)


class DisposeInput(StepInput):
    disposal_method = serializers.ChoiceField(choices=DisposalMethod.choices)
    features_removed = OptionalBoolean()
    label_removal_only = OptionalBoolean()
    holder_consulted = OptionalBoolean()


ACTION_INPUTS = {
    "request_detention": RequestDetentionInput,
    "detain": DetainInput,
    "determine_infringing": DetermineInfringingInput,
    "receive_court_notice": CourtNoticeInput,
    "release_on_counter_bond": CounterBondInput,
    "confiscate": ConfiscateInput,
    "dispose": DisposeInput,
}


class CostInput(serializers.Serializer):
    cost_kind = serializers.ChoiceField(choices=MoneyEntry.CostKind.choices)
    amount = serializers.DecimalField(min_value=Decimal("0.01"), **MONEY)
    period_from = serializers.DateField(required=False, allow_null=True)
    period_to = serializers.DateField(required=False, allow_null=True)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class PaymentInput(serializers.Serializer):
    amount = serializers.DecimalField(min_value=Decimal("0.01"), **MONEY)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class CompensationInput(serializers.Serializer):
    amount = serializers.DecimalField(min_value=Decimal("0.01"), **MONEY)
    court_reference = serializers.CharField(max_length=100)


class StatementInput(serializers.Serializer):
    statement = serializers.CharField()
    inspected_on = serializers.DateField(required=False, allow_null=True)
    document = serializers.FileField(required=False)


class DocumentInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DetentionDocument.Kind.choices)
    title = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    internal = serializers.BooleanField(required=False, default=False)
    file = serializers.FileField(help_text=_("PDF, PNG or JPEG, at most 10 MB."))


# --- filters -------------------------------------------------------------------------------


class DetentionFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=DetentionStatus.choices)
    mode = filters.ChoiceFilter(choices=Mode.choices)
    channel = filters.MultipleChoiceFilter(choices=Channel.choices)
    direction = filters.MultipleChoiceFilter(choices=Direction.choices)
    ip_kind = filters.MultipleChoiceFilter(choices=RecordalKind.choices)
    opened_after = filters.DateFilter(field_name="opened_on", lookup_expr="gte")
    opened_before = filters.DateFilter(field_name="opened_on", lookup_expr="lte")
    overdue = filters.BooleanFilter(
        method="filter_overdue", label="With a deadline past due and not dealt with"
    )
    number = filters.CharFilter(field_name="number")
    declaration_number = filters.CharFilter(field_name="declaration_number")

    class Meta:
        model = Detention
        fields = ["office", "port", "holder"]

    def filter_overdue(self, queryset, name, value):
        return selectors.overdue(queryset, value)


# --- views ---------------------------------------------------------------------------------


def _not_found():
    return Response({"detail": "Not found.", "code": "not_found"}, status=404)


class DetentionViewSet(ScopedViewSet):
    """Detention cases the caller may see: officers of the handling office and GACC;
    the holder and its authorised agents for the holder's own cases."""

    queryset = Detention.objects.select_related("office", "port", "holder").order_by(
        "-opened_on", "-id"
    )
    serializer_class = DetentionSerializer
    filterset_class = DetentionFilter
    ordering_fields = ["opened_on", "total_value", "total_items", "next_deadline_at"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        queryset = selectors.with_next_deadline(super().get_queryset())
        if self.action == "retrieve":
            queryset = queryset.select_related("no_penalty_criterion").prefetch_related(
                "goods_lines",
                "recordals",
                "money",
                "referrals",
                "documents",
                Prefetch(
                    "events",
                    queryset=DetentionEvent.objects.select_related("actor").prefetch_related(
                        "documents"
                    ),
                ),
            )
        return queryset

    def get_serializer_class(self):
        # The schema documents the fullest form, the officers'.
        officer = getattr(self, "swagger_fake_view", False) or _is_officer(self.request)
        if self.action == "retrieve":
            return OfficerDetentionDetailSerializer if officer else DetentionDetailSerializer
        return OfficerDetentionSerializer if officer else DetentionSerializer

    def _detail(self, detention, code=status.HTTP_200_OK):
        self.action = "retrieve"
        fresh = self.get_queryset().get(pk=detention.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(request=ExOfficioInput, responses={201: OfficerDetentionDetailSerializer})
    def create(self, request):
        """Officers: suspend release and serve the notice on the holder (R12)."""
        data = ExOfficioInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        lines = values.pop("goods_lines")
        recordals = values.pop("recordals")
        detention = services.detention_open_ex_officio(
            actor=request.user,
            office=values.pop("office", None),
            port=values.pop("port", None),
            served_on=values.pop("served_on", None),
            internal_notes=values.pop("internal_notes"),
            recordals=recordals,
            goods_lines=lines,
            shipment=values,
        )
        return self._detail(detention, status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationInput, responses={201: DetentionDetailSerializer})
    @action(detail=False, methods=["post"])
    def apply(self, request):
        """The holder (or its agent) applies for detention of any right, with evidence and
        a bond equal to the goods value (R18)."""
        data = ApplicationInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        holder = values.pop("holder", None) or request.user.organisation
        lines = values.pop("goods_lines")
        detention = services.detention_apply(
            actor=request.user,
            holder=holder,
            port=values.pop("port"),
            recordals=values.pop("recordals", []),
            goods_lines=lines,
            shipment={k: values.pop(k) for k in list(values) if k in services.SHIPMENT_FIELDS},
            **values,
        )
        return self._detail(detention, status.HTTP_201_CREATED)

    @extend_schema(request=GoodsInput, responses=OfficerDetentionDetailSerializer)
    @action(detail=True, methods=["put"])
    def goods(self, request, pk=None):
        """Officers correct the goods lines before the bond is set on their value."""
        detention = self.get_object()
        _officers_only(request)
        data = GoodsInput(data=request.data)
        data.is_valid(raise_exception=True)
        detention = services.detention_update_goods(
            actor=request.user, detention=detention, goods_lines=data.validated_data["goods_lines"]
        )
        return self._detail(detention)

    @extend_schema(
        request={"multipart/form-data": DocumentInput}, responses={201: CaseDocumentSerializer}
    )
    @action(detail=True, methods=["post"], url_path="documents")
    def add_document(self, request, pk=None):
        detention = self.get_object()
        data = DocumentInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        document = services.detention_attach(
            actor=request.user,
            detention=detention,
            kind=values["kind"],
            upload=values["file"],
            title=values["title"],
            internal=values["internal"],
        )
        return Response(CaseDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>[0-9]+)")
    def document(self, request, pk=None, document_id=None):
        detention = self.get_object()
        documents = detention.documents.all()
        if not _is_officer(request):
            documents = documents.filter(internal=False)
        document = documents.filter(pk=document_id).first()
        if document is None:
            return _not_found()
        return document_response(document.file, document.content_type)

    @extend_schema(request=CostInput, responses={201: MoneyEntrySerializer})
    @action(detail=True, methods=["post"])
    def costs(self, request, pk=None):
        """Officers charge storage, custody or disposal costs to the holder (R27)."""
        detention = self.get_object()
        _officers_only(request)
        data = CostInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.detention_charge_costs(
            actor=request.user, detention=detention, **data.validated_data
        )
        return Response(MoneyEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PaymentInput, responses={201: MoneyEntrySerializer})
    @action(detail=True, methods=["post"])
    def payments(self, request, pk=None):
        """Officers record the holder's payment of costs (R27)."""
        detention = self.get_object()
        _officers_only(request)
        data = PaymentInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.detention_record_payment(
            actor=request.user, detention=detention, **data.validated_data
        )
        return Response(MoneyEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CompensationInput, responses={201: MoneyEntrySerializer})
    @action(detail=True, methods=["post"])
    def compensations(self, request, pk=None):
        """Officers pay the consignor from the bond on a court notice (R28)."""
        detention = self.get_object()
        _officers_only(request)
        data = CompensationInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.detention_compensate_consignor(
            actor=request.user, detention=detention, **data.validated_data
        )
        return Response(MoneyEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StatementInput, responses={201: CaseEventSerializer})
    @action(detail=True, methods=["post"])
    def statements(self, request, pk=None):
        """Officers record the consignor's inspection and written statement (R20)."""
        detention = self.get_object()
        _officers_only(request)
        data = StatementInput(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.detention_record_statement(
            actor=request.user, detention=detention, **data.validated_data
        )
        return Response(CaseEventSerializer(event).data, status=status.HTTP_201_CREATED)


def _transition_endpoint(action_name: str):
    transition = CASE_ACTIONS[action_name]
    Input = ACTION_INPUTS.get(action_name, StepInput)

    def perform(self, request, pk=None):
        detention = self.get_object()
        check_role(detention, action_name, _role(request))
        data = Input(data=request.data)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if v is not None}
        reason, document = values.pop("reason", ""), values.pop("document", None)
        detention = services.detention_transition(
            actor=request.user,
            detention=detention,
            action=action_name,
            reason=reason,
            data=values,
            document=document,
        )
        return self._detail(detention)

    perform.__name__ = action_name
    perform.__doc__ = (
        f"{transition.label} ({transition.rule}). Allowed to: {', '.join(transition.roles)}."
    )
    perform = extend_schema(
        request={"application/json": Input, "multipart/form-data": Input},
        responses=OfficerDetentionDetailSerializer,
    )(perform)
    return action(detail=True, methods=["post"], url_path=action_name.replace("_", "-"))(perform)


for _action in CASE_ACTIONS:
    setattr(DetentionViewSet, _action, _transition_endpoint(_action))


# --- referrals (R25) -------------------------------------------------------------------------


class ReferralEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

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
        return REFERRAL_WORKFLOW.allowed_actions(obj.status, self.context["request"].user.role)


class ReferralInput(serializers.Serializer):
    detention = serializers.IntegerField()
    organ = serializers.CharField(max_length=255)
    grounds = serializers.CharField()
    referred_on = serializers.DateField(required=False)


class ReferralStepInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    police_case_number = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    outcome = serializers.CharField(required=False, allow_blank=True, default="")


class OutcomeInput(serializers.Serializer):
    outcome = serializers.CharField()


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
            return Response({"detention": ["No such case."]}, status=400)
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


def _referral_endpoint(transition):
    def perform(self, request, pk=None):
        referral = self.get_object()
        data = ReferralStepInput(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.referral_transition(
            actor=request.user, referral=referral, action=transition.action, **data.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=referral.pk)).data)

    perform.__name__ = f"referral_{transition.action}"
    perform.__doc__ = f"{transition.label} ({transition.rule})."
    perform = extend_schema(request=ReferralStepInput, responses=ReferralSerializer)(perform)
    return action(detail=True, methods=["post"], url_path=transition.action.replace("_", "-"))(
        perform
    )


for _transition in REFERRAL_WORKFLOW.transitions:
    setattr(ReferralViewSet, f"referral_{_transition.action}", _referral_endpoint(_transition))


# --- the public bond quote (R14, R18) ----------------------------------------------------------


class BondQuoteSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=Mode.choices)
    goods_value = serializers.CharField()
    bond = serializers.CharField()


class BondQuoteView(APIView):
    """The bond a detention needs: R14's tiers ex officio, the goods value on application.
    The same function the services use. No login."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public"

    @extend_schema(
        parameters=[
            OpenApiParameter("mode", str, enum=Mode.values, required=True),
            OpenApiParameter(
                "goods_value", str, required=True, description="Goods value in CNY, e.g. 370000.00"
            ),
        ],
        responses=BondQuoteSerializer,
        auth=[],
    )
    def get(self, request):
        errors = {}
        mode = request.query_params.get("mode", "")
        if mode not in Mode.values:
            errors["mode"] = [f"One of {', '.join(Mode.values)}."]
        raw = request.query_params.get("goods_value", "").strip()
        value = None
        try:
            value = Decimal(raw)
        except (InvalidOperation, ValueError):
            errors["goods_value"] = ["A decimal amount in CNY, e.g. 370000.00."]
        if value is not None:
            if not value.is_finite() or value <= 0:
                errors["goods_value"] = ["Must be a positive amount."]
            elif value.as_tuple().exponent < -2:
                errors["goods_value"] = ["CNY to the fen: at most 2 decimal places."]
            elif value >= Decimal(10) ** 16:
                errors["goods_value"] = ["Too large."]
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        bond = rules.bond_amount(mode, value)
        return Response({"mode": mode, "goods_value": str(rules.fen(value)), "bond": str(bond)})
