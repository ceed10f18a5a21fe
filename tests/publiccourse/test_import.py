"""Exam results from the provincial platform: messy sheets read, every problem named by row and
column, all or nothing, and crediting that never counts a pass twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError

from apps.credits.models import LedgerEntry, PersonYear, Source
from apps.people import idnumber
from apps.publiccourse.importing import Outcome, results_check
from apps.publiccourse.models import ImportBatch, PublicResult
from apps.publiccourse.services import (
    batch_confirm,
    results_import,
    results_preview,
    topic_update,
)
from tests.factories import make_person
from tests.publiccourse.conftest import TOPIC_A, TOPIC_B, row, sheet


def _import(city, content: bytes, *, name="成绩.xlsx", year=2021, skip_unknown=False):
    return results_import(
        officer=city, year=year, file=BytesIO(content), filename=name, skip_unknown=skip_unknown
    )


def _check(content: bytes, *, name="成绩.xlsx", year=2021, skip_unknown=False):
    return results_check(year=year, file=BytesIO(content), filename=name, skip_unknown=skip_unknown)


QUOTED_A = "“十四五”大战略与2035远景目标"  # curly quotes and no 《》: the same topic


def _spaced(number: str) -> str:
    return f"{number[:6]} {number[6:14]} {number[14:]}"


def _problems(check) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.message) for p in check.problems]


def _nothing_written() -> bool:
    return not (
        PublicResult.objects.exists()
        or LedgerEntry.objects.exists()
        or ImportBatch.objects.exists()
    )


def test_it_reads_a_messy_sheet_and_credits_each_pass(city, topics, person, other_person):
    fullwidth = person.reveal_id_number().translate(
        str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    )
    third = make_person(name="赵六")
    content = sheet(
        [
            [1, f" {fullwidth} ", " 李 四 ", f"《{TOPIC_A}》", " 合格 "],
            [None, None, None, None, None],  # a blank line
            [
                2,
                other_person.reveal_id_number().lower(),
                "王五",
                "“十四五”大战略与2035远景目标",
                "是",
            ],
            [3, _spaced(third.reveal_id_number()), "赵六", f"  {TOPIC_B}", "不合格"],
            [4, other_person.reveal_id_number(), "王五", TOPIC_B, "PASS"],
        ],
        headings=["序号", "身份证号", "姓 名", "课程名称", "考核结果"],
    )
    check, batch = _import(city, content)
    assert check.ok, check.problems
    assert batch is not None and batch.status == ImportBatch.Status.CONFIRMED
    assert (batch.rows, batch.passes_credited, batch.failures_recorded) == (4, 3, 1)
    entries = LedgerEntry.objects.filter(source=Source.PUBLIC_COURSE)
    assert entries.count() == 3
    entry = entries.get(person=person)
    assert entry.hours == Decimal("30.0")
    assert entry.subject == "public"
    assert entry.year == 2021
    assert entry.params == {"topic": TOPIC_A}
    assert entry.source_key == f"public:{topics['a'].pk}:person:{person.pk}"
    assert entry.source_label == "公需课考试 2021"
    assert entry.reviewer_name == city.full_name
    assert entry.reviewer_org == city.organisation_name
    assert PersonYear.objects.get(person=other_person, year=2021).public == Decimal("60.0")
    assert not PublicResult.objects.get(person=third).passed


def test_it_credits_nothing_twice_when_the_same_file_comes_again(city, topics, person):
    content = sheet([row(person), row(person, TOPIC_B, "不合格")])
    _import(city, content)
    check, batch = _import(city, content)
    assert check.ok
    assert batch is not None
    assert (batch.passes_credited, batch.passes_known, batch.failures_known) == (0, 1, 1)
    assert LedgerEntry.objects.count() == 1
    assert PublicResult.objects.count() == 2
    assert ImportBatch.objects.count() == 2  # both uploads are in the history
    assert PersonYear.objects.get(person=person, year=2021).public == Decimal("30.0")


def test_a_pass_after_a_failure_is_credited_then(city, topics, person):
    _import(city, sheet([row(person, result="不合格")]))
    assert not LedgerEntry.objects.exists()
    _, batch = _import(city, sheet([row(person, result="合格")]))
    assert batch.passes_credited == 1 and batch.passes_after_failure == 1
    result = PublicResult.objects.get(person=person)
    assert result.passed and result.batch == batch
    assert LedgerEntry.objects.filter(person=person, year=2021).count() == 1


def test_a_failure_after_a_pass_changes_nothing_and_is_said(city, topics, person):
    _, first = _import(city, sheet([row(person)]))
    check, batch = _import(city, sheet([row(person, result="不合格")]))
    assert check.outcomes[Outcome.FAIL_AFTER_PASS] == 1
    assert [w.message for w in check.warnings] == ["此人该专题已考试合格，合格结果保持不变。"]
    assert batch.failures_after_pass == 1
    result = PublicResult.objects.get(person=person)
    assert result.passed and result.batch == first
    assert LedgerEntry.objects.count() == 1


def test_the_preview_writes_no_result_and_no_hours(city, topics, person):
    _, batch = results_preview(
        officer=city, year=2021, file=BytesIO(sheet([row(person)])), filename="a.xlsx"
    )
    assert batch is not None and batch.is_pending
    assert batch.passes_credited == 1
    assert not PublicResult.objects.exists()
    assert not LedgerEntry.objects.exists()
    assert "身份证" not in str(batch.plan) and person.reveal_id_number() not in str(batch.plan)


def test_it_confirms_a_preview_once(city, topics, person):
    _, batch = results_preview(
        officer=city, year=2021, file=BytesIO(sheet([row(person)])), filename="a.xlsx"
    )
    batch_confirm(batch=batch, officer=city)
    with pytest.raises(ValidationError, match="已经导入"):
        batch_confirm(batch=batch, officer=city)
    assert LedgerEntry.objects.count() == 1


def test_a_preview_confirmed_late_is_judged_against_the_results_by_then(city, topics, person):
    content = sheet([row(person)])
    _, late = results_preview(officer=city, year=2021, file=BytesIO(content), filename="a.xlsx")
    # Meanwhile another officer imports the same file.
    from tests.factories import make_user

    other = make_user("city_officer")
    _import(other, content)
    batch = batch_confirm(batch=late, officer=city)
    assert (batch.passes_credited, batch.passes_known) == (0, 1)
    assert LedgerEntry.objects.count() == 1


def test_it_refuses_a_preview_whose_topic_was_closed_since(city, topics, person):
    _, batch = results_preview(
        officer=city, year=2021, file=BytesIO(sheet([row(person)])), filename="a.xlsx"
    )
    topic_update(topic=topics["a"], title=TOPIC_A, sort_order=1, is_active=False)
    with pytest.raises(ValidationError, match="专题已被关闭"):
        batch_confirm(batch=batch, officer=city)
    assert not PublicResult.objects.exists()


def test_it_names_every_problem_by_row_and_column_and_writes_nothing(
    city, topics, person, other_person
):
    topic_update(topic=topics["b"], title=TOPIC_B, sort_order=2, is_active=False)
    stranger = idnumber.compose("340104", dt.date(1990, 1, 1), 11)
    bad_check = person.reveal_id_number()[:17] + (
        "0" if person.reveal_id_number()[17] != "0" else "1"
    )
    content = sheet(
        [
            row(other_person),  # a good row: still not written
            [2, bad_check, "李四", TOPIC_A, "合格"],
            [3, stranger, "陌生人", TOPIC_A, "合格"],
            [4, person.reveal_id_number(), "李思", TOPIC_A, "合格"],
            [5, person.reveal_id_number(), "李四", "不存在的专题", "合格"],
            [6, person.reveal_id_number(), "李四", TOPIC_B, "合格"],
            [7, person.reveal_id_number(), "李四", TOPIC_A, "良好"],
            [8, person.reveal_id_number(), "李四", TOPIC_A, ""],
            [9, other_person.reveal_id_number(), "王五", TOPIC_A, "不合格"],
            [10, "", "", "", "合格"],
        ]
    )
    check, batch = _import(city, content)
    assert batch is None
    assert _nothing_written()
    problems = _problems(check)
    expected = [
        (5, "身份证号码", "身份证号码校验位错误"),
        (6, "身份证号码", "陌生人（340104********"),
        (7, "姓名", "该身份证号码已登记的姓名为 李四，与 李思 不符。"),
        (8, "专题", "“不存在的专题”不是 2021 年度的公需课专题。"),
        (9, "专题", f"专题《{TOPIC_B}》已关闭"),
        (10, "身份证号码", "同一人员的同一专题已在第 7 行出现。"),
        (10, "考试结果", "“良好”不是有效的考试结果"),
        (11, "身份证号码", "同一人员的同一专题已在第 7 行出现。"),
        (11, "考试结果", "考试结果为空"),
        (12, "身份证号码", "同一人员的同一专题已在第 4 行出现。"),
        (13, "身份证号码", "身份证号码为空"),
        (13, "姓名", "姓名为空。"),
        (13, "专题", "专题为空。"),
    ]
    assert len(problems) == len(expected), problems
    for (r, column, message), (want_row, want_column, want) in zip(problems, expected, strict=True):
        assert (r, column) == (want_row, want_column)
        assert want in message, (message, want)


def test_it_skips_unknown_people_only_when_asked(city, topics, person):
    stranger = idnumber.compose("340104", dt.date(1990, 1, 1), 11)
    content = sheet([row(person), [2, stranger, "陌生人", TOPIC_A, "合格"]])
    check, batch = _import(city, content)
    assert batch is None and "勾选“跳过未在平台登记的人员”" in check.problems[0].message
    check, batch = _import(city, content, skip_unknown=True)
    assert batch is not None
    assert (batch.passes_credited, batch.unknown_skipped) == (1, 1)
    assert batch.plan["warnings"] == [
        [5, "身份证号码", "陌生人（340104********0113）未在平台登记，已跳过。"]
    ]


@pytest.mark.parametrize("as_number", [float, int])
def test_it_refuses_an_id_number_that_excel_turned_into_a_number(topics, person, as_number):
    """Whatever is left of it may even pass the check digit: it is never trusted."""
    number = person.reveal_id_number()
    digits = number if number[-1] != "X" else number[:-1] + "0"  # Excel keeps digits only
    check = _check(sheet([[1, as_number(digits), "李四", TOPIC_A, "合格"]]))
    assert _problems(check) == [
        (
            4,
            "身份证号码",
            "Excel 把该身份证号码存成了数字，只保留 15 位有效数字："
            "请把该列设为文本格式后重新录入。",
        )
    ]


def test_it_reads_a_csv_in_gb18030_and_in_utf8(city, topics, person, other_person):
    lines = [
        "公需课考试结果",
        "身份证号码,姓名,专题,考试结果",
        f"{person.reveal_id_number()},李四,{TOPIC_A},合格",
        f"{other_person.reveal_id_number()},王五,{TOPIC_B},否",
    ]
    text = "\r\n".join(lines)
    check = _check(text.encode("gb18030"), name="成绩.CSV")
    assert check.ok and check.outcomes == {Outcome.CREDIT: 1, Outcome.FAIL_NEW: 1}
    check = _check(text.encode("utf-8-sig"), name="成绩.csv")
    assert check.ok and check.rows == 2


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "a.xlsx", "文件是空的"),
        (b"not a workbook", "a.xlsx", "不是有效的 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0", "a.xls", "旧版 Excel"),
        (b"\x80abc\xff", "a.csv", "既不是 UTF-8 也不是 GB18030"),
        (b"\xff\xfe\xfa\x00\x81", "a.csv", "UTF-16"),
        ("序号,单位\n1,x".encode(), "a.csv", "没有包含 “身份证号码”、“姓名” 的表头行"),
        ("身份证号码,姓名,考试结果\n".encode(), "a.csv", "缺少列：专题"),
        ("身份证号码,姓名,专题,考试结果\n,,,\n".encode(), "a.csv", "表头下面没有考试结果行"),
    ],
)
def test_it_rejects_a_file_it_cannot_use(topics, content, name, message):
    check = _check(content, name=name)
    assert len(check.problems) == 1
    assert message in check.problems[0].message
    assert _nothing_written()


def test_it_needs_the_years_topics_first(person):
    check = _check(sheet([row(person)]), year=2030)
    assert "2030 年度尚未录入公需课专题" in check.problems[0].message


def test_it_caps_the_size_and_the_rows(settings, topics, person, other_person):
    settings.PUBLIC_COURSE_IMPORT_MAX_ROWS = 1
    check = _check(sheet([row(person), row(other_person)]))
    assert _problems(check) == [(0, "", "文件超过 1 行，请拆分为多个文件。")]
    settings.PUBLIC_COURSE_IMPORT_MAX_BYTES = 1024
    check = _check(sheet([row(person)]))
    assert check.problems[0].message == "文件超过 1.0\xa0KB，请拆分为多个文件。"


def test_it_imports_with_a_bounded_number_of_queries(city, topics, django_assert_max_num_queries):
    people = [make_person(name=f"人员{n}") for n in range(30)]
    content = sheet([row(p, TOPIC_A if n % 2 else TOPIC_B) for n, p in enumerate(people)])
    with django_assert_max_num_queries(30):
        _, batch = _import(city, content)
    assert batch is not None and batch.passes_credited == 30


def test_an_absence_counts_as_not_passed(city, topics, person):
    check, batch = _import(city, sheet([row(person, result="缺考")]))
    assert check.ok, [p.message for p in check.problems]
    assert batch is not None
    result = PublicResult.objects.get(person=person)
    assert not result.passed
    assert not LedgerEntry.objects.exists()
