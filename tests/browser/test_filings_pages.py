"""Plans and rosters as a base and the city see them: real Chromium, Chinese only.

Screenshots land in test-artifacts/screenshots/ (filings-*.png)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import Workbook

from apps.filings.models import Plan
from apps.filings.roster import FORM_TITLE
from apps.people import idnumber
from tests.browser.conftest import SHOTS, english_leftovers, sign_in, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _messy_roster(tmp_path: Path) -> str:
    """The form as a clerk fills it in, with mistakes."""
    book = Workbook()
    sheet = book.active
    sheet.append([FORM_TITLE])
    sheet.append(["填报单位：合肥皖博职业培训学校"])
    sheet.append(["填表时间： 11 月 20 日"])
    sheet.append(
        ["培 训 主 题", "医院感染预防与控制专题培训", None, None, "培 训 时 间", "10 月 18 日"]
    )
    sheet.append(
        ["序 号", "姓 名", "单 位", "身 份 证 号 码", "技 术 职 称", "培 训 学 时", "考 试 结 果"]
    )
    good = idnumber.compose("340102", dt.date(1988, 1, 9), 15)
    sheet.append([1, "钱 多多", "合肥市第一人民医院", good, "主治医师", "２４", "合格"])
    sheet.append([2, "孙少", "合肥市第一人民医院", good, "护师", 24, "合格"])
    sheet.append([3, "李 四", "蜀山区琥珀小学", "34010419850601002X", "一级教师", 30, "合格"])
    sheet.append([4, "赵五", "", idnumber.compose("340102", dt.date(1991, 2, 3), 17), "", 8, "良"])
    path = tmp_path / "附件2-名单.xlsx"
    book.save(path)
    return str(path)


def _good_roster(tmp_path: Path) -> str:
    book = Workbook()
    sheet = book.active
    sheet.append([FORM_TITLE])
    sheet.append(["填报单位：合肥皖博职业培训学校"])
    sheet.append(
        [
            "序 号",
            "姓 名",
            "单 位",
            "身 份 证 号 码",
            "技 术 职 称",
            "培 训 学 时",
            "考 试 结 果",
            "备 注",
        ]
    )
    for i in range(1, 6):
        number = idnumber.compose("340103", dt.date(1985, 4, i), 20 + i)
        sheet.append(
            [i, f"学员{'甲乙丙丁戊'[i - 1]}", "庐阳区审计事务所", number, "会计师", 24, "合格"]
        )
    path = tmp_path / "附件2-正确.xlsx"
    book.save(path)
    return str(path)


def test_it_shows_the_base_plan_pages(browser, demo, tmp_path):
    page = sign_in(browser, demo, "base-wanbo")
    visit(page, f"{demo}/plans/", "filings-base-plans")
    body = page.inner_text("body")
    assert "未予备案" in body and "已确认备案" in body
    visit(page, f"{demo}/plans/new/", "filings-plan-form")
    start = timezone.localdate() + dt.timedelta(days=14)
    page.fill("#id_title", "医院消毒技术规范培训")
    page.select_option("#id_industry", label="卫生健康")
    page.fill("#id_start_date", start.isoformat())
    page.fill("#id_end_date", start.isoformat())
    page.fill("#id_planned_hours", "8")
    page.fill("#id_place", "合肥市蜀山区长江西路 669 号")
    earliest = (timezone.localdate() + dt.timedelta(days=15)).isoformat()
    assert earliest in submit(page, "filings-plan-form-late")
    assert not english_leftovers(page)

    done = Plan.objects.get(title="医院感染预防与控制专题培训")
    visit(page, f"{demo}/plans/{done.pk}/", "filings-plan-detail")
    assert "导出名单" in page.inner_text("body")
    visit(page, f"{demo}/plans/{done.pk}/roster/", "filings-roster-upload")
    page.set_input_files("input[type=file]", _messy_roster(tmp_path))
    text = submit(page, "filings-roster-preview-errors")
    assert "未登记任何内容" in text
    assert "与第 6 行的身份证号码重复" in text
    assert "超过备案计划的 24.0 学时" in text
    assert "缺少列" not in text
    assert not english_leftovers(page)
    page.set_input_files("input[type=file]", _good_roster(tmp_path))
    text = submit(page, "filings-roster-preview")
    assert "核对名单后登记" in text and "学员甲" in text
    assert not english_leftovers(page)
    text = submit(page, "filings-roster-confirmed")
    assert "名单已登记：5 人登记学时" in text


def test_it_shows_the_city_plan_queue(browser, demo):
    page = sign_in(browser, demo, "city")
    visit(page, f"{demo}/plans/queue/", "filings-city-queue")
    body = page.inner_text("body")
    assert "急诊急救能力提升培训" in body and "蜀山区南岗镇卫生院" in body
    waiting = Plan.objects.get(title__startswith="急诊急救能力提升培训")
    visit(page, f"{demo}/plans/{waiting.pk}/", "filings-city-plan")
    page.click("text=确认备案")
    page.wait_for_load_state()
    assert "已确认该计划备案" in page.inner_text("body")
    page.screenshot(path=str(SHOTS / "filings-city-plan-acknowledged.png"), full_page=True)
