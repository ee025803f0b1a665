"""Admin base: customs officers use the admin; what they see follows accounts/scoping.py."""

from django.contrib import admin, messages

from accounts.scoping import visible_to
from core.errors import DomainError


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


class WorkflowAdminMixin:
    """Transition buttons generated from a workflow table (STYLE.md, convention 2).

    The change page lists the actions the officer's role may take from the object's
    current state; each opens a confirmation page with a reason field, and the POST
    calls the subclass's `perform_transition` (a service)."""

    workflow = None
    change_form_template = "admin/workflow_change_form.html"

    def get_urls(self):
        from django.urls import path

        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/transition/<str:action>/",
                self.admin_site.admin_view(self.transition_view),
                name=f"{info[0]}_{info[1]}_transition",
            ),
            *super().get_urls(),
        ]

    def allowed_transitions(self, request, obj):
        role = "gacc_officer" if request.user.is_superuser else request.user.role
        return [self.workflow[a] for a in self.workflow.allowed_actions(obj.status, role)]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {"transitions": self.allowed_transitions(request, obj) if obj else []}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def transition_view(self, request, object_id, action):
        from django.http import Http404, HttpResponseRedirect
        from django.template.response import TemplateResponse
        from django.urls import reverse

        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        transition = next(
            (t for t in self.allowed_transitions(request, obj) if t.action == action), None
        )
        if transition is None:
            self.message_user(request, f"'{action}' is not allowed now.", level=messages.ERROR)
        elif request.method == "POST":
            done = self.run_service(
                request, self.perform_transition, request=request, obj=obj,
                action=action, reason=request.POST.get("reason", ""),
            )  # fmt: skip
            if done is not None:
                self.message_user(request, f"{transition.label}: done.", level=messages.SUCCESS)
        else:
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts, "original": obj, "transition": transition,
                "title": f"{transition.label}: {obj}",
            }  # fmt: skip
            return TemplateResponse(request, "admin/workflow_transition.html", context)
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        return HttpResponseRedirect(url)

    def perform_transition(self, *, request, obj, action, reason):
        raise NotImplementedError
