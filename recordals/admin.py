from django.contrib import admin
from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from core.admin import OfficerTabularInline, ScopedAdmin
from deadlines.models import Deadline
from engine.admin import WorkflowAdminMixin
from recordals import services
from recordals.models import (
    Attachment,
    ChangeApplication,
    GeneralBond,
    GeneralBondEntry,
    GenuineGoods,
    KnownInfringer,
    Licensee,
    Recordal,
    RecordalEvent,
)
from recordals.timeline import RecordalTimelineColumns
from recordals.workflow import CHANGE_WORKFLOW, GENERAL_BOND_WORKFLOW, RECORDAL_WORKFLOW


class ReadOnlyInline(OfficerTabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in ("id", "recordal")]


class GoodsInline(ReadOnlyInline):
    model = GenuineGoods


class LicenseeInline(ReadOnlyInline):
    model = Licensee


class InfringerInline(ReadOnlyInline):
    model = KnownInfringer


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    exclude = ["file"]


class ChangeInline(ReadOnlyInline):
    model = ChangeApplication


class EventInline(RecordalTimelineColumns, ReadOnlyInline):
    """The timeline: who did what, from which state to which, and why (in the domain's
    words: recordals/timeline.py)."""

    model = RecordalEvent
    fields = ["on", "at", "step", "from_state", "to_state", "actor", "reason", "details"]
    ordering = ["at", "id"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class ReviewDeadlineFilter(admin.SimpleListFilter):
    title = _("review queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("review", _("Waiting for GACC (submitted)")), ("renewal", _("Renewals"))]

    def queryset(self, request, queryset):
        if self.value() == "review":
            return queryset.filter(status="submitted").order_by("review_due", "id")
        if self.value() == "renewal":
            return queryset.filter(status="renewal_requested").order_by("review_due", "id")
        return queryset


@admin.register(Recordal)
class RecordalAdmin(WorkflowAdminMixin, ScopedAdmin):
    """GACC's review queue: submitted recordals by review deadline, decisions with reasons."""

    workflow = RECORDAL_WORKFLOW
    list_display = ["right_name", "number", "kind", "holder", "registration_number", "status",
                    "review_due", "valid_until"]  # fmt: skip
    list_display_links = ["right_name"]  # drafts have no number yet
    list_filter = [ReviewDeadlineFilter, "status", "kind", "is_madrid"]
    search_fields = ["number", "registration_number", "right_name", "holder__name_en",
                     "holder__name_zh", "recorded_holder_name_en",
                     "recorded_holder_name_zh"]  # fmt: skip
    list_select_related = ["holder"]
    inlines = [GoodsInline, LicenseeInline, InfringerInline, AttachmentInline, ChangeInline,
               EventInline]  # fmt: skip
    exclude = ["search_vector", "mark_image", "right_class"]

    def get_ordering(self, request):
        # A review queue reads by its deadline, soonest first.
        if request.GET.get(ReviewDeadlineFilter.parameter_name) in ("review", "renewal"):
            return [F("review_due").asc(nulls_last=True), "id"]
        return super().get_ordering(request)

    def get_queryset(self, request):
        review = Deadline.objects.filter(
            subject_type__model="recordal", subject_id=OuterRef("pk"), status="open",
            kind__in=["recordal_review", "renewal_decision"],
        ).order_by("due_date")  # fmt: skip
        return (
            super()
            .get_queryset(request)
            .annotate(review_due=Subquery(review.values("due_date")[:1]))
        )

    def get_readonly_fields(self, request, obj=None):
        # The classes recorded take the place of the bare class number (0: not split).
        return [
            "recorded_classes" if f.name == "right_class" else f.name
            for f in Recordal._meta.fields
            if f.name not in self.exclude or f.name == "right_class"
        ]

    @admin.display(description=_("review due"), ordering="review_due")
    def review_due(self, obj):
        return obj.review_due

    @admin.display(description=_("classes recorded"))
    def recorded_classes(self, obj):
        """A Madrid mark is recorded per class (one recordal each); any other mark
        with all its Nice classes; copyrights and patents have none."""
        if obj.is_madrid and obj.right_class:
            return _("%(class)s (Madrid mark: one recordal per class)") % {"class": obj.right_class}
        return ", ".join(str(n) for n in obj.nice_classes) or "-"

    def perform_transition(self, *, request, obj, step, reason, data, document):
        return services.recordal_transition(
            actor=request.user, recordal=obj, action=step, reason=reason
        )


class BondEntryInline(ReadOnlyInline):
    model = GeneralBondEntry


@admin.register(GeneralBond)
class GeneralBondAdmin(WorkflowAdminMixin, ScopedAdmin):
    """R15: GACC approves or refuses a holder's general bond; the calls on its guarantor
    and what remains of it."""

    workflow = GENERAL_BOND_WORKFLOW
    list_display = ["holder", "year", "amount", "remaining", "status", "expires_on"]
    list_filter = ["status", "year"]
    search_fields = ["holder__name_en", "guarantee_number", "guarantor_bank"]
    list_select_related = ["holder"]
    inlines = [BondEntryInline]
    readonly_fields = ["remaining"]

    @admin.display(description=_("remaining of the guarantee (CNY)"))
    def remaining(self, obj):
        return services.general_bond_balance(obj)["remaining"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in GeneralBond._meta.fields if f.name != "id"] + ["remaining"]

    def perform_transition(self, *, request, obj, step, reason, data, document):
        approve = step.name == GENERAL_BOND_WORKFLOW.approve_bond.name
        return services.general_bond_decide(
            actor=request.user, bond=obj, approve=approve, reason=reason
        )


@admin.register(ChangeApplication)
class ChangeApplicationAdmin(WorkflowAdminMixin, ScopedAdmin):
    """R8: changes to recorded particulars, decided by GACC; an approved change is applied
    to the recordal."""

    workflow = CHANGE_WORKFLOW
    list_display = ["recordal", "kind", "changed_on", "status", "filed_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recordal__number", "recordal__right_name", "description"]
    list_select_related = ["recordal"]
    ordering = ["status", "filed_at"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ChangeApplication._meta.fields if f.name != "id"]

    def perform_transition(self, *, request, obj, step, reason, data, document):
        approve = step.name == CHANGE_WORKFLOW.approve_change.name
        return services.recordal_decide_change(
            actor=request.user, change=obj, approve=approve, reason=reason
        )
