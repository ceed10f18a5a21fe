from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.people import idnumber

STANDARD_EXAMPLE = "11010519491231002X"  # GB 11643-1999's own example


def test_it_accepts_the_standards_own_example():
    rid = idnumber.parse(STANDARD_EXAMPLE)
    assert rid.number == STANDARD_EXAMPLE
    assert rid.birth_date == dt.date(1949, 12, 31)
    assert rid.gender == "F"  # sequence 002: even


def test_it_computes_the_iso_7064_check_character():
    assert idnumber.check_char(STANDARD_EXAMPLE[:17]) == "X"
    assert idnumber.check_char("34010419870315231") == "4"


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",  # lower-case x
        "  11010519491231002X  ",  # surrounding spaces
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits and X
        "１１０１０５１９４９１２３１００２ｘ",  # full-width lower-case x
        "\u300011010519491231002X\t",  # ideographic space
    ],
)
def test_it_normalises_messy_input(raw):
    assert idnumber.parse(raw).number == STANDARD_EXAMPLE


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("110105194912310021", "check_digit"),
        ("110105194912310028", "check_digit"),
        ("34010419870315231X", "check_digit"),
        ("110105194902300023", "birth_date"),  # 30 February
        ("110105194913010023", "birth_date"),  # month 13
        ("110105194900000023", "birth_date"),
        ("110105189912310023", "birth_date"),  # before 1900
        ("110105209912310023", "birth_date"),  # in the future
        ("1101051949123100", "length"),
        ("11010519491231002", "length"),  # 17
        ("11010519491231002XX", "length"),  # 19
        ("110105491231002", "length"),  # old 15-digit form
        ("11010519491231A02X", "format"),
        ("11010519491231002Y", "format"),
        ("", "empty"),
        ("   ", "empty"),
        ("990105194912310020", "address"),
    ],
)
def test_it_rejects_bad_numbers_with_the_reason(raw, code):
    with pytest.raises(ValidationError) as info:
        idnumber.parse(raw, today=dt.date(2026, 11, 27))
    assert info.value.code == code


def test_it_explains_the_error_in_chinese():
    with pytest.raises(ValidationError) as info:
        idnumber.parse("110105194912310021")
    assert info.value.messages == ["身份证号码校验位错误（应为 X）。"]


def test_it_reports_the_length_it_saw():
    with pytest.raises(ValidationError) as info:
        idnumber.parse("11010519491231002")
    assert "17" in info.value.messages[0]


def test_it_accepts_a_male_number_and_derives_the_gender():
    rid = idnumber.parse("340104198703152314")
    assert rid.gender == "M"
    assert rid.birth_date == dt.date(1987, 3, 15)


def test_it_masks_all_but_the_address_code_and_the_last_four():
    assert idnumber.mask(STANDARD_EXAMPLE) == "110105********002X"


def test_it_composes_valid_numbers():
    number = idnumber.compose("340104", dt.date(1990, 1, 2), 37)
    assert idnumber.is_valid(number)
    assert number.startswith("34010419900102037")
