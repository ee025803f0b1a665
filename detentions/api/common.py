"""Shared by the detentions API: roles, officer checks, money fields."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.response import Response

from core.errors import NotPermitted
from core.workflow import acting_role

MONEY = {"max_digits": 18, "decimal_places": 2}


class OptionalBoolean(serializers.BooleanField):
    """A yes/no the caller must state: omitted is None (not False), even in multipart."""

    default_empty_html = serializers.empty

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_null=True, default=None, **kwargs)


def _role(request) -> str | None:
    return acting_role(request.user)


def _officers_only(request) -> None:
    if not _is_officer(request):
        raise NotPermitted("Only customs officers record this.")


def _is_officer(request) -> bool:
    user = request.user
    return user.is_superuser or getattr(user, "is_officer", False)


def _not_found():
    return Response({"detail": "Not found.", "code": "not_found"}, status=404)
