"""Notifications: the user's own in-app messages (deadlines.models.Notification), unread
first marked, each linking to the page it is about; mark one or all as read."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.scoping import visible_to
from core.timezone import instant_text
from deadlines.models import Notification
from detentions.models import Detention
from portal.views.cases import holder_side

PAGE_SIZE = 25


def _link(notification, detention_type_id) -> str:
    """The page a notification is about: its deadline's case, else the desk."""
    deadline = notification.deadline
    if deadline is not None and deadline.subject_type_id == detention_type_id:
        return reverse("portal:case", args=[deadline.subject_id])
    return reverse("portal:desk") if deadline is not None else ""


@holder_side
def notification_list(request):
    mine = visible_to(request.user, Notification.objects.all()).select_related("deadline")
    show = request.GET.get("show", "")
    if show == "unread":
        mine = mine.filter(read_at__isnull=True)
    page = Paginator(mine.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    detention_type = ContentType.objects.get_for_model(Detention).pk
    rows = [
        {
            "notification": n,
            "at": instant_text(n.created_at),
            "unread": n.read_at is None,
            "url": _link(n, detention_type),
        }
        for n in page.object_list
    ]
    return render(
        request,
        "portal/notifications.html",
        {"page": page, "rows": rows, "show": show},
    )


@require_POST
@holder_side
def mark_read(request):
    """Mark one notification (`id`) or all of the user's (`all`) as read."""
    mine = visible_to(request.user, Notification.objects.filter(read_at__isnull=True))
    value = request.POST.get("id", "")
    if value.isdigit():
        mine = mine.filter(pk=int(value))
    elif not request.POST.get("all"):
        mine = mine.none()
    mine.update(read_at=timezone.now())
    return redirect(f"{reverse('portal:notifications')}?show={request.POST.get('show', '')}")
