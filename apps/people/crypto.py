"""Encryption at rest and keyed lookup for resident ID numbers.

The number is stored only as a Fernet token (AES-128-CBC + HMAC, from `cryptography`) and as an
HMAC-SHA256 digest keyed with a separate secret, so equality lookups never need the plaintext and
a copy of the database alone reveals nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver


@cache
def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in settings.PII_ENCRYPTION_KEYS])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "PII_ENCRYPTION_KEYS must be url-safe base64 Fernet keys of 32 bytes "
            "(make one with `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`)."
        ) from exc


@receiver(setting_changed)
def _reset_keys(*, setting: str, **kwargs: object) -> None:
    if setting == "PII_ENCRYPTION_KEYS":
        _fernet.cache_clear()


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted ID number cannot be decrypted with PII_ENCRYPTION_KEYS."
        ) from exc


# Files (claim evidence) are kept as Fernet tokens under the same keys; a token always starts
# with this (version byte 0x80 in url-safe base64), which no PDF, PNG or JPEG does.
TOKEN_PREFIX = b"gAAAAA"


def encrypt_bytes(content: bytes) -> bytes:
    return _fernet().encrypt(content)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(token)
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted file cannot be decrypted with PII_ENCRYPTION_KEYS."
        ) from exc


def is_encrypted(content: bytes) -> bool:
    return content.startswith(TOKEN_PREFIX)


def rotate_bytes(token: bytes) -> bytes:
    """The same content under the first key of PII_ENCRYPTION_KEYS (after a key rotation)."""
    return _fernet().rotate(token)


def rotate(token: str) -> str:
    return _fernet().rotate(token.encode()).decode()


def keyed_hash(normalized: str) -> str:
    return hmac.new(settings.PII_HASH_KEY.encode(), normalized.encode(), hashlib.sha256).hexdigest()
