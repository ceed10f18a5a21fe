"""Issue 16 part 4 in a browser: the officers' new lists with breadcrumbs, the ledger's year
picker and select-all before a zip download. Each page is screenshot at 390 px and 1280 px
(test-artifacts/screenshots/ux-<page>-<width>.png); at 390 px none may scroll sideways."""

from __future__ import annotations

import pytest

from apps.demo import DEMO_PASSWORD, DEMO_TRAINEE_ID
from tests.browser.conftest import SHOTS, english_leftovers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390
DESKTOP = 1280


def _signed_in(browser, base_url: str, username: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 844}, locale="zh-CN")
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page


def _check(page, url: str, name: str, width: int, *, codes: bool = False) -> None:
    """`codes`: the page shows verification codes (Latin capitals by design)."""
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"ux-{name}-{width}.png"), full_page=True)
    if width == PHONE:
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name}: the page is {scroll} px wide at {width} px"
    leftovers = english_leftovers(page)
    if codes:
        leftovers = {w for w in leftovers if not (w.isupper() and len(w) == 4)}
    assert not leftovers, f"{name}: English left on the page: {sorted(leftovers)}"


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_officers_pages_fit_and_show_their_trail(browser, demo, width):
    from apps.people.models import Person

    person = Person.objects.filter(unit__jurisdiction__code="shushan").order_by("pk").first()
    page = _signed_in(browser, demo, "shushan", width)
    pages = [
        ("people-hours", "/ledger/people/"),
        ("people-hours-short", "/ledger/people/?compliance=short&title_level=none"),
        ("claim-queue", "/claims/review/"),
        ("verification-list", "/verifications/"),
        ("person-detail", f"/people/{person.pk}/"),
        ("person-ledger", f"/ledger/people/{person.pk}/"),
        ("people", "/people/"),
    ]
    for name, path in pages:
        _check(page, f"{demo}{path}", name, width, codes=name == "verification-list")
        trail = page.locator('nav[aria-label="面包屑"]')
        assert trail.count() == 1 and trail.inner_text().startswith("首页")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_trainee_picks_a_year_on_the_ledger(browser, demo, width):
    page = _signed_in(browser, demo, DEMO_TRAINEE_ID, width)
    _check(page, f"{demo}/ledger/", "ledger", width)
    years = page.locator("select[name=year] option").all_inner_texts()
    chosen = years[2]  # a past year
    page.select_option("select[name=year]", label=chosen)
    page.click("form.year-picker button[type=submit]")
    page.wait_for_load_state()
    assert "?year=" in page.url
    assert page.locator("section.year").count() == 1
    assert page.locator("section.year h2").inner_text() == chosen
    _check(page, page.url, "ledger-one-year", width)
    _check(page, f"{demo}/ledger/?year=1900", "ledger-bad-year", width)
    assert "现显示全部年度" in page.inner_text("main")
    _check(page, f"{demo}/verifications/mine/", "verifications-mine", width)


def test_select_all_ticks_every_verification_before_the_zip(browser, demo):
    page = _signed_in(browser, demo, "shushan", DESKTOP)
    page.goto(f"{demo}/verifications/")
    rows = page.locator("tbody input[type=checkbox][name=verification]")
    assert rows.count() >= 2
    toggle = page.locator("thead input[data-select-all=verification]")
    assert toggle.is_visible()
    toggle.check()
    assert all(rows.nth(i).is_checked() for i in range(rows.count()))
    rows.nth(0).uncheck()
    assert page.evaluate("document.querySelector('thead input[data-select-all]').indeterminate")
    toggle.uncheck()  # from half-ticked: clears everything
    toggle.check()
    assert all(rows.nth(i).is_checked() for i in range(rows.count()))
    page.screenshot(path=str(SHOTS / "ux-verification-select-all-1280.png"), full_page=True)
    page.click("#zip-ticked")
    page.wait_for_load_state()
    assert "/jobs/" in page.url
