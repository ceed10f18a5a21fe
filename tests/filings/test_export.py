"""The roster back in the Attachment 2 form: the clerk's layout, printable on A4, formulas made
harmless, and readable again by the roster upload."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.filings.services import roster_check, roster_import
from apps.people.models import IdNumberAccess
from hefei_cpe.xlsx import harmless
from tests.conftest import client_for
from tests.factories import new_id_number
from tests.filings.support import TODAY, csv_bytes, make_plan, row, xlsx_bytes


@pytest.fixture
def plan(staff):
    return make_plan(staff=staff)


def _export(user, plan, django_assert_max_num_queries, queries=7):
    # 7: session, user, plan, roster rows with their people, and one insert into the
    # ID-number access log for the whole roster (2,000 rows a statement).
    client = client_for(user)
    with django_assert_max_num_queries(queries):
        response = client.get(reverse("filings:roster_export", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    # A Chinese name (RFC 5987): the training's title, then 培训人员名册 and the day.
    assert (
        "filename*=UTF-8''" + quote(f"{plan.title}-培训人员名册-")
        in response["Content-Disposition"]
    )
    return response.content


def test_it_exports_the_form_layout(staff, plan, django_assert_max_num_queries):
    numbers = [new_id_number() for _ in range(30)]
    roster_import(
        plan=plan,
        user=staff,
        data=xlsx_bytes([row(i + 1, f"学员{i}", n) for i, n in enumerate(numbers)]),
        filename="a.xlsx",
        today=TODAY,
    )
    content = _export(staff, plan, django_assert_max_num_queries)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value == "继续教育合格人员简明情况汇总表"
    assert "A1:H1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value == f"填报单位：{plan.organiser.name}"
    assert sheet["A4"].value == "培 训 主 题" and sheet["C4"].value == plan.title
    assert sheet["F4"].value == "2026 年 5 月 10 日 至 5 月 12 日"
    assert [c.value for c in sheet[5]][:4] == ["序 号", "姓 名", "单 位", "身 份 证 号 码"]
    assert sheet["D6"].value == numbers[0] and sheet["D6"].data_type == "s"
    assert sheet["F6"].value == 24
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$5:$5"
    assert any(str(c.value).startswith("联系人") for c in sheet["A"] if c.value)


def test_its_queries_do_not_grow_with_the_roster(staff, plan, django_assert_max_num_queries):
    data = xlsx_bytes([row(i + 1, f"学员{i}", new_id_number()) for i in range(200)])
    roster_import(plan=plan, user=staff, data=data, filename="a.xlsx", today=TODAY)
    _export(staff, plan, django_assert_max_num_queries)


def test_the_export_reads_back_as_the_same_roster(staff, plan, django_assert_max_num_queries):
    numbers = [new_id_number() for _ in range(3)]
    rows = [row(i + 1, f"学员{i}", n, hours=12.5) for i, n in enumerate(numbers)]
    roster_import(plan=plan, user=staff, data=xlsx_bytes(rows), filename="a", today=TODAY)
    content = _export(staff, plan, django_assert_max_num_queries)
    check = roster_check(plan=plan, user=staff, data=content, filename="b.xlsx", today=TODAY)
    assert check.ok, check.problems
    assert [line.id_number for line in check.lines] == numbers
    assert check.already == 3
    assert check.header["organiser"] == plan.organiser.name and check.header["topic"] == plan.title


def test_it_makes_formulas_harmless(staff, plan, django_assert_max_num_queries):
    rows = [
        row(1, "甲", new_id_number(), remark='=HYPERLINK("http://evil","点我")', title="+1+2"),
        row(2, "乙", new_id_number(), remark="@SUM(A1)", title="-3"),
    ]
    # CSV: openpyxl would write a text starting with = into an .xlsx as a formula
    roster_import(plan=plan, user=staff, data=csv_bytes(rows), filename="a.csv", today=TODAY)
    sheet = load_workbook(io.BytesIO(_export(staff, plan, django_assert_max_num_queries))).active
    assert sheet["H6"].value == '\'=HYPERLINK("http://evil","点我")'
    assert sheet["H6"].data_type == "s"
    assert sheet["E6"].value == "'+1+2"
    assert sheet["H7"].value == "'@SUM(A1)" and sheet["E7"].value == "'-3"
    assert harmless("\tcmd") == "'\tcmd" and harmless("正常") == "正常" and harmless(3) == 3


def test_a_plan_without_roster_exports_the_blank_form(staff, plan, django_assert_max_num_queries):
    sheet = load_workbook(io.BytesIO(_export(staff, plan, django_assert_max_num_queries))).active
    assert sheet["C4"].value == plan.title
    assert sheet["B6"].value is None and sheet["B6"].border.left.style == "thin"


def test_the_city_exports_any_roster_and_another_base_none(
    staff, other_staff, city, plan, django_assert_max_num_queries
):
    _export(city, plan, django_assert_max_num_queries)
    response = client_for(other_staff).get(reverse("filings:roster_export", args=[plan.pk]))
    assert response.status_code == 404


def test_it_logs_every_full_id_number_it_exports(staff, city, plan, django_assert_max_num_queries):
    numbers = [new_id_number() for _ in range(3)]
    rows = [row(i + 1, f"学员{i}", n) for i, n in enumerate(numbers)]
    roster_import(plan=plan, user=staff, data=xlsx_bytes(rows), filename="a", today=TODAY)
    people = set(plan.roster.values_list("person_id", flat=True))

    _export(staff, plan, django_assert_max_num_queries)
    _export(city, plan, django_assert_max_num_queries)

    log = IdNumberAccess.objects.filter(purpose=IdNumberAccess.Purpose.ROSTER_EXPORT)
    assert log.count() == 6
    for user in (staff, city):
        mine = log.filter(officer=user)
        assert set(mine.values_list("person_id", flat=True)) == people
        assert {entry.detail for entry in mine} == {f"计划 {plan.pk} 的花名册：{plan.title}"}
        assert {entry.ip_address for entry in mine} == {"127.0.0.1"}


def test_the_blank_form_logs_nothing(staff, plan, django_assert_max_num_queries):
    _export(staff, plan, django_assert_max_num_queries)
    assert not IdNumberAccess.objects.exists()


def test_the_export_shows_in_the_access_log(staff, city, plan, django_assert_max_num_queries):
    data = xlsx_bytes([row(1, "学员", new_id_number())])
    roster_import(plan=plan, user=staff, data=data, filename="a", today=TODAY)
    _export(staff, plan, django_assert_max_num_queries)
    person = plan.roster.get().person
    page = client_for(city).get(reverse("people:access_log")).content.decode()
    assert "花名册导出" in page and staff.username in page and person.name in page
    assert f"计划 {plan.pk} 的花名册" in page
