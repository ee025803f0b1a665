"""The officers' case admin (R12-R28): the list by next deadline, the case read-only with its
goods, timeline, documents, money trail and referrals, and the transition buttons of the
case's own workflow table. Every write goes through detentions/services.py."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.admin import OfficerTabularInline, ScopedAdmin
from core.errors import DomainError, InvalidInput
from core.timezone import LEGAL_TZ
from deadlines.models import DeadlineKind
from detentions import selectors, services
from detentions.forms import ChargeCostsForm, RecordPaymentForm
from detentions.models import (
    Detention,
    DetentionDocument,
    DetentionEvent,
    GoodsLine,
    MoneyEntry,
    NoPenaltyCriterion,
    Referral,
    ReferralEvent,
)
from detentions.workflow import COSTS_STATES, REFERRAL_WORKFLOW, workflow_for
from engine.admin import WorkflowAdminMixin, add_invalid_input_to_form, invalid_input_message

GACC = ("gacc_officer",)


@dataclass(frozen=True)
class MoneyOperation:
    name: str
    label: str
    rule: str
    form: type[forms.Form]
    service: Callable


MONEY_OPERATIONS = {
    op.name: op
    for op in (
        MoneyOperation(
            "charge_costs",
            _("Charge costs"),
            "R27",
            ChargeCostsForm,
            services.detention_charge_costs,
        ),
        MoneyOperation(
            "record_payment",
            _("Record the holder's payment"),
            "R27",
            RecordPaymentForm,
            services.detention_record_payment,
        ),
    )
}


# --- the case ---------------------------------------------------------------------------------


class ReadOnlyInline(OfficerTabularInline):
    extra = 0
    can_delete = False
    related = ()

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.related)


class GoodsLineInline(ReadOnlyInline):
    model = GoodsLine
    fields = ["description", "hs_code", "category", "quantity", "unit", "value", "recordal"]
    related = ("recordal",)


class DetentionEventInline(ReadOnlyInline):
    """The timeline: who did what, from which state to which, and why."""

    model = DetentionEvent
    fields = [
        "on",
        "at",
        "action",
        "from_status",
        "to_status",
        "actor",
        "reason",
        "data",
        "internal",
    ]
    ordering = ["at", "id"]
    related = ("actor",)


class DetentionDocumentInline(ReadOnlyInline):
    model = DetentionDocument
    fields = ["kind", "title", "content_type", "size", "internal", "uploaded_at", "uploaded_by"]
    related = ("uploaded_by",)


class MoneyEntryInline(ReadOnlyInline):
    model = MoneyEntry
    fields = ["on", "kind", "amount", "cost_kind", "period_from", "period_to", "reference", "actor"]
    ordering = ["at", "id"]
    related = ("actor",)


class ReferralInline(ReadOnlyInline):
    model = Referral
    fields = ["organ", "referred_on", "status", "decided_on", "police_case_number"]
    show_change_link = True
    related = ("detention",)


@admin.register(Detention)
class DetentionAdmin(WorkflowAdminMixin, ScopedAdmin):
    """Cases by next deadline; district officers see their office's cases (scoping).
    campaigns/case_admin.py registers a subclass in its place, with the campaigns' part."""

    list_display = [
        "number",
        "mode",
        "status",
        "office",
        "port",
        "holder",
        "ip_kind",
        "channel",
        "direction",
        "total_items",
        "total_value",
        "next_deadline",
    ]
    list_filter = [
        "status",
        "mode",
        ("office", admin.RelatedOnlyFieldListFilter),
        "channel",
        "direction",
        "ip_kind",
    ]
    search_fields = [
        "number",
        "declaration_number",
        "consignor_name",
        "holder__name_en",
        "holder__name_zh",
    ]
    list_select_related = ["office", "port__office", "holder"]
    inlines = [
        GoodsLineInline,
        DetentionEventInline,
        DetentionDocumentInline,
        MoneyEntryInline,
        ReferralInline,
    ]
    change_form_template = "admin/detentions/detention/change_form.html"  # + money
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "mode",
                    "status",
                    "office",
                    "port",
                    "holder",
                    "opened_on",
                    "next_deadline",
                    "created_by",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
        (
            _("Shipment"),
            {
                "fields": [
                    "direction",
                    "channel",
                    "transport_mode",
                    "declaration_number",
                    "origin_country",
                    "destination_country",
                ]
            },
        ),
        (
            _("Consignor and consignee"),
            {
                "fields": [
                    "consignor_name",
                    "consignor_country",
                    "consignor_address",
                    "consignor_contact",
                    "consignor_id_number",
                    "consignee_name",
                    "consignee_country",
                    "consignee_address",
                ]
            },
        ),
        (
            _("Right"),
            {
                "fields": [
                    "ip_kind",
                    "recordals",
                    "right_description",
                    "right_registration_number",
                    "evidence",
                    "expected_arrival",
                ]
            },
        ),
        (
            _("Goods and determination"),
            {
                "fields": [
                    "total_items",
                    "total_value",
                    "detained_on",
                    "receipt_number",
                    "receipt_served_on",
                    "receipt_served_to",
                    "determined_on",
                    "determination",
                    "exceeds_personal_quantity",
                ]
            },
        ),
        (
            _("Bond and money (R14, R15, R27, R28)"),
            {
                "fields": [
                    "bond_amount",
                    "bond_source",
                    "bond_form",
                    "bond_reference",
                    "general_bond",
                    "money_balance",
                ]
            },
        ),
        (
            _("Outcome (R23, R24)"),
            {
                "fields": [
                    "outcome",
                    "confiscated_on",
                    "decision_served_on",
                    "penalty_tier",
                    "penalty_fine",
                    "undeclared_ip_fine",
                    "no_penalty_criterion",
                    "disposal_method",
                    "disposed_on",
                    "closed_on",
                ]
            },
        ),
        (_("Customs only"), {"fields": ["internal_notes"]}),
    ]

    def get_queryset(self, request):
        return selectors.with_next_deadline(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        return [name for _title, options in self.fieldsets for name in options["fields"]]

    @admin.display(description=_("next deadline"), ordering="next_deadline_at")
    def next_deadline(self, obj):
        if obj.next_deadline_at is None:
            return "-"
        return f"{DeadlineKind(obj.next_deadline_kind).label}: {legal_end(obj.next_deadline_at)}"

    @admin.display(description=_("money balance (CNY)"))
    def money_balance(self, obj):
        balance = selectors.money_balance(obj)
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td></tr>",
            ((k.replace("_", " "), v) for k, v in balance.items()),
        )
        return format_html("<table>{}</table>", rows)

    # Costs and payments (R27): a form each, outside the state table.

    def get_urls(self):
        return [
            path(
                "<path:object_id>/money/<str:operation>/",
                self.admin_site.admin_view(self.money_view),
                name="detentions_detention_money",
            ),
            *super().get_urls(),
        ]

    def money_operations(self, obj) -> list[MoneyOperation]:
        """The money steps that make sense now; the services decide finally."""
        operations = []
        if obj.status in COSTS_STATES and obj.detained_on is not None:
            operations.append(MONEY_OPERATIONS["charge_costs"])
        if selectors.money_balance(obj)["costs_owed"] > 0:
            operations.append(MONEY_OPERATIONS["record_payment"])
        return operations

    def get_workflow_context(self, request, obj) -> dict:
        return {
            **super().get_workflow_context(request, obj),
            "money_operations": self.money_operations(obj),
        }

    def money_view(self, request, object_id, operation):
        obj = self.get_object(request, object_id)
        op = MONEY_OPERATIONS.get(operation)
        if obj is None or op is None:
            raise Http404
        change_url = reverse("admin:detentions_detention_change", args=[obj.pk])
        form = op.form(data=request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                op.service(actor=request.user, detention=obj, **form.cleaned_data)
            except InvalidInput as exc:
                self.message_user(request, invalid_input_message(exc, form), messages.ERROR)
                add_invalid_input_to_form(exc, form)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return HttpResponseRedirect(change_url)
            else:
                self.message_user(request, f"{op.label}: done.", messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "operation": op,
            "form": form,
            "balance": selectors.money_balance(obj),
            "title": f"{op.label}: {obj}",
        }
        return TemplateResponse(request, "admin/detentions/detention/money_form.html", context)

    # Transitions: the case's own table (ex officio or on application).

    def get_workflow(self, obj):
        return workflow_for(obj.mode)

    def perform_transition(self, *, request, obj, step, reason, data, document):
        return services.detention_transition(
            actor=request.user,
            detention=obj,
            action=step,
            reason=reason,
            data=data,
            document=document,
        )


def legal_end(instant: dt.datetime) -> str:
    """A deadline's end in legal time: 24:00 of its last day (R13), not 00:00 of the next."""
    local = instant.astimezone(LEGAL_TZ)
    if local.time() == dt.time.min:
        return f"{(local.date() - dt.timedelta(days=1)).isoformat()} 24:00"
    return local.strftime("%Y-%m-%d %H:%M")


# --- no-penalty criteria (R24) and referrals (R25) --------------------------------------------


@admin.register(NoPenaltyCriterion)
class NoPenaltyCriterionAdmin(ScopedAdmin):
    """R24's no-penalty grounds are unconfirmed in public law: GACC keeps them as data.
    Retire a criterion (inactive) rather than delete it: decisions cite it."""

    list_display = ["code", "description", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "description"]
    officer_can_add = officer_can_change = GACC


class ReferralEventInline(ReadOnlyInline):
    model = ReferralEvent
    fields = ["at", "action", "from_status", "to_status", "actor", "reason"]
    ordering = ["at", "id"]
    related = ("actor",)


@admin.register(Referral)
class ReferralAdmin(WorkflowAdminMixin, ScopedAdmin):
    """Referrals to public security, tracked until accepted, declined or returned (R25)."""

    workflow = REFERRAL_WORKFLOW
    list_display = [
        "detention",
        "organ",
        "referred_on",
        "status",
        "decided_on",
        "police_case_number",
    ]
    list_filter = ["status"]
    search_fields = ["detention__number", "organ", "police_case_number"]
    list_select_related = ["detention"]
    inlines = [ReferralEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("detention")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Referral._meta.fields if f.name != "id"]

    def perform_transition(self, *, request, obj, step, reason, data, document):
        return services.referral_transition(
            actor=request.user, referral=obj, action=step, reason=reason, **data
        )
