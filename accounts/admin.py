from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.models import (
    Authorisation,
    AuthorisationRequest,
    Contact,
    CustomsOffice,
    IPAgency,
    Port,
    RightsHolder,
    User,
)
from core.admin import OfficerTabularInline, ScopedAdmin
from core.api.documents import document_response

GACC = ("gacc_officer",)


class ContactInline(OfficerTabularInline):
    model = Contact
    extra = 0
    officer_can_write = GACC


class OrganisationAdmin(ScopedAdmin):
    list_display = [
        "name_en", "name_zh", "country", "is_domestic", "registration_id", "verification",
        "is_active",
    ]  # fmt: skip
    list_filter = ["verification", "country", "is_active"]
    search_fields = ["name_en", "name_zh", "registration_id"]
    readonly_fields = [
        "is_domestic", "verification", "verified_at", "verified_by", "verification_note",
        "identity_document_link", "created_at", "updated_at",
    ]  # fmt: skip
    inlines = [ContactInline]
    officer_can_add = officer_can_change = GACC
    exclude = ["kind", "customs_code", "customs_level", "identity_document",
               "identity_document_content_type"]  # fmt: skip
    actions = ["verify_organisations"]
    kind = None

    def save_model(self, request, obj, form, change):
        obj.kind = self.kind
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Verify the selected organisations (identity checked)"))
    def verify_organisations(self, request, queryset):
        """The step that lets a portal-registered organisation file and act (GACC)."""
        done = 0
        for organisation in queryset:
            if self.run_service(
                request, services.organisation_verify, actor=request.user, organisation=organisation
            ):
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d organisation verified.", "%(count)d organisations verified.", done
                )
                % {"count": done},
                level=messages.SUCCESS,
            )

    @admin.display(description=_("identity document"))
    def identity_document_link(self, obj):
        if not obj.identity_document:
            return "-"
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_identity", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open the identity document"))

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<int:pk>/identity-document/",
                self.admin_site.admin_view(self.identity_document),
                name=f"{opts.app_label}_{opts.model_name}_identity",
            ),
            *super().get_urls(),
        ]

    def identity_document(self, request, pk):
        organisation = get_object_or_404(self.get_queryset(request), pk=pk)
        if not organisation.identity_document:
            raise Http404
        return document_response(
            organisation.identity_document, organisation.identity_document_content_type
        )


@admin.register(RightsHolder)
class RightsHolderAdmin(OrganisationAdmin):
    kind = "rights_holder"


@admin.register(IPAgency)
class IPAgencyAdmin(OrganisationAdmin):
    kind = "ip_agency"


class PortInline(OfficerTabularInline):
    model = Port
    fk_name = "office"
    extra = 0
    officer_can_write = GACC
    fields = ["name_en", "name_zh", "customs_code", "is_active"]


@admin.register(CustomsOffice)
class CustomsOfficeAdmin(OrganisationAdmin):
    kind = "customs"
    list_display = ["customs_code", "name_en", "name_zh", "customs_level"]
    list_filter = ["customs_level"]
    search_fields = ["name_en", "name_zh", "customs_code"]
    exclude = ["kind", "country", "registration_id"]
    inlines = [PortInline, ContactInline]
    ordering = ["customs_code"]


@admin.register(Port)
class PortAdmin(ScopedAdmin):
    list_display = ["name_en", "name_zh", "office", "customs_code", "is_active"]
    list_filter = ["office"]
    search_fields = ["name_en", "name_zh", "customs_code"]
    list_select_related = ["office"]
    officer_can_add = officer_can_change = GACC


@admin.register(Authorisation)
class AuthorisationAdmin(ScopedAdmin):
    list_display = ["agency", "holder", "starts_on", "ends_on", "revoked_at"]
    list_filter = ["starts_on", "ends_on"]
    search_fields = ["agency__name_en", "holder__name_en"]
    list_select_related = ["agency", "holder"]
    readonly_fields = [
        "created_at",
        "created_by",
        "revoked_at",
        "revoked_by",
        "document_content_type",
    ]
    autocomplete_fields = ["agency", "holder"]


@admin.register(AuthorisationRequest)
class AuthorisationRequestAdmin(ScopedAdmin):
    """Agencies' requests for a power of attorney (R3): GACC may record the holder's answer."""

    list_display = ["agency", "holder", "starts_on", "ends_on", "status", "requested_at"]
    list_filter = ["status"]
    search_fields = ["agency__name_en", "holder__name_en"]
    list_select_related = ["agency", "holder"]
    readonly_fields = [
        "agency", "holder", "starts_on", "ends_on", "document_content_type", "notes", "status",
        "requested_at", "requested_by", "decided_at", "decided_by", "decline_reason",
        "authorisation",
    ]  # fmt: skip
    exclude = ["document"]
    actions = ["accept_requests"]

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Record the holder's acceptance (grant the authorisation)"))
    def accept_requests(self, request, queryset):
        for item in queryset:
            self.run_service(
                request, services.authorisation_request_accept, actor=request.user, request=item
            )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Platform administrators manage accounts; officers manage their own office's users."""

    list_display = ["username", "email", "organisation", "role", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "organisation__kind"]
    list_select_related = ["organisation"]
    search_fields = ["username", "email", "first_name", "last_name", "organisation__name_en"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Organisation"), {"fields": ["organisation", "phone", "preferred_language"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Organisation"), {"fields": ["organisation", "email"]}),
    ]

    @admin.display(description=_("role"))
    def role(self, obj):
        role = obj.role
        return User.Role(role).label if role else "-"
