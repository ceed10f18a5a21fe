"""The public course as the city and a district officer see it: real Chromium, the demo city.

Screenshots land in test-artifacts/screenshots/publiccourse-*.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from apps.demo import DEMO_TRAINEE_ID
from apps.people.models import Person
from apps.publiccourse.models import PublicTopic
from tests.browser.conftest import SHOTS, english_leftovers, sign_in, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sheet(tmp_path: Path, name: str, rows: list[list[object]]) -> str:
    book = Workbook()
    sheet = book.active
    sheet.append(["安徽省专业技术人员继续教育公需科目考试成绩（2024年度）"])
    sheet.append(["序号", "身份证号码", "姓名", "专题", "考试结果"])
    for number, values in enumerate(rows, start=1):
        sheet.append([number, *values])
    path = tmp_path / name
    book.save(path)
    return str(path)


def test_it_shows_the_city_the_public_course(browser, demo, tmp_path):
    topic = PublicTopic.objects.filter(year=2024).order_by("sort_order").first()
    other = Person.objects.exclude(name="张明").order_by("pk").first()
    page = sign_in(browser, demo, "city")
    assert "公需课" in page.inner_text("nav")
    visit(page, f"{demo}/public-course/?year=2021", "publiccourse-city-topics-2021")
    assert '《"十四五"大战略与2035远景目标》' in page.inner_text("main")
    used = PublicTopic.objects.filter(year=2025).order_by("sort_order").first()
    visit(page, f"{demo}/public-course/topics/{used.pk}/", "publiccourse-city-topic-edit")
    assert "该专题已导入考试结果，不能再改名" in page.inner_text("main")
    visit(page, f"{demo}/public-course/topics/new/?year=2026", "publiccourse-city-topic-new")
    page.fill("#id_title", '《"十五五"规划建议解读》')
    assert "2026 年度已有专题" in submit(page, "publiccourse-city-topic-new-errors")
    visit(page, f"{demo}/public-course/imports/", "publiccourse-city-history")
    assert "演示-2025年公需课考试结果.xlsx" in page.inner_text("main")

    visit(page, f"{demo}/public-course/import/?year=2024", "publiccourse-city-import")
    bad = _sheet(
        tmp_path,
        "有错误的成绩.xlsx",
        [
            [DEMO_TRAINEE_ID, "张三", topic.title, "合格"],
            ["34010419870315231", "钱二", topic.title, "合格"],
            [other.reveal_id_number(), other.name, "不存在的专题", "良好"],
        ],
    )
    page.set_input_files("input[type=file]", bad)
    text = submit(page, "publiccourse-city-import-errors")
    assert "发现 4 处问题，未导入任何数据。" in text
    assert "身份证号码应为 18 位" in text
    assert not english_leftovers(page)

    good = _sheet(
        tmp_path,
        "2024年公需课成绩.xlsx",
        [
            [DEMO_TRAINEE_ID, "张明", f"《{topic.title}》", "合格"],
            [other.reveal_id_number(), other.name, topic.title, "不合格"],
        ],
    )
    page.set_input_files("input[type=file]", good)
    text = submit(page, "publiccourse-city-import-preview")
    assert "导入前核对" in text and "将登记的新合格（共 30.0 学时）" in text
    assert not english_leftovers(page)
    text = submit(page, "publiccourse-city-import-done")
    assert "导入完成：新登记合格 1 人次" in text
    assert "本次导入记录的结果" in text and "张明" in text
    assert not english_leftovers(page)

    # The same file again: nothing new to credit.
    visit(page, f"{demo}/public-course/import/?year=2024", "publiccourse-city-import-again")
    page.set_input_files("input[type=file]", good)
    text = submit(page, "publiccourse-city-import-again-preview")
    assert "将登记的新合格（共 0.0 学时）" in text


def test_it_shows_a_district_officer_the_topics_read_only(browser, demo):
    page = sign_in(browser, demo, "shushan")
    visit(page, f"{demo}/public-course/", "publiccourse-district-topics")
    assert "导入考试结果" not in page.inner_text("main")
    page.goto(f"{demo}/public-course/imports/")
    page.screenshot(path=str(SHOTS / "publiccourse-district-history-refused.png"))
    assert "公需课" in page.inner_text("nav")
