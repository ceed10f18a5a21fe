"""Unified social credit codes (统一社会信用代码) per GB 32100-2015: 18 characters from a
31-character alphabet, the last one a MOD 31 check character."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_char(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalize(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw or "").strip().upper()


def parse(raw: str) -> str:
    code = normalize(raw)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d.")
            % {"count": len(code)},
            code="length",
        )
    if any(c not in ALPHABET for c in code):
        raise ValidationError(
            _("A unified social credit code uses digits and capital letters except I, O, S, V, Z."),
            code="format",
        )
    expected = check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check character of the unified social credit code is wrong "
                "(it should be %(char)s)."
            )
            % {"char": expected},
            code="check",
        )
    return code
