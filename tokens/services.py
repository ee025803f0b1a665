"""Issuing and revoking API tokens: one per device, each with its expiry (REST_KNOX)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tokens.models import DEVICE_MAX_LENGTH, DeviceToken


def device_name(*, given: str | None, user_agent: str | None) -> str:
    """The device a token is for: what the client calls it, else its User-Agent."""
    name = (given or "").strip() or (user_agent or "").strip()
    return name[:DEVICE_MAX_LENGTH]


def token_issue(*, user, device: str) -> tuple[DeviceToken, str]:
    """A new token for one device; the others stay valid. Returns (token row, secret):
    the secret is shown once, only its digest is stored."""
    return DeviceToken.objects.create(user=user, device=device)


def tokens_live(*, user):
    """The user's tokens that have not expired (expired ones are deleted when used)."""
    live = Q(expiry__gt=timezone.now()) | Q(expiry__isnull=True)
    return DeviceToken.objects.filter(live, user=user)


@transaction.atomic
def token_revoke(*, token: DeviceToken) -> None:
    token.delete()


@transaction.atomic
def tokens_revoke_all(*, user) -> int:
    """Sign out of every device: all the user's tokens stop working at once."""
    deleted, _ = DeviceToken.objects.filter(user=user).delete()
    return deleted
