"""Admin base: customs officers use the admin; what they see follows accounts/scoping.py
(installed in core/visibility.py)."""

from django.contrib import admin, messages

from core.errors import DomainError, InvalidInput
from core.visibility import visible_to


def is_admin_officer(user) -> bool:
    """The admin is for customs officers (and platform superusers), signed in as staff."""
    return user.is_active and user.is_staff and (user.is_superuser or user.is_officer)


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
        return is_admin_officer(request.user)

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
        except InvalidInput as exc:
            self.message_user(request, invalid_input_message(exc), level=messages.ERROR)
            return None
        except DomainError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)
            return None
        return result


class OfficerInlineMixin:
    """Inlines follow the same role rule as ScopedAdmin: officers read, named roles write."""

    officer_can_write: tuple[str, ...] = ()

    def _officer(self, request) -> bool:
        return is_admin_officer(request.user)

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


def invalid_input_message(exc: InvalidInput, form=None) -> str:
    """`InvalidInput` as one message naming each field (by its form label when shown)."""
    parts = []
    for field, errors in exc.errors.items():
        text = " ".join(str(error) for error in errors)
        if field == "non_field_errors":
            parts.append(text)
            continue
        label = field
        if form is not None and field in form.fields and form.fields[field].label:
            label = f"{form.fields[field].label} ({field})"
        parts.append(f"{label}: {text}")
    return " ".join(parts)


def add_invalid_input_to_form(exc: InvalidInput, form) -> list[str]:
    """Put the service's errors on the form's fields; return the reason's own errors.
    Errors on fields the form does not show become form-wide errors naming the field."""
    reason_errors = []
    for field, errors in exc.errors.items():
        for error in errors:
            if field == "reason":
                reason_errors.append(str(error))
            elif field in form.fields:
                form.add_error(field, str(error))
            elif field == "non_field_errors":
                form.add_error(None, str(error))
            else:
                form.add_error(None, f"{field}: {error}")
    return reason_errors
