"""Resident ID numbers (公民身份号码) per GB 11643-1999.

18 characters: a 6-digit address code, an 8-digit birth date, a 3-digit sequence code whose
last digit is odd for men and even for women, and an ISO 7064 MOD 11-2 check character.
Input may carry full-width digits, surrounding spaces and a lower-case x; the stored form is
the normalised one (ASCII digits, upper-case X).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
# Province-level codes in use (incl. 81/82/83 for Hong Kong, Macao and Taiwan residence permits).
_PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: dt.date
    gender: str  # "M" or "F"

    @property
    def masked(self) -> str:
        return mask(self.number)


def normalize(raw: str) -> str:
    """Full-width to half-width, surrounding spaces removed, x upper-cased."""
    return unicodedata.normalize("NFKC", raw or "").strip().upper()


def check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def parse(raw: str, *, today: dt.date | None = None) -> ResidentId:
    """Validate and normalise; raise ValidationError with a message that says what is wrong."""
    number = normalize(raw)
    if not number:
        raise ValidationError(_("The resident ID number is empty."), code="empty")
    if len(number) != 18:
        raise ValidationError(
            _("A resident ID number has 18 characters; this one has %(count)d.")
            % {"count": len(number)},
            code="length",
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("A resident ID number is 17 digits followed by a digit or X."), code="format"
        )
    if number[:2] not in _PROVINCE_CODES:
        raise ValidationError(
            _("The address code %(code)s of the resident ID number does not exist.")
            % {"code": number[:6]},
            code="address",
        )
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date %(date)s in the resident ID number is not a real date.")
            % {"date": number[6:14]},
            code="birth_date",
        ) from None
    today = today or dt.date.today()
    if birth.year < 1900 or birth > today:
        raise ValidationError(
            _("The birth date %(date)s in the resident ID number is impossible.")
            % {"date": number[6:14]},
            code="birth_date",
        )
    expected = check_char(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("The check digit of the resident ID number is wrong (it should be %(char)s).")
            % {"char": expected},
            code="check_digit",
        )
    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentId(number=number, birth_date=birth, gender=gender)


def is_valid(raw: str) -> bool:
    try:
        parse(raw)
    except ValidationError:
        return False
    return True


def mask(number: str) -> str:
    """340104********123X: the address code and the last four stay visible."""
    if len(number) != 18:
        return "*" * len(number)
    return f"{number[:6]}{'*' * 8}{number[14:]}"


def compose(address_code: str, birth_date: dt.date, sequence: int) -> str:
    """Build a valid number (for demo data and tests): address, birth date, 3-digit sequence."""
    first17 = f"{address_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
