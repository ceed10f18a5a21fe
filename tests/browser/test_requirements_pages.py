"""Industry requirements as the city sets them: a wrong total is refused in Chinese, a right one
is listed with its basis, and the change history shows before and after. Screenshots:
test-artifacts/screenshots/requirements-*.png."""

from __future__ import annotations

import pytest

from tests.browser.conftest import english_leftovers, sign_in, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_lets_the_city_set_an_industry_requirement(browser, demo):
    from apps.people.models import Industry

    health = Industry.objects.get(code="health")
    page = sign_in(browser, demo, "city")
    visit(page, f"{demo}/requirements/", "requirements-list")
    assert "各行业年度学时要求" in page.inner_text("main")
    assert not english_leftovers(page)

    visit(page, f"{demo}/requirements/{health.pk}/edit/", "requirements-edit")
    page.fill("#id_professional", "72")
    page.fill("#id_total", "90")
    page.fill("#id_basis", "市卫生健康委规定")
    text = submit(page, "requirements-refused")
    assert "专业科目（72）之和超过总学时 90" in text

    page.fill("#id_total", "102")
    text = submit(page, "requirements-saved")
    assert "卫生健康：自即日起每年公需科目 ≥ 30" in text
    assert "市卫生健康委规定" in page.inner_text("main")

    visit(page, f"{demo}/requirements/{health.pk}/history/", "requirements-history")
    assert "创建" in page.inner_text("main") and "王管理" in page.inner_text("main")
