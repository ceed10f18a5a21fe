"""Pages as a person sees them: real Chromium, real login form, 1280 px wide, Chinese only.

Screenshots land in test-artifacts/screenshots/ for a human to look at.
"""

from __future__ import annotations

import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.people.management.commands.load_demo import DEMO_PASSWORD, DEMO_TRAINEE_ID

# Playwright's sync API runs an event loop in this thread; the live server's database
# work happens in its own thread, and the test's ORM calls are plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# Latin words a Chinese page may legitimately show.
ALLOWED_WORDS = {"Excel", "GB", "IP", "NO", "PDF", "QR", "xlsx", "csv"}  # GB = 国家标准

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/test.sh, which installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(live_server):
    call_command("load_demo", stdout=StringIO())
    return live_server.url


def _english_leftovers(page) -> set[str]:
    text = page.inner_text("body")
    return {
        w for w in re.findall(r"(?<![A-Za-z0-9])[A-Za-z]{2,}(?![A-Za-z0-9])", text)
    } - ALLOWED_WORDS


def _visit(page, url: str, shot: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    leftovers = _english_leftovers(page)
    assert not leftovers, f"{shot}: English left on the page: {sorted(leftovers)}"


def _submit(page, shot: str) -> str:
    """Submit the page's form, screenshot the answer, return its text."""
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    return page.inner_text("body")


def _sign_in(browser, base_url: str, username: str):
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page


def test_it_shows_chinese_pages_to_a_logged_out_visitor(browser, demo):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    _visit(page, f"{demo}/accounts/login/", "anonymous-login")
    _visit(page, f"{demo}/accounts/activate/", "anonymous-activate")
    page.fill("#id_id_number", "11010519491231002")
    page.fill("#id_code", "AAAA")
    page.fill("#id_password1", "x")
    page.fill("#id_password2", "x")
    assert "身份证号码应为 18 位，现为 17 位" in _submit(page, "anonymous-activate-errors")


def test_it_shows_the_trainee_pages(browser, demo):
    page = _sign_in(browser, demo, DEMO_TRAINEE_ID.lower())
    _visit(page, f"{demo}/", "trainee-home")
    assert "张明" in page.inner_text("body")
    assert "340104********2314" in page.inner_text("body")
    _visit(page, f"{demo}/bases/", "trainee-bases")
    _visit(page, f"{demo}/accounts/password/", "trainee-password")


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
    page = _sign_in(browser, demo, "shushan")
    _visit(page, f"{demo}/", "district-home")
    _visit(page, f"{demo}/people/", "district-people")
    page.click("table.list tbody tr:first-child a")
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / "district-person.png"), full_page=True)
    assert not _english_leftovers(page)
    page.click("text=查看完整号码（将被记录）")
    page.wait_for_load_state()
    assert re.search(r"\d{17}[\dX]", page.inner_text("main"))
    page.screenshot(path=str(SHOTS / "district-person-id-number.png"), full_page=True)
    _visit(page, f"{demo}/units/", "district-units")
    _visit(page, f"{demo}/units/new/", "district-unit-new")
    page.fill("#id_name", "蜀山区琥珀小学")
    page.fill("#id_credit_code", "91340104MA2N00000A")
    assert "统一社会信用代码校验位错误" in _submit(page, "district-unit-new-errors")
    _visit(page, f"{demo}/people/import/", "district-people-import")
    page.set_input_files("input[type=file]", _messy_sheet(tmp_path))
    assert "未登记任何人员" in _submit(page, "district-people-import-errors")
    assert not _english_leftovers(page)
    _visit(page, f"{demo}/people/new/", "district-person-new")
    page.fill("#id_name", "测试")
    page.fill("#id_id_number", "110105194912310021")
    assert "身份证号码校验位错误（应为 X）" in _submit(page, "district-person-new-errors")


def test_it_shows_the_base_staff_pages(browser, demo):
    page = _sign_in(browser, demo, "base-wanbo")
    _visit(page, f"{demo}/", "base-home")
    assert "合肥皖博职业培训学校" in page.inner_text("body")


def test_it_shows_the_city_officer_pages(browser, demo):
    page = _sign_in(browser, demo, "city")
    _visit(page, f"{demo}/", "city-home")
    _visit(page, f"{demo}/bases/", "city-bases")
    _visit(page, f"{demo}/people/", "city-people")
    _visit(page, f"{demo}/people/id-number-log/", "city-access-log")
    _visit(page, f"{demo}/admin/", "city-admin")
    assert "合肥市继续教育学时管理" in page.inner_text("body")
    _visit(page, f"{demo}/admin/people/person/", "city-admin-people")
    _visit(page, f"{demo}/admin/bases/trainingbase/import/", "city-admin-base-import")
    _visit(page, f"{demo}/admin/axes/accessattempt/", "city-admin-lockouts")
