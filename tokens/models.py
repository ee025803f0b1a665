"""API tokens (django-rest-knox): one per device, each expiring, each revocable.

Knox keeps only a digest of the token; this model adds an id the owner can name when
revoking one, and the device it was issued to (the client's `device` or User-Agent)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS

from core.timezone import instant_text

DEVICE_MAX_LENGTH = 200


class DeviceToken(AbstractAuthToken):
    # An id to revoke by: the digest stays secret, the token key is part of the token.
    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    device = models.CharField(_("device"), max_length=DEVICE_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.user} · {self.device or '-'} · {instant_text(self.created)}"
