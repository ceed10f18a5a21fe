"""Start-up checks of the secrets that protect personal data (used by settings.py).

Each refusal names the variable, so an operator knows what to fix before the portal serves a
single page.
"""

from __future__ import annotations

from collections.abc import Collection

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

# An HMAC key shorter than this can be guessed, and with it every ID number can be confirmed
# against the lookup column by brute force (the ID number space is small).
PII_HASH_KEY_MIN_LENGTH = 32


def check_fernet_keys(name: str, keys: Collection[str]) -> None:
    """Every item of the variable `name` must be a url-safe base64 Fernet key of 32 bytes."""
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise ImproperlyConfigured(
                f"{name}: item {position} is not a Fernet key (url-safe base64 of 32 bytes; "
                "make one with `python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`)."
            ) from None


def check_pii_keys(
    *,
    encryption_keys: Collection[str],
    hash_key: str,
    development_keys: Collection[str],
    debug: bool,
) -> None:
    check_fernet_keys("PII_ENCRYPTION_KEYS", encryption_keys)
    if debug:
        return
    if any(key in development_keys for key in encryption_keys):
        raise ImproperlyConfigured(
            "PII_ENCRYPTION_KEYS holds the development key committed in settings.py; "
            "set production keys when DEBUG is off."
        )
    if hash_key in development_keys:
        raise ImproperlyConfigured(
            "PII_HASH_KEY is the development key committed in settings.py; "
            "set a production key when DEBUG is off."
        )
    if len(hash_key) < PII_HASH_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"PII_HASH_KEY is {len(hash_key)} characters long; use at least "
            f"{PII_HASH_KEY_MIN_LENGTH} random characters when DEBUG is off."
        )


# Django's own bar for a secret key (its check W009); its signatures guard sessions, CSRF tokens
# and the signed links of downloads.
SECRET_KEY_MIN_LENGTH = 50


def check_secret_key(*, secret_key: str, development_key: str, debug: bool) -> None:
    """With DEBUG off, SECRET_KEY may be neither the development key committed in settings.py
    nor shorter than Django's own bar (scripts/serve.sh checks the first too, but a portal
    started any other way — a systemd unit, a container — must refuse it as well)."""
    if debug:
        return
    if secret_key == development_key:
        raise ImproperlyConfigured(
            "SECRET_KEY is the development key committed in settings.py; "
            "set a production key when DEBUG is off."
        )
    if len(secret_key) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"SECRET_KEY is {len(secret_key)} characters long; use at least "
            f"{SECRET_KEY_MIN_LENGTH} random characters when DEBUG is off."
        )
