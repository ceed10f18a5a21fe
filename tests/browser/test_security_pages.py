"""The security pages as a phone user sees them (390 px): activation refused after too many
attempts, and the page shown when the database connection drops. Chinese only."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from apps.demo import DEMO_TRAINEE_ID
from tests.browser.conftest import SHOTS, english_leftovers

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_activation_says_when_to_try_again(browser, demo, settings):
    settings.ACTIVATION_ATTEMPT_LIMIT = 2
    page = browser.new_page(viewport={"width": 390, "height": 800}, locale="zh-CN")
    for _attempt in range(3):
        page.goto(f"{demo}/accounts/activate/")
        page.fill("#id_id_number", DEMO_TRAINEE_ID)
        page.fill("#id_code", "AAAA-BBBB-CCCC")
        page.fill("#id_password1", "Feicui-lake-walk-2026")
        page.fill("#id_password2", "Feicui-lake-walk-2026")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "anonymous-activate-too-many.png"), full_page=True)
    text = page.inner_text("body")
    assert "激活尝试次数过多" in text and "15 分钟后再试" in text
    assert not english_leftovers(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_database_page_reads_well_on_a_phone(browser, db):
    with translation.override("zh-hans"):
        html = render_to_string("database_unavailable.html", {"was_write": True})
    page = browser.new_page(viewport={"width": 390, "height": 800}, locale="zh-CN")
    page.set_content(html)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "database-unavailable.png"), full_page=True)
    text = page.inner_text("body")
    assert "您提交的内容没有保存" in text
    assert not english_leftovers(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
