"""The one cell cleaner (hefei_cpe/cleaning.py): what clerks type, made comparable. No database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hefei_cpe import cleaning


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("张三", "张三"),
        ("  张 三 ", "张三"),
        ("张　三", "张三"),  # ideographic space
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("阿依古丽.买买提", "阿依古丽·买买提"),
        ("阿依古丽 . 买买提", "阿依古丽·买买提"),
        ("阿依古丽•买买提", "阿依古丽·买买提"),
        ("阿依古丽・买买提", "阿依古丽·买买提"),  # katakana middle dot (Japanese IME)
        ("阿依古丽．买买提", "阿依古丽·买买提"),  # full-width full stop
        ("阿依古丽。买买提", "阿依古丽·买买提"),
        ("阿依古丽··买买提", "阿依古丽·买买提"),
        ("Mary  Smith", "Mary Smith"),
        ("ＭＡＲＹ", "MARY"),
        (None, ""),
    ],
)
def test_a_name_is_stored_in_one_form(typed, stored):
    assert cleaning.name(typed) == stored


def test_names_compare_without_spaces_and_case():
    assert cleaning.same_name("张 三", "张三")
    assert cleaning.same_name("阿依古丽 · 买买提", "阿依古丽•买买提")
    assert cleaning.same_name("mary smith", "Mary Smith")
    assert not cleaning.same_name("张三", "张四")


def test_text_is_half_width_single_spaced_and_joined_between_chinese_characters():
    assert cleaning.text(" 合肥市 第一人民医院 ") == "合肥市第一人民医院"
    assert cleaning.text("Ｗｏｒｌｄ\t Bank") == "World Bank"
    assert (
        cleaning.text(2019.0) == "2019"
        and cleaning.text(dt.datetime(2024, 5, 1, 8)) == "2024-05-01"
    )
    assert cleaning.compact("培 训 学 时") == "培训学时"


def test_an_id_number_is_read_as_typed_but_never_as_an_excel_number():
    assert cleaning.id_number_text(" ３４０１０４１９８７０３１５２３１ｘ ") == "34010419870315231X"
    with pytest.raises(cleaning.CellError, match="15"):
        cleaning.id_number_text(3.40104198703152e17)


def test_numbers():
    assert cleaning.decimal("17.5学时", suffixes=("学时",)) == Decimal("17.5")
    assert cleaning.decimal("１，２００") == Decimal("1200")
    assert cleaning.decimal(8) == Decimal("8") and cleaning.decimal("") is None
    with pytest.raises(cleaning.CellError):
        cleaning.decimal("八")
    with pytest.raises(cleaning.CellError):
        cleaning.decimal("NaN")


def test_years():
    assert cleaning.year("2019年", earliest=1950, latest=2026) == 2019
    assert cleaning.year(2019.0, earliest=1950, latest=2026) == 2019
    assert cleaning.year(" ", earliest=1950, latest=2026) is None
    with pytest.raises(cleaning.CellError, match="1950"):
        cleaning.year("2031", earliest=1950, latest=2026)


@pytest.mark.parametrize(
    "typed",
    [
        "2024-05-01",
        "2024/5/1",
        "2024.5.1",
        "2024年5月1日",
        "20240501",
        "２０２４－０５－０１",
        45413,
        dt.datetime(2024, 5, 1, 9, 30),
        dt.date(2024, 5, 1),
    ],
)
def test_dates(typed):
    assert cleaning.date(typed) == dt.date(2024, 5, 1)


def test_what_is_not_a_date():
    assert cleaning.date("") is None and cleaning.date(None) is None
    for typed in ("2024-02-30", "五月一日", -3):
        with pytest.raises(cleaning.CellError):
            cleaning.date(typed)
