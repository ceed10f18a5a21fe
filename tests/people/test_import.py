"""Bulk registration from a messy, real-looking Excel sheet: all or nothing, every problem named."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.people import idnumber
from apps.people.importing import people_import, people_import_check, people_import_confirm
from apps.people.models import Person
from tests.factories import UnitFactory

HEADINGS = [
    "序号",
    "姓名",
    "身份证号码",
    "单位",
    "技术职称",
    "职称级别",
    "取得现职称年份",
    "行业",
    "调入合肥年份",
]


def _id(n: int) -> str:
    return idnumber.compose("340104", dt.date(1980, 1, 1) + dt.timedelta(days=n), 30 + n)


def _sheet(rows, *, title_row: bool = True) -> bytes:
    book = Workbook()
    sheet = book.active
    if title_row:
        sheet.append(["蜀山区2026年专业技术人员名册"])  # a title above the headings, as clerks do
        sheet.append([])
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def unit(shushan):
    return UnitFactory(jurisdiction=shushan, name="蜀山区琥珀小学")


def _upload(client, content: bytes, name: str = "名册.xlsx"):
    return client.post(reverse("people:import"), {"file": SimpleUploadedFile(name, content)})


def test_it_registers_a_messy_but_valid_sheet(officer_client, unit):
    fullwidth = _id(2).translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    content = _sheet(
        [
            [1, "张 三", _id(1), "蜀山区琥珀小学", "一级教师", "中级", 2019.0, "教育", None],
            [2, " 李四 ", fullwidth, " 蜀山区琥珀小学 ", None, None, None, None, "2022"],
            [None, None, None, None, None, None, None, None, None],  # blank line
            [
                3,
                "王五",
                _id(3).lower() + " ",
                "蜀山区琥珀小学",
                "高级教师",
                "副高级",
                "2015",
                "",
                "",
            ],
        ]
    )
    response = _upload(officer_client, content)
    assert response.status_code == 302  # to the preview; nothing is registered yet
    assert not Person.objects.filter(unit=unit).exists()
    preview = officer_client.get(response["Location"])
    assert preview.status_code == 200 and preview.context["upload"].new_count == 3
    assert "340104********" in preview.content.decode()  # masked, never the full number
    confirm = preview.context["upload"].pk
    done = officer_client.post(reverse("people:import_confirm", args=[confirm]))
    assert done["Location"] == reverse("people:list")
    people = {p.name: p for p in Person.objects.filter(unit=unit)}
    assert set(people) == {"张三", "李四", "王五"}  # the inner space of 张 三 is a typing habit
    assert people["张三"].title_year == 2019 and people["张三"].industry.name == "教育"
    assert people["李四"].transferred_in_year == 2022 and people["李四"].industry.code == "general"
    assert people["王五"].title_level == "associate_senior"
    assert people["李四"].reveal_id_number() == _id(2)


def test_it_changes_nothing_when_the_same_sheet_comes_twice(officer, unit):
    content = _sheet([[1, "张三", _id(1), "蜀山区琥珀小学"]])
    first = people_import(officer=officer, file=BytesIO(content), filename="a.xlsx")
    second = people_import(officer=officer, file=BytesIO(content), filename="a.xlsx")
    assert (first.created, second.created, second.unchanged) == (1, 0, 1)
    assert Person.objects.filter(unit=unit).count() == 1


def test_it_lists_every_problem_by_row_and_writes_nothing(officer_client, unit, baohe, person):
    UnitFactory(jurisdiction=baohe, name="包河区某单位")
    content = _sheet(
        [
            [1, "", _id(1), "蜀山区琥珀小学"],  # row 4: no name
            [2, "甲", "110105194912310021", "蜀山区琥珀小学"],  # row 5: check digit
            [3, "乙", _id(3), "包河区某单位"],  # row 6: unit of another jurisdiction
            [4, "丙", _id(3), "蜀山区琥珀小学", None, "特级", "2031"],  # row 7: dup, level, year
            [5, "丁", _id(5), "蜀山区琥珀小学", None, None, None, "航天"],  # row 8: industry
            [6, "戊", person.reveal_id_number(), "蜀山区琥珀小学"],  # row 9: registered as 李四
            [7, "己", _id(7), "蜀山区琥珀小学"],  # a good row, not written either
        ]
    )
    response = _upload(officer_client, content)
    assert response.status_code == 200
    problems = [(p.row, p.column) for p in response.context["report"].problems]
    assert problems == [
        (4, "姓名"),
        (5, "身份证号码"),
        (6, "单位"),
        (7, "身份证号码"),
        (7, "职称级别"),
        (7, "取得现职称年份"),
        (8, "行业"),
        (9, "姓名"),
    ]
    page = response.content.decode()
    for text in [
        "发现 8 个问题，未登记任何人员。",
        "身份证号码校验位错误（应为 X）。",
        "单位“包河区某单位”未在您的辖区登记，请先登记该单位。",
        "与第 6 行的身份证号码重复。",
        "“特级”不是职称级别",
        "“2031”不是 1950 至",
        "“航天”不是已知的行业。",
        "该身份证号码已登记的姓名为 李四，与 戊 不符。",
    ]:
        assert text in page
    assert not Person.objects.filter(name__in=["甲", "乙", "丙", "丁", "戊", "己"]).exists()


def test_it_reads_a_csv_export(officer, unit):
    content = ("姓名,身份证号码,单位\n张三," + _id(1) + ",蜀山区琥珀小学\n").encode("gb18030")
    report = people_import(officer=officer, file=BytesIO(content), filename="名册.csv")
    assert report.ok and report.created == 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"not a workbook", "x.xlsx", "文件不是有效的 Excel 工作簿（.xlsx）"),
        (None, "x.xlsx", "前 10 行中没有包含 “姓名”、“身份证号码” 的表头行"),
    ],
)
def test_it_rejects_a_file_it_cannot_use(officer_client, unit, content, name, message):
    if content is None:
        book = Workbook()
        book.active.append(["名字", "号码"])
        buffer = BytesIO()
        book.save(buffer)
        content = buffer.getvalue()
    response = _upload(officer_client, content, name)
    assert message in response.content.decode()


def test_it_names_missing_required_columns(officer, unit):
    book = Workbook()
    book.active.append(["姓名", "身份证号码"])
    buffer = BytesIO()
    book.save(buffer)
    report = people_import(officer=officer, file=BytesIO(buffer.getvalue()), filename="a.xlsx")
    assert [p.message for p in report.problems] == ["缺少列：单位。"]


def test_the_template_is_a_valid_import_file(officer_client, officer, unit):
    content = officer_client.get(reverse("people:import_template")).content
    rows = list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "身份证号码", "单位")
    assert idnumber.is_valid(rows[1][1])


def test_it_imports_with_a_bounded_number_of_queries(officer, unit, django_assert_max_num_queries):
    content = _sheet([[i, f"人员{i}", _id(i), "蜀山区琥珀小学"] for i in range(1, 201)])
    # Check: units, industries, who is registered (2), the kept upload (3 with its savepoint).
    with django_assert_max_num_queries(9):
        report = people_import_check(officer=officer, file=BytesIO(content), filename="a.xlsx")
    assert report.upload is not None and report.new == 200
    # Confirm: the upload, units, who is registered (2), the people (SQLite inserts them in
    # batches of its parameter limit: 3 for 200 people), the upload again, savepoints.
    with django_assert_max_num_queries(11):
        upload = people_import_confirm(upload=report.upload, officer=officer)
    assert upload.created_count == 200 and Person.objects.filter(unit=unit).count() == 200


@pytest.fixture
def officer(personas):
    from apps.accounts.models import Role

    return personas[Role.DISTRICT_OFFICER]
