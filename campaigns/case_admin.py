"""The campaigns' section of the case admin (/admin/detentions/detention/): the priority
enterprise column, the campaign filter, the tags inline and the forms to tag a case by
hand or remove a wrong tag. Detentions knows nothing of campaigns, so campaigns/admin.py
registers this subclass of its case admin in its place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns import selectors, services
from campaigns.models import Campaign, CampaignTag
from core.admin import add_invalid_input_to_form
from core.errors import Conflict, DomainError, InvalidInput
from detentions.admin import DetentionAdmin, ReadOnlyInline


@dataclass(frozen=True)
class CampaignOperation:
    name: str
    label: str
    service: Callable
    campaigns: Callable  # the detention -> the campaigns to choose from


CAMPAIGN_OPERATIONS = {
    op.name: op
    for op in (
        CampaignOperation(
            "tag",
            _("Tag to a campaign"),
            services.campaign_tag,
            lambda case: Campaign.objects.order_by("-starts_on", "code"),
        ),
        CampaignOperation(
            "untag",
            _("Remove a campaign tag"),
            services.campaign_untag,
            lambda case: Campaign.objects.filter(
                tags__detention=case, tags__removed_at__isnull=True
            ).order_by("-starts_on", "code"),
        ),
    )
}


class CampaignTagForm(forms.Form):
    campaign = forms.ModelChoiceField(queryset=Campaign.objects.none(), label=_("Campaign"))
    # Not required here: the services require it, saying what the reason is for.
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 4, "cols": 80})
    )

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].label_from_instance = lambda c: f"{c.code} {c.name}"


class CampaignTagInline(ReadOnlyInline):
    """The campaigns counting the case, by rule or by an officer; a removal is kept (the
    rule does not put the tag back). Changed only through the tag and untag forms."""

    model = CampaignTag
    fk_name = "detention"
    fields = [
        "campaign",
        "source",
        "tagged_by",
        "tagged_at",
        "reason",
        "removed_at",
        "removed_by",
        "removal_reason",
    ]
    ordering = ["tagged_at", "id"]
    related = ("campaign", "tagged_by", "removed_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CampaignFilter(admin.SimpleListFilter):
    """Cases counted in a campaign (live tags)."""

    title = _("campaign")
    parameter_name = "campaign"

    def lookups(self, request, model_admin):
        campaigns = Campaign.objects.only("pk", "code").order_by("-starts_on", "code")
        self.campaigns = {str(campaign.pk): campaign for campaign in campaigns}
        return [(pk, campaign.code) for pk, campaign in self.campaigns.items()]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        campaign = self.campaigns.get(self.value())
        if campaign is None:
            return queryset.none()
        return selectors.tagged(campaign, queryset)


def _after(names: list, anchor: str, name: str) -> list:
    at = names.index(anchor) + 1
    return [*names[:at], name, *names[at:]]


class CampaignCaseAdmin(DetentionAdmin):
    """The case admin, with the campaigns' column, filter, inline and tag forms."""

    list_display = _after(DetentionAdmin.list_display, "holder", "priority")
    list_filter = [*DetentionAdmin.list_filter, CampaignFilter]
    inlines = [*DetentionAdmin.inlines, CampaignTagInline]
    change_form_template = "admin/campaigns/case_change_form.html"  # + the tag buttons

    def get_queryset(self, request):
        return selectors.with_priority(super().get_queryset(request))

    @admin.display(description=_("priority enterprise"), boolean=True, ordering="priority")
    def priority(self, obj):
        """The holder is a priority enterprise of a campaign running when the case opened."""
        return obj.priority

    def get_urls(self):
        return [
            path(
                "<path:object_id>/campaign/<str:operation>/",
                self.admin_site.admin_view(self.campaign_view),
                name="detentions_detention_campaign",
            ),
            *super().get_urls(),
        ]

    def get_workflow_context(self, request, obj) -> dict:
        tagged = obj.campaign_tags.filter(removed_at__isnull=True).exists()
        return {
            **super().get_workflow_context(request, obj),
            "campaign_operations": [
                {
                    "label": op.label,
                    "url": reverse("admin:detentions_detention_campaign", args=[obj.pk, op.name]),
                }
                for op in CAMPAIGN_OPERATIONS.values()
                if op.name == "tag" or tagged
            ],
        }

    # Campaign tags: an officer counts the case in a campaign, or removes a wrong tag.

    def campaign_view(self, request, object_id, operation):
        obj = self.get_object(request, object_id)
        op = CAMPAIGN_OPERATIONS.get(operation)
        if obj is None or op is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        change_url = reverse("admin:detentions_detention_change", args=[obj.pk])
        form = CampaignTagForm(
            data=request.POST if request.method == "POST" else None, campaigns=op.campaigns(obj)
        )
        if form.is_bound and form.is_valid():
            try:
                op.service(actor=request.user, detention=obj, **form.cleaned_data)
            except InvalidInput as exc:
                for error in add_invalid_input_to_form(exc, form):
                    form.add_error("reason", error)
            except Conflict as exc:  # already tagged, or no longer tagged
                form.add_error("campaign", exc.message)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return HttpResponseRedirect(change_url)
            else:
                campaign = form.cleaned_data["campaign"]
                message = gettext("%(operation)s: %(campaign)s.") % {
                    "operation": op.label,
                    "campaign": campaign,
                }
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "operation": op,
            "form": form,
            "title": gettext("%(operation)s: %(case)s") % {"operation": op.label, "case": obj},
        }
        return TemplateResponse(request, "admin/campaigns/case_campaign_form.html", context)
