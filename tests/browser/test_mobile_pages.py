"""Trainee and public pages on a phone: at 390 px nothing scrolls sideways.

Each page is visited at 390 px (a phone) and 1280 px (a desktop); both screenshots are saved as
test-artifacts/screenshots/mobile-<page>-<width>.png. At 390 px the page fails if
document.documentElement.scrollWidth exceeds the viewport: tables scroll inside their own box,
long notes wrap, the navigation collapses into a menu.
"""

from __future__ import annotations

import pytest

from apps.demo import DEMO_PASSWORD, DEMO_TRAINEE_ID
from tests.browser.conftest import SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390
DESKTOP = 1280


def _page(browser, width: int):
    return browser.new_page(viewport={"width": width, "height": 844}, locale="zh-CN")


def _sign_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", DEMO_TRAINEE_ID)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def _check(page, url: str, name: str, width: int) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"mobile-{name}-{width}.png"), full_page=True)
    if width == PHONE:
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name}: the page is {scroll} px wide at {width} px"


def _trainee_pages(base_url: str) -> list[tuple[str, str]]:
    from apps.credits.models import Claim
    from apps.people import crypto

    trainee = crypto.keyed_hash(DEMO_TRAINEE_ID)
    claim = Claim.objects.filter(person__id_number_hash=trainee).order_by("pk").first()
    assert claim is not None, "the demo trainee has no claim"
    return [
        ("home", "/"),
        ("ledger", "/ledger/"),
        ("claim-kinds", "/claims/new/"),
        ("claim-form", "/claims/new/paper/"),
        ("claim-detail", f"/claims/{claim.pk}/"),
        ("verifications-mine", "/verifications/mine/"),
        ("password", "/accounts/password/"),
    ]


PUBLIC_PAGES = [
    ("login", "/accounts/login/"),
    ("activate", "/accounts/activate/"),
    ("check", "/verifications/check/"),
]


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_it_fits_the_public_pages_on_a_phone(browser, demo, width):
    page = _page(browser, width)
    for name, path in PUBLIC_PAGES:
        _check(page, f"{demo}{path}", name, width)


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_it_fits_the_trainee_pages_on_a_phone(browser, demo, width):
    page = _page(browser, width)
    _sign_in(page, demo)
    for name, path in _trainee_pages(demo):
        _check(page, f"{demo}{path}", name, width)


def test_it_collapses_the_navigation_into_a_menu_on_a_phone(browser, demo):
    page = _page(browser, PHONE)
    _sign_in(page, demo)
    page.goto(f"{demo}/ledger/")
    nav_link = page.locator("nav.mainnav a").first
    assert not nav_link.is_visible()
    page.click("button.nav-toggle")
    assert nav_link.is_visible()
    box = nav_link.bounding_box()
    assert box is not None and box["height"] >= 44
    wide = _page(browser, DESKTOP)
    _sign_in(wide, demo)
    wide.goto(f"{demo}/ledger/")
    assert wide.locator("nav.mainnav a").first.is_visible()
    assert not wide.locator("button.nav-toggle").is_visible()
