"""Verification codes: 16 characters of Crockford's base32 (80 random bits), printed in four
groups of four, read back case-insensitively with the usual slips forgiven."""

from __future__ import annotations

import secrets
import unicodedata

# Crockford's alphabet: no I, L, O or U, so nothing reads as another character.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
_SLIPS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def code_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def code_normalise(text: str) -> str | None:
    """The stored form of a typed or scanned code, or None if it cannot be one.

    Full-width characters, spaces, dashes and lower case are accepted; I and L read as 1,
    O as 0. Anything else (a wrong length, a character outside the alphabet) gives None.
    """
    text = unicodedata.normalize("NFKC", text or "").upper()
    text = "".join(ch for ch in text if ch not in " -_.\t\r\n").translate(_SLIPS)
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        return None
    return text
