"""The officers' case admin (R12-R28): the list by next deadline, the case read-only with its
goods, timeline, documents, money trail and referrals, and the transition buttons of the
case's own workflow table. Every write goes through detentions/services.py."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Port
from accounts.scoping import acting_role
from core.admin import (
    OfficerTabularInline,
    ScopedAdmin,
    add_invalid_input_to_form,
    invalid_input_message,
    is_admin_officer,
)
from core.errors import DomainError, InvalidInput
from core.timezone import instant_text
from deadlines.models import DeadlineKind
from detentions import inputs, personal_data, selectors, services
from detentions.api.serializers import GoodsLineInput, ShipmentInput
from detentions.desk import CaseQueueFilter
from detentions.models import (
    Detention,
    DetentionDocument,
    DetentionEvent,
    GoodsLine,
    MoneyEntry,
    NoPenaltyCriterion,
    PersonalDataRead,
    Referral,
    ReferralEvent,
)
from detentions.timeline import BALANCES, CaseTimelineColumns, ReferralTimelineColumns
from detentions.workflow import COSTS_STATES, REFERABLE, REFERRAL_WORKFLOW, workflow_for
from engine.admin import WorkflowAdminMixin
from engine.forms import filled_values, schema_form, schema_form_class
from engine.timeline import money
from recordals.models import Recordal

GACC = ("gacc_officer",)


@dataclass(frozen=True)
class CaseOperation:
    """What an officer records on a case outside its workflow table, through a service:
    money (R27, R28), the consignor's statement and inspections (R20), documents, a
    referral to public security (R25). The form is drawn from the API's input schema."""

    name: str
    label: str
    rule: str
    input: type
    service: Callable
    available: Callable = lambda case, balance: True  # offered on the case page now?
    arguments: dict = field(default_factory=dict)  # form field -> the service's argument


def _held(case, balance) -> bool:
    return case.status in services.HELD_STATES


CASE_OPERATIONS = {
    op.name: op
    for op in (
        CaseOperation(
            "charge_costs", _("Charge costs"), "R27", inputs.CostInput,
            services.detention_charge_costs,
            available=lambda case, balance: case.status in COSTS_STATES and case.detained_on,
        ),
        CaseOperation(
            "record_payment", _("Record the holder's payment"), "R27", inputs.PaymentInput,
            services.detention_record_payment,
            available=lambda case, balance: balance["costs_owed"] > 0,
        ),
        CaseOperation(
            "compensate_consignor", _("Pay the consignor's compensation from the bond"),
            "R28", inputs.CompensationInput, services.detention_compensate_consignor,
            available=lambda case, balance: balance["bond_held"] > 0 and case.detained_on,
        ),
        CaseOperation(
            "record_statement", _("Record the consignor's statement"), "R20",
            inputs.StatementInput, services.detention_record_statement, available=_held,
        ),
        CaseOperation(
            "record_inspection", _("Record an inspection of the goods"), "R20",
            inputs.InspectionInput, services.detention_record_inspection,
            available=_held,
        ),
        CaseOperation(
            "add_document", _("Add a document"), "", inputs.DocumentInput,
            services.detention_attach, arguments={"file": "upload"},
            available=lambda case, balance: case.status != "closed",
        ),
        CaseOperation(
            "refer", _("Refer to public security"), "R25", inputs.ReferralCreateInput,
            services.referral_create,
            available=lambda case, balance: case.status in REFERABLE
            and not case.referrals.filter(status__in=("referred", "accepted")).exists(),
        ),
    )
}  # fmt: skip


# --- opening a case (R12) ------------------------------------------------------------------


class OpenCaseForm(forms.Form):
    office = forms.ModelChoiceField(
        label=_("district customs office"),
        queryset=Organisation.objects.filter(
            kind=Organisation.Kind.CUSTOMS, customs_level=Organisation.CustomsLevel.DISTRICT
        ),
        required=False,
        help_text=_("District officers open cases of their own office."),
    )
    port = forms.ModelChoiceField(label=_("port"), queryset=Port.objects.all(), required=False)
    recordal_numbers = forms.CharField(
        label=_("recordal numbers"),
        help_text=_("The recordals the goods infringe, in force on the day of service, "
                    "separated by commas (R12)."),
    )  # fmt: skip
    served_on = forms.DateField(
        label=_("notice served on"), required=False, help_text=_("Today if left empty.")
    )
    notice = forms.FileField(
        label=_("notice"), required=False, help_text=_("The notice served (PDF, PNG, JPEG).")
    )
    internal_notes = forms.CharField(
        label=_("customs-only notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if acting_role(user) == "district_officer":
            del self.fields["office"]
            self.fields["port"].queryset = Port.objects.filter(office_id=user.organisation_id)

    def clean_recordal_numbers(self):
        numbers = [n.strip() for n in self.cleaned_data["recordal_numbers"].split(",") if n.strip()]
        found = {r.number: r for r in Recordal.objects.filter(number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(
                gettext("No such recordal: %(n)s.") % {"n": ", ".join(missing)}
            )
        self.cleaned_data["recordals"] = [found[n] for n in numbers]
        return numbers

    def clean(self):
        data = super().clean()
        data.setdefault("recordals", self.cleaned_data.get("recordals", []))
        return data


def prefilled_goods(query: dict) -> list[dict]:
    """Goods lines given as goods-<n>-<field> in the open page's query string."""
    lines: dict[int, dict] = {}
    for key, value in query.items():
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == "goods" and parts[1].isdigit() and int(parts[1]) < 50:
            lines.setdefault(int(parts[1]), {})[parts[2]] = value
    return [lines[n] for n in sorted(lines)]


ShipmentForm = schema_form_class(ShipmentInput, skip=("goods_lines",))
GoodsFormSet = forms.formset_factory(
    schema_form_class(GoodsLineInput, skip=("recordal",)), extra=3, min_num=1, validate_min=True
)


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


class DetentionEventInline(CaseTimelineColumns, ReadOnlyInline):
    """The timeline: who did what, from which state to which, and why (in the domain's
    words: detentions/timeline.py)."""

    model = DetentionEvent
    fields = [
        "on",
        "at",
        "step",
        "from_state",
        "to_state",
        "actor",
        "reason",
        "details",
        "internal",
    ]
    ordering = ["at", "id"]
    related = ("actor", "detention")


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
        "next_deadline",
        "status",
        "mode",
        "holder",
        "office",
        "port",
        "ip_kind",
        "channel",
        "direction",
        "total_items",
        "total_value",
    ]
    list_filter = [
        CaseQueueFilter,  # the desk's queues
        "status",
        "mode",
        ("office", admin.RelatedOnlyFieldListFilter),
        "channel",
        "direction",
        "ip_kind",
    ]
    # Across goods lines and recordals the admin removes the duplicate rows (distinct).
    search_fields = [
        "number",
        "declaration_number",
        "goods_lines__description",
        "recordals__right_name",
        "right_description",
        "holder__name_en",
        "holder__name_zh",
        "consignor_name",
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

    def get_ordering(self, request):
        # Soonest deadline first, cases without one last (an annotation: not `ordering`).
        return [F("next_deadline_at").asc(nulls_last=True), "-opened_on"]

    def get_readonly_fields(self, request, obj=None):
        return [name for _title, options in self.fieldsets for name in options["fields"]]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # PIPL: the change page shows the personal particulars unmasked; log the read.
        if obj is not None and not add:
            personal_data.personal_data_read(
                reader=request.user, detention=obj, channel=PersonalDataRead.Channel.ADMIN
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("next deadline"), ordering="next_deadline_at")
    def next_deadline(self, obj):
        if obj.next_deadline_at is None:
            return "-"
        return f"{DeadlineKind(obj.next_deadline_kind).label}: {legal_end(obj.next_deadline_at)}"

    @admin.display(description=_("money balance"))
    def money_balance(self, obj):
        balance = selectors.money_balance(obj)
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td></tr>",
            ((BALANCES.get(k, k), money(v)) for k, v in balance.items()),
        )
        return format_html("<table>{}</table>", rows)

    # What officers record outside the table: a form each, drawn from its input schema.

    def get_urls(self):
        return [
            path(
                "open/",
                self.admin_site.admin_view(self.open_view),
                name="detentions_detention_open",
            ),
            path(
                "<path:object_id>/operation/<str:operation>/",
                self.admin_site.admin_view(self.operation_view),
                name="detentions_detention_operation",
            ),
            *super().get_urls(),
        ]

    def open_view(self, request):
        """R12: an officer suspends release of suspected goods and serves the notice on the
        holder: the shipment, the goods (a line each) and the recordals they infringe."""
        if not is_admin_officer(request.user):
            raise PermissionDenied
        posted = request.method == "POST"
        data, files = (request.POST, request.FILES) if posted else (None, None)
        # A GET may prefill the forms (e.g. from a screening hit): ?recordal_numbers=..&
        # consignor_name=..&goods-0-description=..; nothing is saved until the officer posts.
        initial = {} if posted else request.GET.dict()
        case_form = OpenCaseForm(data=data, files=files, user=request.user, initial=initial)
        shipment_form = ShipmentForm(data=data, prefix="shipment", initial=initial)
        goods = GoodsFormSet(data=data, prefix="goods", initial=prefilled_goods(initial) or None)
        forms_valid = posted and all(f.is_valid() for f in (case_form, shipment_form, goods))
        if forms_valid:
            values = case_form.cleaned_data
            try:
                case = services.detention_open_ex_officio(
                    actor=request.user,
                    office=values.get("office"),
                    port=values.get("port"),
                    shipment=filled_values(shipment_form.cleaned_data),
                    recordals=values["recordals"],
                    goods_lines=[filled_values(f.cleaned_data) for f in goods if f.cleaned_data],
                    served_on=values.get("served_on"),
                    internal_notes=values.get("internal_notes") or "",
                    notice=values.get("notice"),
                )
            except InvalidInput as exc:
                self.message_user(request, invalid_input_message(exc), messages.ERROR)
                for form in (case_form, shipment_form):
                    for name, errors in exc.errors.items():
                        if name in form.fields:
                            form.add_error(name, errors)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(
                    request, gettext("%(case)s opened; the notice is served.") % {"case": case},
                    messages.SUCCESS,
                )  # fmt: skip
                return HttpResponseRedirect(
                    reverse("admin:detentions_detention_change", args=[case.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "case_form": case_form,
            "shipment_form": shipment_form,
            "goods": goods,
            "title": _("Open an ex officio case (R12)"),
        }
        return TemplateResponse(request, "admin/detentions/detention/open_form.html", context)

    def changelist_view(self, request, extra_context=None):
        extra = {"can_open_case": is_admin_officer(request.user)}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def case_operations(self, obj) -> list[dict]:
        """The operations that make sense now; the services decide finally."""
        balance = selectors.money_balance(obj)
        return [
            {"op": op, "label": op.label, "rule": op.rule,
             "url": reverse("admin:detentions_detention_operation", args=[obj.pk, op.name])}
            for op in CASE_OPERATIONS.values()
            if op.available(obj, balance)
        ]  # fmt: skip

    def get_workflow_context(self, request, obj) -> dict:
        return {
            **super().get_workflow_context(request, obj),
            "case_operations": self.case_operations(obj),
        }

    def operation_view(self, request, object_id, operation):
        obj = self.get_object(request, object_id)
        op = CASE_OPERATIONS.get(operation)
        if obj is None or op is None:
            raise Http404
        change_url = reverse("admin:detentions_detention_change", args=[obj.pk])
        posted = request.method == "POST"
        form = schema_form(
            op.input, data=request.POST if posted else None, files=request.FILES if posted else None
        )
        if form.is_bound and form.is_valid():
            values = {
                op.arguments.get(k, k): v for k, v in filled_values(form.cleaned_data).items()
            }
            try:
                op.service(actor=request.user, detention=obj, **values)
            except InvalidInput as exc:
                self.message_user(request, invalid_input_message(exc, form), messages.ERROR)
                add_invalid_input_to_form(exc, form)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return HttpResponseRedirect(change_url)
            else:
                self.message_user(
                    request, gettext("%(label)s: done.") % {"label": op.label}, messages.SUCCESS
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "operation": op,
            "form": form,
            "balance": selectors.money_balance(obj),
            "change_url": change_url,
            "title": f"{op.label}: {obj}",
        }
        return TemplateResponse(request, "admin/detentions/detention/operation_form.html", context)

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
    return instant_text(instant)


# --- no-penalty criteria (R24) and referrals (R25) --------------------------------------------


@admin.register(NoPenaltyCriterion)
class NoPenaltyCriterionAdmin(ScopedAdmin):
    """R24's no-penalty grounds are unconfirmed in public law: GACC keeps them as data.
    Retire a criterion (inactive) rather than delete it: decisions cite it."""

    list_display = ["code", "description", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "description"]
    officer_can_add = officer_can_change = GACC


class ReferralEventInline(ReferralTimelineColumns, ReadOnlyInline):
    model = ReferralEvent
    fields = ["at", "step", "from_state", "to_state", "actor", "reason"]
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


@admin.register(PersonalDataRead)
class PersonalDataReadAdmin(ScopedAdmin):
    """PIPL: who was shown which case's personal particulars, when and where. Read-only
    for every officer (ScopedAdmin writes nothing unless a role is named)."""

    list_display = ["at", "reader", "detention", "channel", "fields_shown"]
    list_filter = ["channel"]
    search_fields = ["detention__number", "reader__username"]
    list_select_related = ["reader", "detention"]
    date_hierarchy = "at"
    fields = ["at", "reader", "detention", "channel", "fields_shown"]
    readonly_fields = fields

    @admin.display(description=_("fields shown"))
    def fields_shown(self, obj):
        names = {f.name: f.verbose_name for f in Detention._meta.fields}
        return ", ".join(str(names.get(field, field)) for field in obj.fields)
