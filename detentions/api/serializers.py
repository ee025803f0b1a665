"""What the detentions API reads and writes: cases as officers and as the holder side
see them, and the inputs of what is not a step (the steps' own are detentions/inputs.py)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Organisation, Port
from core.api.fields import MONEY, CountryField, LegalDateField
from core.api.serializers import FastModelSerializer
from detentions import personal_data, selectors
from detentions.api.common import _is_officer, _role
from detentions.models import (
    BondForm,
    Channel,
    Detention,
    DetentionDocument,
    DetentionEvent,
    Direction,
    GoodsLine,
    MoneyEntry,
    ProductCategory,
    Referral,
    TransportMode,
)
from detentions.workflow import allowed_actions
from recordals.models import Recordal, RecordalKind

# --- output --------------------------------------------------------------------------------


class GoodsLineSerializer(FastModelSerializer):
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


class CaseEventSerializer(FastModelSerializer):
    actor = serializers.CharField(
        source="actor.username", default=None, read_only=True, allow_null=True
    )
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
            "filed_via",
            "filed_at",
            "at",
            "documents",
        ]

    def get_documents(self, obj) -> list[int]:
        shown = self.context.get("document_ids")
        return [d.pk for d in obj.documents.all() if shown is None or d.pk in shown]


class CaseDocumentSerializer(FastModelSerializer):
    class Meta:
        model = DetentionDocument
        fields = ["id", "kind", "title", "content_type", "size", "internal", "uploaded_at", "event"]


class MoneyEntrySerializer(FastModelSerializer):
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


class ReferralSummarySerializer(FastModelSerializer):
    class Meta:
        model = Referral
        fields = ["id", "organ", "referred_on", "status", "decided_on"]


class DetentionSerializer(FastModelSerializer):
    """A case as the holder side sees it in a list."""

    office_name = serializers.CharField(source="office.name_en", read_only=True)
    port_name = serializers.CharField(source="port.name_en", default=None, read_only=True)
    holder_name = serializers.CharField(source="holder.name_en", read_only=True)
    next_deadline_at = serializers.DateTimeField(read_only=True, allow_null=True)
    next_deadline_kind = serializers.CharField(read_only=True, allow_null=True)
    allowed_actions = serializers.SerializerMethodField()
    priority = serializers.BooleanField(
        read_only=True, help_text=_("The holder is a priority enterprise of a campaign.")
    )
    campaigns = serializers.SerializerMethodField()

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
            "outcome",
            "priority",
            "campaigns",
            "next_deadline_at",
            "next_deadline_kind",
            "allowed_actions",
        ]

    def get_allowed_actions(self, obj) -> list[str]:
        return allowed_actions(obj, _role(self.context["request"]))

    def get_campaigns(self, obj) -> list[str]:
        """Codes of the campaigns the case is counted in (live tags)."""
        return sorted(tag.campaign.code for tag in obj.live_campaign_tags)


class OfficerDetentionSerializer(DetentionSerializer):
    """Officers also see the consignor's and consignee's personal particulars: masked,
    unless the view says the read is the case's detail (PIPL, detentions/personal_data.py)."""

    class Meta(DetentionSerializer.Meta):
        fields = [*DetentionSerializer.Meta.fields, *personal_data.PERSONAL_FIELDS]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.context.get("personal_data") != "unmasked":
            personal_data.masked(data)
        return data


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
    no_penalty_criterion = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
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
        # From the entries the detail shows (prefetched by the view): no aggregate query.
        balance = selectors.money_balance(obj, entries=obj.money.all())
        return {key: str(value) for key, value in balance.items()}

    def get_open_deadlines(self, obj) -> list[dict]:
        deadlines = getattr(obj, "open_deadline_list", None)  # the view's (issue 21)
        if deadlines is None:
            deadlines = selectors.open_deadlines(obj.pk)
        return [
            {
                "id": d.pk,
                "kind": d.kind,
                "due_date": d.due_date,
                "due_at": d.due_at,
                "provisional": d.provisional,
            }
            for d in deadlines
        ]


class DetentionDetailSerializer(DetailMixin, DetentionSerializer):
    class Meta(DetentionSerializer.Meta):
        fields = [*DetentionSerializer.Meta.fields, *DETAIL_FIELDS]


class OfficerDetentionDetailSerializer(DetailMixin, OfficerDetentionSerializer):
    class Meta(OfficerDetentionSerializer.Meta):
        fields = [*OfficerDetentionSerializer.Meta.fields, *DETAIL_FIELDS, "internal_notes"]


# --- input ---------------------------------------------------------------------------------


class GoodsLineInput(serializers.Serializer):
    description = serializers.CharField(label=_("description"), max_length=255)
    hs_code = serializers.RegexField(
        r"^[0-9]{4,10}$",
        label=_("HS code"),
        max_length=10,
        error_messages={"invalid": _("An HS code has 4 to 10 digits.")},
    )
    category = serializers.ChoiceField(label=_("category"), choices=ProductCategory.choices)
    quantity = serializers.IntegerField(label=_("quantity"), min_value=1, max_value=10**12)
    unit = serializers.CharField(label=_("unit"), max_length=20, required=False, default="pieces")
    value = serializers.DecimalField(label=_("value"), min_value=Decimal(0), **MONEY)
    recordal = serializers.IntegerField(label=_("recordal"), required=False, allow_null=True)


class ShipmentInput(serializers.Serializer):
    direction = serializers.ChoiceField(label=_("direction"), choices=Direction.choices)
    channel = serializers.ChoiceField(label=_("channel"), choices=Channel.choices)
    transport_mode = serializers.ChoiceField(
        label=_("transport mode"), choices=TransportMode.choices
    )
    declaration_number = serializers.CharField(
        label=_("declaration number"), max_length=40, required=False, allow_blank=True
    )
    origin_country = CountryField(label=_("origin country"))
    destination_country = CountryField(label=_("destination country"))
    consignor_name = serializers.CharField(label=_("consignor name"), max_length=255)
    consignor_country = CountryField(label=_("consignor country"))
    consignor_address = serializers.CharField(
        label=_("consignor address"), max_length=255, required=False, allow_blank=True
    )
    consignor_contact = serializers.CharField(
        label=_("consignor contact"), max_length=100, required=False, allow_blank=True
    )
    consignor_id_number = serializers.CharField(
        label=_("consignor ID number"), max_length=40, required=False, allow_blank=True
    )
    consignee_name = serializers.CharField(label=_("consignee name"), max_length=255)
    consignee_country = CountryField(label=_("consignee country"))
    consignee_address = serializers.CharField(
        label=_("consignee address"), max_length=255, required=False, allow_blank=True
    )
    goods_lines = GoodsLineInput(label=_("goods lines"), many=True, allow_empty=False)


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
    served_on = LegalDateField(required=False)
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
