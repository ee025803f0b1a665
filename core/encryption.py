"""Encryption at rest of personal data (PIPL): a model field stored as Fernet ciphertext.

The keys come from settings.PERSONAL_DATA_KEYS (env PERSONAL_DATA_KEYS, comma-separated
Fernet keys): the first encrypts, every one decrypts, so a key is rotated by putting the
new one first. Without them one key is derived from SECRET_KEY. A stored value without
the prefix is read as it is (rows written before encryption, or by a bulk loader), so
nothing breaks while a data migration encrypts them. Encrypted values cannot be searched
or filtered in SQL: nothing searches by them."""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models

PREFIX = "fernet:"


def derived_key(secret: str) -> bytes:
    """A Fernet key derived from `secret` (SECRET_KEY by default), for one purpose."""
    digest = hashlib.sha256(f"personal-data-encryption:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


@cache
def _fernet() -> MultiFernet:
    keys = [k for k in getattr(settings, "PERSONAL_DATA_KEYS", []) if k]
    if not keys:
        keys = [derived_key(settings.SECRET_KEY)]
    return MultiFernet([Fernet(key) for key in keys])


setting_changed.connect(lambda **kwargs: _fernet.cache_clear())


def encrypt(value: str) -> str:
    if not value or value.startswith(PREFIX):
        return value
    return PREFIX + _fernet().encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    if not value or not value.startswith(PREFIX):
        return value
    try:
        return _fernet().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        # A key no longer configured: say so plainly rather than fail every page.
        raise ValueError("Personal data encrypted with a key not in PERSONAL_DATA_KEYS.") from None


class EncryptedCharField(models.CharField):
    """A CharField stored encrypted; Python code and forms see the plain text. The column
    is wider than the text (`max_length` is the column's): validate the text's length in
    the input (e.g. the API's serializers)."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value is not None else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value is not None else value
