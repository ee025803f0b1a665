"""Admin base: customs officers use the admin; what they see follows accounts/scoping.py."""

from django.contrib import admin, messages

from accounts.scoping import visible_to
from core.errors import DomainError


class ScopedAdmin(admin.ModelAdmin):
    """Officers see what the scoping rule shows them; writes are opt-in per admin class.

    `officer_can_add` / `officer_can_change` / `officer_can_delete` name the roles
    ("gacc_officer", "district_officer") allowed to write. Platform superusers may do all.
    """

    officer_can_add: tuple[str, ...] = ()
    officer_can_change: tuple[str, ...] = ()
    officer_can_delete: tuple[str, ...] = ()

    def get_queryset(self, request):
        return visible_to(request.user, super().get_queryset(request))

    def _officer(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and (user.is_superuser or user.is_officer)

    def has_module_permission(self, request):
        return self._officer(request)

    def has_view_permission(self, request, obj=None):
        return self._officer(request)

    def _may(self, request, roles) -> bool:
        return self._officer(request) and (request.user.is_superuser or request.user.role in roles)

    def has_add_permission(self, request):
        return self._may(request, self.officer_can_add)

    def has_change_permission(self, request, obj=None):
        return self._may(request, self.officer_can_change)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, self.officer_can_delete)

    def run_service(self, request, func, /, **kwargs):
        """Call a service from an admin action; a domain error becomes an error message."""
        try:
            result = func(**kwargs)
        except DomainError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)
            return None
        return result


class OfficerInlineMixin:
    """Inlines follow the same role rule as ScopedAdmin: officers read, named roles write."""

    officer_can_write: tuple[str, ...] = ()

    def _officer(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and (user.is_superuser or user.is_officer)

    def has_view_permission(self, request, obj=None):
        return self._officer(request)

    def _may_write(self, request) -> bool:
        return self._officer(request) and (
            request.user.is_superuser or request.user.role in self.officer_can_write
        )

    def has_add_permission(self, request, obj=None):
        return self._may_write(request)

    def has_change_permission(self, request, obj=None):
        return self._may_write(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request)


class OfficerTabularInline(OfficerInlineMixin, admin.TabularInline):
    pass
