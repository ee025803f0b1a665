"""The campaigns' part of the officer's desk (core/admin_site.py): re-tagging queued or
running after a campaign's rule changed, with its progress."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_to
from campaigns.models import Campaign
from core.admin_site import DeskQueue, DeskRow, DeskSection, count_and_first

RETAGGING = (Campaign.RetagStatus.QUEUED, Campaign.RetagStatus.RUNNING)


def retagging(queryset):
    return queryset.filter(retag_status__in=RETAGGING).order_by("retag_queued_at", "id")


def retag_queue(request):
    count, rows = count_and_first(retagging(visible_to(request.user, Campaign.objects.all())))
    yield DeskQueue(
        title=_("Campaign re-tags running"),
        count=count,
        url=f"{reverse('admin:campaigns_campaign_changelist')}?retag=running",
        columns=(_("State"), _("Cases done")),
        rows=tuple(
            DeskRow(
                label=campaign.code,
                url=reverse("admin:campaigns_campaign_change", args=[campaign.pk]),
                details=(
                    campaign.get_retag_status_display(),
                    f"{campaign.retag_done:,} / {campaign.retag_total:,}",
                ),
            )
            for campaign in rows
        ),
        empty=_("No re-tagging is running."),
    )


admin.site.register_desk(DeskSection("campaigns.retag", 70, retag_queue))
