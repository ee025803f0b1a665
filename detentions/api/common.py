"""Shared by the detentions API: roles, officer checks, money fields."""

from __future__ import annotations

from django.utils.translation import gettext
from rest_framework.response import Response

from accounts.scoping import acting_role
from core.errors import NotPermitted


def _role(request) -> str | None:
    return acting_role(request.user)


def _officers_only(request) -> None:
    if not _is_officer(request):
        raise NotPermitted(gettext("Only customs officers record this."))


def _is_officer(request) -> bool:
    user = request.user
    return user.is_superuser or getattr(user, "is_officer", False)


def _not_found():
    return Response({"detail": gettext("Not found."), "code": "not_found"}, status=404)
