"""Pages as a person sees them: real Chromium, real login form, 1280 px wide, Chinese only.

Screenshots land in test-artifacts/screenshots/ for a human to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from apps.demo import DEMO_TRAINEE_ID
from tests.browser.conftest import SHOTS, english_leftovers, sign_in, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_chinese_pages_to_a_logged_out_visitor(browser, demo):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    visit(page, f"{demo}/accounts/login/", "anonymous-login")
    visit(page, f"{demo}/accounts/activate/", "anonymous-activate")
    page.fill("#id_id_number", "11010519491231002")
    page.fill("#id_code", "AAAA")
    page.fill("#id_password1", "x")
    page.fill("#id_password2", "x")
    assert "身份证号码应为 18 位，现为 17 位" in submit(page, "anonymous-activate-errors")


def test_it_shows_the_trainee_pages(browser, demo):
    page = sign_in(browser, demo, DEMO_TRAINEE_ID.lower())
    visit(page, f"{demo}/", "trainee-home")
    assert "张明" in page.inner_text("body")
    assert "340104********2314" in page.inner_text("body")
    visit(page, f"{demo}/organisers/", "trainee-bases")
    visit(page, f"{demo}/accounts/password/", "trainee-password")


def _messy_sheet(tmp_path: Path) -> str:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["蜀山区专业技术人员名册"])
    sheet.append(["姓名", "身份证号码", "单位", "职称级别"])
    sheet.append(["赵一", "11010519491231002x", "蜀山区琥珀小学", "中级"])
    sheet.append(["钱二", "110105194912310021", "不存在的单位", "特级"])
    path = tmp_path / "名册.xlsx"
    book.save(path)
    return str(path)


def test_it_shows_the_district_officer_pages(browser, demo, tmp_path):
    page = sign_in(browser, demo, "shushan")
    visit(page, f"{demo}/", "district-home")
    visit(page, f"{demo}/people/", "district-people")
    page.click("table.list tbody tr:first-child a")
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / "district-person.png"), full_page=True)
    assert not english_leftovers(page)
    page.click("text=查看完整号码（将被记录）")
    page.wait_for_load_state()
    assert re.search(r"\d{17}[\dX]", page.inner_text("main"))
    page.screenshot(path=str(SHOTS / "district-person-id-number.png"), full_page=True)
    visit(page, f"{demo}/units/", "district-units")
    visit(page, f"{demo}/units/new/", "district-unit-new")
    page.fill("#id_name", "蜀山区琥珀小学")
    page.fill("#id_credit_code", "91340104MA2N00000A")
    assert "统一社会信用代码校验位错误" in submit(page, "district-unit-new-errors")
    visit(page, f"{demo}/people/import/", "district-people-import")
    page.set_input_files("input[type=file]", _messy_sheet(tmp_path))
    assert "未登记任何人员" in submit(page, "district-people-import-errors")
    assert not english_leftovers(page)
    visit(page, f"{demo}/people/new/", "district-person-new")
    page.fill("#id_name", "测试")
    page.fill("#id_id_number", "110105194912310021")
    assert "身份证号码校验位错误（应为 X）" in submit(page, "district-person-new-errors")


def test_it_shows_the_organiser_staff_pages(browser, demo):
    page = sign_in(browser, demo, "base-wanbo")
    visit(page, f"{demo}/", "base-home")
    body = page.inner_text("body")
    # The home page's to-dos: the demo's late plan, refused today, links to the plan.
    assert "合肥皖博职业培训学校" in body and "“基层卫生适宜技术推广培训”未予备案" in body


def test_it_shows_the_city_officer_pages(browser, demo):
    page = sign_in(browser, demo, "city")
    visit(page, f"{demo}/", "city-home")
    visit(page, f"{demo}/organisers/", "city-bases")
    visit(page, f"{demo}/people/", "city-people")
    visit(page, f"{demo}/people/id-number-log/", "city-access-log")
    visit(page, f"{demo}/admin/", "city-admin")
    assert "合肥市继续教育学时管理" in page.inner_text("body")
    visit(page, f"{demo}/admin/people/person/", "city-admin-people")
    visit(page, f"{demo}/admin/bases/organiser/import/", "city-admin-base-import")
    visit(page, f"{demo}/admin/axes/accessattempt/", "city-admin-lockouts")
