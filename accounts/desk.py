"""The accounts' part of the officer's desk (core/admin_site.py): organisations that
registered in the portal and wait for GACC to check their identity before they may file."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Verification
from core.admin_site import DESK_ROWS, DeskQueue, DeskRow, DeskSection
from core.i18n import in_reader_language

QUEUES = (
    (
        Organisation.Kind.RIGHTS_HOLDER, "rightsholder", _("Rights holders awaiting verification"),
        _("No rights holder waits for verification."),
    ),
    (
        Organisation.Kind.IP_AGENCY, "ipagency", _("IP agencies awaiting verification"),
        _("No IP agency waits for verification."),
    ),
)  # fmt: skip


def verification_queue(request):
    """Both kinds' queues in one query: each row carries its kind's count and its place."""
    if not request.user.sees_everything:  # GACC verifies (R3)
        return
    by_kind = Window(Count("pk"), partition_by=[F("kind")])
    place = Window(RowNumber(), partition_by=[F("kind")], order_by=[F("created_at"), F("id")])
    rows = list(
        Organisation.objects.filter(verification=Verification.PENDING)
        .annotate(desk_total=by_kind, desk_place=place)
        .filter(desk_place__lte=DESK_ROWS)
        .order_by("kind", "created_at", "id")
    )
    for kind, model_name, title, empty in QUEUES:
        mine = [org for org in rows if org.kind == kind]
        yield DeskQueue(
            title=title,
            count=mine[0].desk_total if mine else 0,
            url=f"{reverse(f'admin:accounts_{model_name}_changelist')}?verification=pending",
            columns=(_("Unified social credit code"), _("Registered on")),
            rows=tuple(
                DeskRow(
                    label=in_reader_language(org.name_en, org.name_zh),
                    url=reverse(f"admin:accounts_{model_name}_change", args=[org.pk]),
                    details=(
                        org.registration_id,
                        date_format(localtime(org.created_at), "SHORT_DATETIME_FORMAT"),
                    ),
                )
                for org in mine
            ),
            empty=empty,
        )


admin.site.register_desk(DeskSection("accounts.verification", 5, verification_queue))
