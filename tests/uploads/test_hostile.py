"""The same hostile files against every upload (people import, roster, public-course results):
each is refused quickly, with its real cause named as one problem of the file, and nothing is
written. Before the one pipeline, the people import took more than 600 s and 2.7 GB on the zip
bomb, the public course 16 minutes on the blank rows, and a 200,000-row roster was called a
compressed bomb."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from unittest import mock

import pytest

from apps.accounts.models import Role
from apps.filings.models import RosterUpload
from apps.filings.services import roster_check
from apps.people.importing import people_import_check
from apps.people.models import Person, PersonImport
from apps.publiccourse.models import ImportBatch, PublicResult
from apps.publiccourse.services import results_preview, topic_create
from tests.filings.support import TODAY, make_plan
from tests.uploads import hostile

# Each upload is refused within this many seconds on a shared two-core CI machine; the reader
# itself needs well under one (bench/roster_import.py measures it).
QUICKLY = 10.0
ID = "340104198703152314"


@dataclass
class Upload:
    name: str
    headings: list[str]
    row: list[str]
    check: Callable[[bytes, str], list]  # -> the problems


@pytest.fixture(params=["people", "roster", "publiccourse"])
def upload(request, personas) -> Upload:
    if request.param == "people":
        officer = personas[Role.DISTRICT_OFFICER]

        def check(data: bytes, filename: str) -> list:
            return people_import_check(officer=officer, data=data, filename=filename).problems

        return Upload("people", ["姓名", "身份证号码", "单位"], ["张三", ID, "某单位"], check)
    if request.param == "roster":
        staff = personas[Role.ORGANISER_STAFF]
        plan = make_plan(staff=staff)

        def check(data: bytes, filename: str) -> list:
            return roster_check(
                plan=plan, user=staff, data=data, filename=filename, today=TODAY
            ).problems

        headings = ["序号", "姓名", "单位", "身份证号码", "技术职称", "培训学时", "考试结果"]
        return Upload("roster", headings, ["1", "张三", "某单位", ID, "", "8", "合格"], check)
    city = personas[Role.CITY_OFFICER]
    topic_create(year=2021, title="数字经济")

    def check(data: bytes, filename: str) -> list:
        result, batch = results_preview(officer=city, year=2021, data=data, filename=filename)
        assert batch is None
        return result.problems

    return Upload(
        "publiccourse",
        ["身份证号码", "姓名", "专题", "考试结果"],
        [ID, "张三", "数字经济", "合格"],
        check,
    )


def _written() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        PersonImport.objects.count(),
        RosterUpload.objects.count(),
        ImportBatch.objects.count(),
        PublicResult.objects.count(),
    )


def _refused(upload: Upload, data: bytes, filename: str = "upload.xlsx") -> str:
    before = _written()
    started = time.monotonic()
    problems = upload.check(data, filename)
    elapsed = time.monotonic() - started
    assert elapsed < QUICKLY, f"{upload.name} took {elapsed:.1f} s"
    assert len(problems) == 1, problems
    assert problems[0].row == 0 and problems[0].column == ""
    assert _written() == before
    return problems[0].message


def test_it_refuses_a_file_that_is_not_a_spreadsheet(upload):
    assert "这是 PNG 文件，不是电子表格" in _refused(upload, hostile.not_a_spreadsheet())


def test_it_refuses_a_corrupt_workbook(upload):
    assert "不是有效的 Excel 工作簿" in _refused(upload, hostile.corrupt(upload.headings))


def test_it_refuses_a_zip_bomb_before_inflating_it(upload):
    """A gigabyte of one cell stops at Excel's cell limit; a gigabyte of markup at the caps on
    the markup and the bytes inflated."""
    bomb = hostile.zip_bomb(upload.headings)
    assert len(bomb) < 2 * 1024 * 1024
    with mock.patch("openpyxl.load_workbook") as whole_workbook:
        message = _refused(upload, bomb)
    assert "单元格超过 32767 个字符" in message and "疑似压缩炸弹" in message
    whole_workbook.assert_not_called()
    message = _refused(upload, hostile.markup_bomb(upload.headings))
    assert "远超其行数所需（疑似压缩炸弹）" in message


def test_it_refuses_an_xml_entity_bomb(upload):
    assert "疑似 XML 炸弹" in _refused(upload, hostile.entity_bomb(upload.headings))


def test_it_counts_blank_rows_after_the_headings(upload):
    """A heading row and a gigabyte of blank rows: too many rows, stopped at the limit."""
    message = _refused(upload, hostile.blank_rows_bomb(upload.headings))
    assert "文件超过 20000 行（空行也计算在内）" in message


@pytest.mark.parametrize("declared", [True, False], ids=["dimension", "no-dimension"])
def test_it_says_too_many_rows_for_200000_rows(upload, declared):
    data = hostile.many_rows(upload.headings, upload.row, 200_000, declared=declared)
    message = _refused(upload, data)
    assert "文件超过 20000 行" in message
    assert "炸弹" not in message


def test_it_says_too_many_rows_for_a_200000_row_csv(upload, settings):
    settings.PEOPLE_IMPORT_MAX_BYTES = settings.PUBLIC_COURSE_IMPORT_MAX_BYTES = 20 * 1024 * 1024
    settings.FILINGS_ROSTER_MAX_BYTES = 20 * 1024 * 1024
    data = (",".join(upload.headings) + "\n" + (",".join(upload.row) + "\n") * 200_000).encode()
    assert "文件超过 20000 行" in _refused(upload, data, "upload.csv")


def test_it_refuses_a_file_over_the_size_limit(upload):
    assert "文件超过 10.0\xa0MB" in _refused(upload, b"a" * (10 * 1024 * 1024 + 1), "upload.csv")


def test_it_refuses_a_csv_in_neither_utf8_nor_gb18030(upload):
    message = _refused(upload, hostile.neither_utf8_nor_gb18030(upload.headings), "upload.csv")
    assert "既不是 UTF-8 也不是 GB18030" in message


def test_a_genuine_sheet_passes_the_same_reader(upload):
    """The bounds do not refuse an honest file (built the same way as the hostile ones)."""
    data = hostile.many_rows(upload.headings, upload.row, 1000, declared=True)
    problems = upload.check(data, "upload.xlsx")
    # The rows themselves may have problems (one ID number a thousand times, an unknown unit);
    # the file as a whole is read.
    assert all(p.row > 0 for p in problems)


def test_a_sheet_without_a_heading_row_is_refused_the_same_way(upload):
    """The heading row is found by the one workflow (hefei_cpe.uploads.Intake) for every
    upload, the roster's form included: the same problem, naming its key columns."""
    before = _written()
    problems = upload.check("序号,备注\n1,x\n".encode(), "upload.csv")
    assert [(p.row, p.column) for p in problems] == [(0, "")]
    assert "行中没有包含 “" in problems[0].message and "” 的表头行" in problems[0].message
    assert _written() == before


def test_a_missing_column_is_named_the_same_way(upload):
    """The heading row holds the key columns but not every required one."""
    keys = ["姓名", "身份证号码"]
    problems = upload.check((",".join(keys) + "\n").encode(), "upload.csv")
    assert len(problems) == 1 and problems[0].row == 1 and problems[0].column == ""
    assert problems[0].message.startswith("缺少列：")


@pytest.mark.parametrize("format_", ["0", "1"], ids=["xlsx", "csv"])
def test_the_admin_import_goes_through_the_same_reader(city_client, format_):
    """django-import-export's admin import (Attachment 1 of the bases) reads with the one
    reader too: a zip bomb or a CSV in another encoding is refused with its cause."""
    from io import BytesIO

    from django.urls import reverse

    from apps.bases.models import Organiser

    data, name, cause = (
        (hostile.zip_bomb(["名称", "电话"]), "bases.xlsx", "疑似压缩炸弹")
        if format_ == "0"
        else (hostile.neither_utf8_nor_gb18030(["名称", "电话"]), "bases.csv", "GB18030")
    )
    before = Organiser.objects.count()
    upload = BytesIO(data)
    upload.name = name
    with mock.patch("openpyxl.load_workbook") as whole_workbook:
        response = city_client.post(
            reverse("admin:bases_organiser_import"),
            {"import_file": upload, "format": format_, "resource": "0"},
        )
    whole_workbook.assert_not_called()
    assert response.status_code == 200 and cause in response.content.decode()
    assert Organiser.objects.count() == before
