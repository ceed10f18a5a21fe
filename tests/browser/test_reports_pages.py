"""The compliance reports as the city and a district officer see them: real Chromium at 1280 px.

Screenshots land in test-artifacts/screenshots/reports-*.png.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser.conftest import sign_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _charts_drawn(page) -> int:
    """How many of the three ECharts containers hold a drawn chart (an SVG)."""
    page.wait_for_selector("#chart-bars svg")
    return page.locator(".report-charts .chart svg").count()


def test_it_shows_the_city_its_dashboard_with_charts(browser, demo):
    call_command("reports_refresh", stdout=StringIO())
    page = sign_in(browser, demo, "city")
    assert "达标统计" in page.inner_text("nav")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    visit(page, f"{demo}/reports/?year=2024", "reports-city-dashboard")
    main = page.inner_text("main")
    assert "各辖区达标情况" in main and "蜀山区" in main and "数据计算于" in main
    assert _charts_drawn(page) == 3
    assert not errors
    page.click("text=全部单位")
    page.wait_for_load_state()
    assert "各单位未达标人数" in page.inner_text("main")
    visit(page, f"{demo}/reports/people/?year=2024&status=short", "reports-city-people")
    assert "公需科目差额" in page.inner_text("main")
    with page.expect_download() as download:
        page.click("text=导出 Excel")
    assert download.value.suggested_filename.endswith(".xlsx")


def test_it_shows_a_district_officer_their_dashboard(browser, demo):
    call_command("reports_refresh", stdout=StringIO())
    page = sign_in(browser, demo, "shushan")
    visit(page, f"{demo}/reports/?year=2024", "reports-district-dashboard")
    main = page.inner_text("main")
    assert "蜀山区" in main and "包河区" not in main
    assert _charts_drawn(page) == 3
    response = page.goto(f"{demo}/reports/?jurisdiction=999")
    assert response is not None and response.status == 404


def test_it_shows_a_unit_administrator_their_units_dashboard(browser, demo):
    call_command("reports_refresh", stdout=StringIO())
    page = sign_in(browser, demo, "unit-hupo")
    assert "达标统计" in page.inner_text("nav")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    visit(page, f"{demo}/reports/?year=2024", "reports-unit-dashboard")
    main = page.inner_text("main")
    assert "蜀山区琥珀小学" in main and "本单位人员按职称级别的达标情况" in main
    assert "各辖区达标情况" not in main and "各单位未达标人数" not in main
    assert _charts_drawn(page) == 3
    assert not errors
    page.click("text=本单位未达标人员")
    page.wait_for_load_state()
    assert "蜀山区琥珀小学" in page.inner_text("main")
    response = page.goto(f"{demo}/reports/people/?unit=999999")
    assert response is not None and response.status == 404
