"""Admin base: customs officers use the admin; what they see follows accounts/scoping.py."""

from django.contrib import admin, messages

from accounts.scoping import visible_to
from core.errors import DomainError, InvalidInput
from core.workflow import acting_role


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


class WorkflowAdminMixin:
    """Transition buttons generated from a workflow table (STYLE.md, convention 2).

    The change page lists the actions the officer's role may take from the object's
    current state; each opens a confirmation page with a reason field, and the POST
    calls the subclass's `perform_transition` (a service).

    An action that needs more than a reason names a form in `transition_forms`
    (`{action: FormClass}`). Its fields are drawn under the reason; once valid, the values
    the officer filled in are passed on as `perform_transition(..., data={...})`. Actions
    without a form call `perform_transition` without `data`, as before. A service's
    `InvalidInput` is shown on the page, field by field, with the input kept."""

    workflow = None
    transition_forms: dict = {}
    change_form_template = "admin/workflow_change_form.html"
    transition_template = "admin/workflow_transition.html"

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

    def get_workflow(self, obj):
        """The table the object follows (one per admin unless a subclass chooses)."""
        return self.workflow

    def workflow_role(self, request) -> str | None:
        return acting_role(request.user)

    def allowed_transitions(self, request, obj):
        workflow = self.get_workflow(obj)
        role = self.workflow_role(request)
        return [workflow[a] for a in workflow.allowed_actions(obj.status, role)]

    def get_transition_form_class(self, request, obj, transition):
        return self.transition_forms.get(transition.action)

    def get_transition_form(self, request, obj, transition, data=None, files=None):
        """The action's form, bound to the POST when given; None for reason-only actions."""
        form_class = self.get_transition_form_class(request, obj, transition)
        return None if form_class is None else form_class(data=data, files=files)

    def get_workflow_context(self, request, obj) -> dict:
        """What the change page's object tools draw from (the transition buttons)."""
        return {"transitions": self.allowed_transitions(request, obj)}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = self.get_workflow_context(request, obj) if obj else {}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def transition_view(self, request, object_id, action):
        from django.http import Http404, HttpResponseRedirect
        from django.urls import reverse

        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        transition = next(
            (t for t in self.allowed_transitions(request, obj) if t.action == action), None
        )
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
        )
        if transition is None:
            self.message_user(request, f"'{action}' is not allowed now.", level=messages.ERROR)
            return HttpResponseRedirect(change_url)
        if request.method != "POST":
            form = self.get_transition_form(request, obj, transition)
            return self._render_transition(request, obj, transition, form)
        form = self.get_transition_form(
            request, obj, transition, data=request.POST, files=request.FILES
        )
        reason = request.POST.get("reason", "")
        if form is not None and not form.is_valid():
            return self._render_transition(request, obj, transition, form, reason=reason)
        kwargs = {"request": request, "obj": obj, "action": action, "reason": reason}
        if form is not None:
            kwargs["data"] = filled_values(form.cleaned_data)
        try:
            self.perform_transition(**kwargs)
        except InvalidInput as exc:
            self.message_user(request, invalid_input_message(exc, form), level=messages.ERROR)
            if form is None:
                return HttpResponseRedirect(change_url)
            reason_errors = add_invalid_input_to_form(exc, form)
            return self._render_transition(
                request, obj, transition, form, reason=reason, reason_errors=reason_errors
            )
        except DomainError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)
        else:
            self.message_user(request, f"{transition.label}: done.", level=messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    def _render_transition(self, request, obj, transition, form, reason="", reason_errors=()):
        from django.template.response import TemplateResponse

        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "transition": transition,
            "form": form,
            "reason": reason,
            "reason_errors": list(reason_errors),
            "title": f"{transition.label}: {obj}",
        }
        return TemplateResponse(request, self.transition_template, context)

    def perform_transition(self, *, request, obj, action, reason):
        raise NotImplementedError


def filled_values(cleaned_data: dict) -> dict:
    """The values the officer filled in: unset optional fields (None, "") are left out so
    the service sees them as not given. False from a checkbox is an answer and is kept."""
    return {key: value for key, value in cleaned_data.items() if value not in (None, "", [], ())}


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
