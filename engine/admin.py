"""Step buttons and pages in the officers' admin, drawn from a workflow table.

The change page lists the steps the officer may take from the object's current state;
each opens a page with the reasons and the step's own form (its input schema drawn by
engine.forms.step_form). The POST performs the step through the admin's service, whose
errors are shown on the page, field by field, with the input kept."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext

from accounts.scoping import acting_role
from core.admin import add_invalid_input_to_form, invalid_input_message
from core.errors import DomainError, InvalidInput
from core.timezone import local_today
from engine.forms import filled_values, step_form


def not_now(step, obj, today) -> str:
    """Why `step` cannot be taken on `obj` today ("" if its guard lets it through)."""
    if step.guard is None:
        return ""
    try:
        step.guard(obj, today)
    except DomainError as exc:
        return exc.message
    return ""


class WorkflowAdminMixin:
    workflow = None
    change_form_template = "admin/workflow_change_form.html"
    transition_template = "admin/workflow_transition.html"

    def get_urls(self):
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

    def allowed_transitions(self, request, obj):
        return self.get_workflow(obj).allowed(obj.status, acting_role(request.user))

    def step_url(self, obj, step) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse(f"admin:{info[0]}_{info[1]}_transition", args=[obj.pk, step.name])

    def get_workflow_context(self, request, obj) -> dict:
        """The step buttons: the steps the officer's role may take from the object's state,
        each either offered now or shown with the reason it is not possible yet (its guard's
        answer, e.g. until when a period runs)."""
        today = local_today()
        buttons = []
        for step in self.allowed_transitions(request, obj):
            buttons.append({
                "step": step, "url": self.step_url(obj, step), "label": step.label,
                "rule": step.rule, "not_now": not_now(step, obj, today),
            })  # fmt: skip
        return {
            "transitions": buttons,
            "steps_not_now": [b for b in buttons if b["not_now"]],
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = self.get_workflow_context(request, obj) if obj else {}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def transition_view(self, request, object_id, action):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        step = next((s for s in self.allowed_transitions(request, obj) if s.name == action), None)
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
        )
        if step is None:
            self.message_user(
                request,
                gettext("'%(action)s' is not allowed now.") % {"action": action},
                level=messages.ERROR,
            )
            return HttpResponseRedirect(change_url)
        why = not_now(step, obj, local_today())
        if why:
            self.message_user(request, f"{step.label}: {why}", level=messages.WARNING)
            return HttpResponseRedirect(change_url)
        if request.method != "POST":
            return self._render_transition(request, obj, step, step_form(step, obj))
        form = step_form(step, obj, data=request.POST, files=request.FILES)
        reason = request.POST.get("reason", "")
        if form is not None and not form.is_valid():
            return self._render_transition(request, obj, step, form, reason=reason)
        data = filled_values(form.cleaned_data) if form is not None else {}
        document = data.pop("document", None)
        try:
            self.perform_transition(
                request=request, obj=obj, step=step, reason=reason, data=data, document=document
            )
        except InvalidInput as exc:
            self.message_user(request, invalid_input_message(exc, form), level=messages.ERROR)
            if form is None:
                return HttpResponseRedirect(change_url)
            reason_errors = add_invalid_input_to_form(exc, form)
            return self._render_transition(
                request, obj, step, form, reason=reason, reason_errors=reason_errors
            )
        except DomainError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)
        else:
            self.message_user(
                request, gettext("%(step)s: done.") % {"step": step.label}, level=messages.SUCCESS
            )
        return HttpResponseRedirect(change_url)

    def _render_transition(self, request, obj, step, form, reason="", reason_errors=()):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "transition": step,
            "form": form,
            "reason": reason,
            "reason_errors": list(reason_errors),
            "title": f"{step.label}: {obj}",
            "change_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
            ),
        }
        return TemplateResponse(request, self.transition_template, context)

    def perform_transition(self, *, request, obj, step, reason, data, document):
        """Perform the step through the app's service."""
        raise NotImplementedError
