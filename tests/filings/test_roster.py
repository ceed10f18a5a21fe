"""Rosters in the Attachment 2 form: read as people type them, every problem listed at once with
its row, all or nothing on confirmation, and the same roster twice credits nobody twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from apps.accounts.models import Role
from apps.credits.models import LedgerEntry, PersonYear, Source
from apps.filings.models import Plan, RosterRow, RosterUpload
from apps.filings.services import roster_check, roster_confirm, roster_import
from apps.people import idnumber
from apps.people.models import Jurisdiction, Person, Unit
from apps.people.selectors import people_visible_to
from tests.factories import UnitFactory, make_person, make_user, new_id_number
from tests.filings.support import (
    HEADER_BLOCK,
    TODAY,
    csv_bytes,
    make_plan,
    row,
    xlsx_bytes,
)


def _check(plan, staff, data, filename="roster.xlsx", today=TODAY):
    return roster_check(plan=plan, user=staff, data=data, filename=filename, today=today)


def _problems(check):
    return [(p.row, p.column) for p in check.problems]


@pytest.fixture
def plan(staff):
    return make_plan(staff=staff)


def test_it_reads_the_form_as_people_type_it_and_credits_the_qualified(staff, plan):
    hospital = UnitFactory(name="合肥市第一人民医院")
    known = make_person(name="李四", unit=hospital)
    number = known.reveal_id_number()
    fullwidth = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    new_id = new_id_number()
    data = xlsx_bytes(
        [
            row(1, "张 三", f" {new_id.lower()} ", unit="蜀山区 新开 诊所", hours="２４学时"),
            [None] * 8,
            [2, None, None, None, None, None, None, None],  # a pre-numbered empty line
            row(3, " 李四 ", fullwidth, hours=16.5, result=" 合 格"),
            row(4, "王五", new_id_number(), hours=None, result="不合格", unit="合肥市第一人民医院"),
        ]
    )
    check = _check(plan, staff, data)
    assert check.ok, check.problems
    assert check.header["organiser"] == "合肥皖博职业培训学校"
    assert check.header["topic"] == "医院感染防控专题培训"
    assert check.blank_lines == 3  # and the empty line above the footer
    assert (check.new_people, check.passed, check.new_units) == (2, 2, ["蜀山区新开诊所"])

    result = roster_confirm(upload=check.upload, user=staff, today=TODAY)
    assert (result.credited, result.created_people, result.created_units) == (2, 2, 1)
    entries = {e.person_id: e for e in LedgerEntry.objects.all()}
    zhang = Person.objects.get(name="张三")
    assert zhang.unit.name == "蜀山区新开诊所" and zhang.industry.code == "health"
    assert zhang.title == "主治医师"
    assert entries[zhang.pk].hours == Decimal("24.0")
    assert entries[known.pk].hours == Decimal("16.5")
    assert entries[known.pk].kind == "base_training" and entries[known.pk].source == Source.ROSTER
    assert entries[known.pk].year == 2026 and entries[known.pk].subject == "professional"
    assert entries[known.pk].occurred_on == plan.end_date
    assert entries[known.pk].reviewer_org == staff.organiser.name
    assert entries[known.pk].source_key == f"plan:{plan.pk}:person:{known.pk}"
    assert Person.objects.get(name="王五").pk not in entries  # 不合格 earns nothing
    assert PersonYear.objects.get(person=known, year=2026).professional == Decimal("16.5")
    assert RosterRow.objects.filter(plan=plan).count() == 3
    upload = RosterUpload.objects.get()
    assert upload.status == RosterUpload.Status.CONFIRMED and upload.payload == ""


def test_a_unit_first_met_on_a_roster_waits_for_the_city(staff, plan, shushan):
    check = _check(plan, staff, xlsx_bytes([row(1, "赵六", new_id_number(), unit="无名公司")]))
    roster_confirm(upload=check.upload, user=staff, today=TODAY)
    unit = Unit.objects.get(name="无名公司")
    assert unit.needs_placement
    assert unit.jurisdiction.kind == Jurisdiction.Kind.UNPLACED
    person = Person.objects.get(name="赵六")
    officer = make_user(Role.DISTRICT_OFFICER, jurisdiction=shushan)
    assert not people_visible_to(user=officer).filter(pk=person.pk).exists()
    assert people_visible_to(user=make_user(Role.CITY_OFFICER)).filter(pk=person.pk).exists()


def test_it_fills_cells_merged_down_a_column(staff, plan):
    data = xlsx_bytes(
        [
            row(1, "甲一", new_id_number(), unit="合肥市第八中学"),
            row(2, "乙二", new_id_number(), unit=None, hours=None, result=None),
            row(3, "丙三", new_id_number(), unit=None, hours=None, result=None),
        ],
        merges=["C6:C8", "F6:F8", "G6:G8"],
    )
    check = _check(plan, staff, data)
    assert check.ok, check.problems
    assert [(line.unit, line.hours, line.result) for line in check.lines] == [
        ("合肥市第八中学", Decimal("24"), "合格")
    ] * 3


def test_it_reads_a_csv_saved_by_a_chinese_excel(staff, plan):
    data = csv_bytes([row(1, "钱七", new_id_number(), remark="补考通过")], encoding="gb18030")
    check = _check(plan, staff, data, filename="名单.csv")
    assert check.ok, check.problems
    assert check.lines[0].remark == "补考通过"


def test_it_lists_every_row_problem_at_once(staff, plan):
    hospital = UnitFactory(name="合肥市第一人民医院")
    known = make_person(name="李四", unit=hospital)
    twice = new_id_number()
    bad = new_id_number()
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")
    data = xlsx_bytes(
        [
            row(1, "甲", bad),  # check digit wrong
            row(2, "李斯", known.reveal_id_number()),  # disagrees with the known name
            row(3, "乙", twice),
            row(4, "丙", twice),  # the same ID twice
            row(5, "丁", new_id_number(), hours=25),  # above the plan's 24 hours
            row(6, "戊", new_id_number(), result="良好"),  # unknown exam result
            row(7, "己", "34010419850601001"),  # 17 characters
            row(8, "", new_id_number(), unit="", hours="abc"),
        ]
    )
    check = _check(plan, staff, data)
    assert check.upload is None
    found = _problems(check)
    assert (6, "身份证号码") in found
    assert (7, "姓名") in found
    assert (9, "身份证号码") in found
    assert (10, "培训学时") in found
    assert (11, "考试结果") in found
    assert (12, "身份证号码") in found
    assert {(13, "姓名"), (13, "单位"), (13, "培训学时")} <= set(found)
    messages = {(p.row, p.column): p.message for p in check.problems}
    assert "第 8 行" in messages[(9, "身份证号码")]
    assert "24" in messages[(10, "培训学时")]
    assert "李四" not in messages[(7, "姓名")]  # the registered name is not revealed
    assert found == sorted(found, key=lambda p: p[0])
    assert not RosterUpload.objects.exists()


def test_it_names_the_missing_columns(staff, plan):
    whole = [list(r) for r in HEADER_BLOCK]
    whole[-1] = ["序号", "姓名", "单位", "身份证号码", "培训学时"]
    whole.append([1, "甲", "某单位", new_id_number(), 24])
    check = _check(plan, staff, xlsx_bytes([], whole=whole))
    assert len(check.problems) == 1
    assert check.problems[0].row == 5
    assert "技术职称" in check.problems[0].message and "考试结果" in check.problems[0].message


def test_it_refuses_a_sheet_without_the_column_row(staff, plan):
    check = _check(plan, staff, xlsx_bytes([], whole=[["名单"], ["张三", "340104"]]))
    assert check.problems[0].row == 0 and "姓名" in check.problems[0].message


@pytest.mark.parametrize(
    "status", [Plan.Status.FILED, Plan.Status.RETURNED, Plan.Status.REFUSED, Plan.Status.WITHDRAWN]
)
def test_it_refuses_a_roster_for_a_plan_not_acknowledged(staff, status):
    plan = make_plan(staff=staff, status=status)
    check = _check(plan, staff, xlsx_bytes([row(1, "甲", new_id_number())]))
    assert check.upload is None and check.problems[0].row == 0


def test_it_refuses_a_roster_before_the_training_has_ended(staff):
    plan = make_plan(staff=staff, start=dt.date(2026, 5, 30), end=TODAY)
    check = _check(plan, staff, xlsx_bytes([row(1, "甲", new_id_number())]))
    assert check.upload is None and TODAY.isoformat() in check.problems[0].message
    later = _check(
        plan, staff, xlsx_bytes([row(1, "甲", new_id_number())]), today=TODAY + dt.timedelta(1)
    )
    assert later.ok


def test_only_the_plans_base_reports_its_roster(staff, other_staff, plan):
    with pytest.raises(ValidationError):
        _check(plan, other_staff, xlsx_bytes([row(1, "甲", new_id_number())]))


def test_the_same_roster_twice_credits_nobody_twice(staff, plan):
    data = xlsx_bytes([row(1, "甲", new_id_number()), row(2, "乙", new_id_number(), hours=12)])
    _, result = roster_import(plan=plan, user=staff, data=data, filename="a.xlsx", today=TODAY)
    assert result is not None and result.credited == 2
    totals = list(PersonYear.objects.order_by("person_id").values_list("professional", flat=True))
    again, result = roster_import(plan=plan, user=staff, data=data, filename="a.xlsx", today=TODAY)
    assert again.already == 2 and again.new_people == 0
    assert result is not None and (result.credited, result.already) == (0, 2)
    assert LedgerEntry.objects.count() == 2
    assert RosterRow.objects.count() == 2
    assert Person.objects.count() == 2
    assert (
        list(PersonYear.objects.order_by("person_id").values_list("professional", flat=True))
        == totals
    )


def test_a_second_roster_adds_only_the_people_not_yet_on_it(staff, plan):
    first = new_id_number()
    roster_import(
        plan=plan, user=staff, data=xlsx_bytes([row(1, "甲", first)]), filename="a", today=TODAY
    )
    data = xlsx_bytes([row(1, "甲", first), row(2, "乙", new_id_number())])
    _, result = roster_import(plan=plan, user=staff, data=data, filename="b", today=TODAY)
    assert result is not None and (result.credited, result.already) == (1, 1)
    assert list(plan.roster.values_list("number", "name")) == [(1, "甲"), (2, "乙")]


def test_confirming_writes_everything_or_nothing(staff, plan):
    check = _check(
        plan,
        staff,
        xlsx_bytes([row(1, "甲", new_id_number(), unit="新单位"), row(2, "乙", new_id_number())]),
    )
    with (
        mock.patch("apps.filings.services.entries_record", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        roster_confirm(upload=check.upload, user=staff, today=TODAY)
    assert not Person.objects.exists()
    assert not Unit.objects.filter(name="新单位").exists()
    assert not RosterRow.objects.exists()
    assert not LedgerEntry.objects.exists()
    check.upload.refresh_from_db()
    assert check.upload.status == RosterUpload.Status.CHECKED
    roster_confirm(upload=check.upload, user=staff, today=TODAY)
    assert LedgerEntry.objects.count() == 2


def test_confirming_checks_again_against_the_database(staff, plan):
    number = new_id_number()
    check = _check(plan, staff, xlsx_bytes([row(1, "甲", number), row(2, "乙", new_id_number())]))
    make_person(name="另一个名字", id_number=number)  # registered meanwhile under another name
    with pytest.raises(ValidationError) as caught:
        roster_confirm(upload=check.upload, user=staff, today=TODAY)
    assert "第 6 行" in caught.value.messages[0]
    assert Person.objects.count() == 1 and not LedgerEntry.objects.exists()


def test_an_upload_is_confirmed_once_and_only_by_its_base(staff, other_staff, plan):
    check = _check(plan, staff, xlsx_bytes([row(1, "甲", new_id_number())]))
    with pytest.raises(ValidationError):
        roster_confirm(upload=check.upload, user=other_staff, today=TODAY)
    roster_confirm(upload=check.upload, user=staff, today=TODAY)
    with pytest.raises(ValidationError):
        roster_confirm(upload=check.upload, user=staff, today=TODAY)


def test_a_new_check_supersedes_an_unconfirmed_one(staff, plan):
    first = _check(plan, staff, xlsx_bytes([row(1, "甲", new_id_number())]))
    second = _check(plan, staff, xlsx_bytes([row(1, "乙", new_id_number())]))
    first.upload.refresh_from_db()
    assert first.upload.status == RosterUpload.Status.DISCARDED and first.upload.payload == ""
    assert second.upload.status == RosterUpload.Status.CHECKED


def test_the_kept_upload_holds_no_clear_id_number(staff, plan):
    number = new_id_number()
    check = _check(plan, staff, xlsx_bytes([row(1, "甲", number)]))
    upload = RosterUpload.objects.get(pk=check.upload.pk)
    assert number not in upload.payload
    assert number not in str(upload.summary) + str(upload.header)
    assert idnumber.is_valid(number)
