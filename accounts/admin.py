from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    Authorisation,
    Contact,
    CustomsOffice,
    IPAgency,
    Port,
    RightsHolder,
    User,
)
from core.admin import OfficerTabularInline, ScopedAdmin

GACC = ("gacc_officer",)


class ContactInline(OfficerTabularInline):
    model = Contact
    extra = 0
    officer_can_write = GACC


class OrganisationAdmin(ScopedAdmin):
    list_display = ["name_en", "name_zh", "country", "is_domestic", "registration_id", "is_active"]
    list_filter = ["country", "is_active"]
    search_fields = ["name_en", "name_zh", "registration_id"]
    readonly_fields = ["is_domestic", "created_at", "updated_at"]
    inlines = [ContactInline]
    officer_can_add = officer_can_change = GACC
    exclude = ["kind", "customs_code", "customs_level"]
    kind = None

    def save_model(self, request, obj, form, change):
        obj.kind = self.kind
        super().save_model(request, obj, form, change)


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
