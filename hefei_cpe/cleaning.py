"""The one cleaner of spreadsheet cells, for every upload: what clerks type, made comparable.

- `text`: full-width forms to half-width (NFKC), whitespace runs to one space, ends stripped,
  spaces between Chinese characters removed ("合肥 一中" → "合肥一中"); numbers Excel stored
  as floats lose their ".0"; dates become ISO dates.
- `name`: `text`, and the separator of minority names (阿依古丽·买买提) typed as "·", ".", "•",
  "・", "。"… becomes the middle dot "·" without spaces around it. "张 三" → "张三".
  `name_key` is what two names are compared by (`same_name`): no spaces, case folded, so a
  name stored before this cleaner existed ("张 三") still matches.
- `compact`: `text` without any space (headings, result words, codes).
- `id_number_text`: an ID number as typed; a cell Excel stored as a number is refused (Excel
  keeps 15 significant digits, so the last digits of an 18-digit number are lost).
- `decimal`, `year`, `date`: numbers and dates as clerks write them; `CellError` says why not.

Domain checks (the ID number's check digit, known units) belong to the apps; nothing here
touches the database.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
# Separators typed for the middle dot of minority names (after NFKC: "．" is ".", "･" is "・").
_DOTS = "·•‧∙⋅・.。ㆍᐧ"
_DOT_RUN = re.compile(rf"\s*[{re.escape(_DOTS)}]+\s*")
_CJK_GAP = re.compile(rf"(?<=[{_CJK}·])\s+(?=[{_CJK}·])")
_SPACE = re.compile(r"\s+")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})$")
MIDDLE_DOT = "·"


class CellError(ValueError):
    """A cell cannot be read as what its column holds; `message` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel keeps years (and careless codes) as floats
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    cleaned = _SPACE.sub(" ", unicodedata.normalize("NFKC", str(value))).strip()
    return _CJK_GAP.sub("", cleaned)


def compact(value: Any) -> str:
    return _SPACE.sub("", text(value))


def name(value: Any) -> str:
    """A person's name as stored: see the module docstring."""
    cleaned = _DOT_RUN.sub(MIDDLE_DOT, text(value)).strip(MIDDLE_DOT + " ")
    return _CJK_GAP.sub("", cleaned)


def name_key(value: Any) -> str:
    return name(value).replace(" ", "").casefold()


def same_name(first: Any, second: Any) -> bool:
    return name_key(first) == name_key(second)


def id_number_text(value: Any) -> str:
    """The ID number as typed, without spaces, x upper-cased; the check is the caller's."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(
            _(
                "Excel stored this ID number as a number, which keeps only 15 digits: "
                "format the column as text and enter the number again."
            )
        )
    return compact(value).upper()


def decimal(value: Any, *, suffixes: tuple[str, ...] = ()) -> Decimal | None:
    """A number, None for an empty cell; a unit word after it ("17.5学时") may be allowed."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        raw = compact(value)
        for suffix in suffixes:
            if raw.lower().endswith(suffix.lower()):
                raw = raw[: -len(suffix)]
                break
        if not raw:
            return None
        try:
            number = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            raise CellError(_("“%(value)s” is not a number.") % {"value": text(value)}) from None
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": text(value)})
    return number


def year(value: Any, *, earliest: int, latest: int) -> int | None:
    raw = compact(value).removesuffix("年")
    if not raw:
        return None
    if not raw.isdigit() or not earliest <= int(raw) <= latest:
        raise CellError(
            _("“%(value)s” is not a year between %(earliest)d and %(latest)d.")
            % {"value": text(value), "earliest": earliest, "latest": latest}
        )
    return int(raw)


def date(value: Any) -> dt.date | None:
    """A date cell, an Excel serial day number, or 2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日,
    20240501; None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's serial days (1900 system) up to 9999-12-31
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError(_("“%(value)s” is not a date.") % {"value": text(value)})
    raw = compact(value)
    if not raw:
        return None
    match = _DATE.match(raw) or _DATE_DIGITS.match(raw)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellError(
        _("“%(value)s” is not a date; write it as 2024-05-01.") % {"value": text(value)}
    )
