from django.contrib import admin
from django.db.models import OuterRef, Subquery
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
from recordals.workflow import RECORDAL_WORKFLOW


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


class EventInline(ReadOnlyInline):
    """The timeline: who did what, from which state to which, and why."""

    model = RecordalEvent
    ordering = ["at", "id"]


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
    list_display = ["number", "right_name", "kind", "holder", "registration_number", "status",
                    "review_due", "valid_until"]  # fmt: skip
    list_filter = [ReviewDeadlineFilter, "status", "kind", "is_madrid"]
    search_fields = ["number", "registration_number", "right_name", "holder__name_en",
                     "holder__name_zh", "recorded_holder_name_en",
                     "recorded_holder_name_zh"]  # fmt: skip
    list_select_related = ["holder"]
    inlines = [GoodsInline, LicenseeInline, InfringerInline, AttachmentInline, ChangeInline,
               EventInline]  # fmt: skip
    exclude = ["search_vector", "mark_image"]

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
        return [f.name for f in Recordal._meta.fields if f.name not in self.exclude]

    @admin.display(description=_("review due"), ordering="review_due")
    def review_due(self, obj):
        return obj.review_due

    def perform_transition(self, *, request, obj, step, reason, data, document):
        return services.recordal_transition(
            actor=request.user, recordal=obj, action=step, reason=reason
        )


class BondEntryInline(ReadOnlyInline):
    model = GeneralBondEntry


@admin.register(GeneralBond)
class GeneralBondAdmin(ScopedAdmin):
    list_display = ["holder", "year", "amount", "remaining", "status", "expires_on"]
    list_filter = ["status", "year"]
    search_fields = ["holder__name_en", "guarantee_number", "guarantor_bank"]
    list_select_related = ["holder"]
    inlines = [BondEntryInline]
    readonly_fields = ["remaining"]

    @admin.display(description=_("remaining of the guarantee (CNY)"))
    def remaining(self, obj):
        return services.general_bond_balance(obj)["remaining"]
