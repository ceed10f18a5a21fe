"""Verification pages in Chromium: the district officer verifies, the city re-reviews, anyone
checks a code; and the demo's stored PDFs turned into PNGs for a human to look at."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from apps.verification.models import Verification
from tests.browser.conftest import SHOTS, english_leftovers, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDFTOPPM = shutil.which("pdftoppm")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


CODE_GROUP = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}$")  # a group of a verification code


def _leftovers(page) -> set[str]:
    return {w for w in english_leftovers(page) if not CODE_GROUP.match(w)}


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert not _leftovers(page), f"{name}: English left on the page: {sorted(_leftovers(page))}"


def visit(page, url: str, shot: str) -> None:
    """As tests.browser.conftest.visit, but verification codes (ABCD-EFGH-…) are not English."""
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    _shot(page, shot)


def submit(page, shot: str) -> str:
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    _shot(page, shot)
    return page.inner_text("body")


def test_it_shows_the_district_officer_verifying(browser, demo):
    page = sign_in(browser, demo, "shushan")
    visit(page, f"{demo}/verifications/", "verification-district-list")
    assert "不予验证" in page.inner_text("main")
    refused = Verification.objects.filter(status="refused").first()
    visit(page, f"{demo}/verifications/{refused.pk}/", "verification-district-refused")
    assert "不予验证的理由" in page.inner_text("main")
    assert "不予验证；请申报人补足学时" in page.inner_text("#opinion")  # the demo's own words
    # Start from the person's page, as an officer would.
    standing = Verification.objects.filter(status="valid").first()
    person = standing.person
    visit(page, f"{demo}/people/{person.pk}/", "verification-district-person")
    page.click("text=职称申报学时验证")
    page.wait_for_load_state()
    _shot(page, "verification-district-start")
    page.fill("#id_title_applied", "高级工程师")
    page.fill("#id_application_year", "2026")
    assert page.locator("#id_cycle_start").count() == 0  # derived, never typed
    page.click("text=核算任职周期学时")
    page.wait_for_load_state()
    _shot(page, "verification-district-evaluation")
    assert "周期内学时" in page.inner_text("main")
    # The demo's verification of this application still stands: the page says so instead of
    # offering a second one.
    _shot(page, "verification-district-standing")
    assert "该申报已有一份有效的学时验证" in page.inner_text("main")
    assert page.locator("text=出具验证").count() == 0
    from apps.verification.services import verification_revoke

    verification_revoke(verification=standing, officer=standing.officer, reason="申报职称有误")
    page.click("text=核算任职周期学时")
    page.wait_for_load_state()
    before = Verification.objects.count()
    opinion = "经核对学时登记，任职周期内各年度学时均达到规定要求，同意予以验证。"
    assert page.locator("#opinion_opinion").get_attribute("required") is not None
    page.fill("#opinion_opinion", opinion)
    _shot(page, "verification-district-opinion")
    page.click("text=出具验证")
    page.wait_for_load_state()
    _shot(page, "verification-district-issued")
    assert "验证已出具" in page.inner_text("main")
    assert Verification.objects.count() == before + 1
    assert page.inner_text("#opinion") == opinion
    assert Verification.objects.latest("id").opinion == opinion


def test_it_shows_the_city_re_reviewing(browser, demo):
    page = sign_in(browser, demo, "city")
    visit(page, f"{demo}/verifications/re-review/", "verification-city-queue")
    page.click("table.list tbody tr:first-child a")
    page.wait_for_load_state()
    _shot(page, "verification-city-detail")
    # The district's own opinion (the demo officer's words), not a sentence made up for it.
    assert "同意予以验证，报市人力资源和社会保障局复核" in page.inner_text("#district-opinion")
    page.click("text=复核通过")
    page.wait_for_load_state()
    _shot(page, "verification-city-confirmed")
    assert "复核已通过" in page.inner_text("main")


def test_it_shows_the_public_check(browser, demo):
    valid = Verification.objects.filter(status="valid").first()
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    visit(page, f"{demo}/verifications/check/", "verification-check")
    page.fill("#id_code", valid.code_display.lower())
    text = submit(page, "verification-check-valid")
    assert "真实有效" in text
    assert valid.person_name not in text
    page.fill("#id_code", "ABCD-EFGH-JKMN-PQRS")
    text = submit(page, "verification-check-wrong")
    assert "查无此验证码" in text
    page.fill("#id_code", "123")
    assert "验证码由 16 位字母和数字组成" in submit(page, "verification-check-malformed")


@pytest.mark.skipif(PDFTOPPM is None, reason="poppler-utils not installed")
def test_it_renders_the_demo_pdfs_as_pngs(demo):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for verification in Verification.objects.exclude(code__isnull=True):
        for label, stored in (("district", verification.pdf), ("city", verification.reviewed_pdf)):
            if not stored:
                continue
            target = SHOTS / f"verification-pdf-{verification.status}-{label}"
            subprocess.run(
                [PDFTOPPM, "-png", "-r", "100", "-singlefile", stored.path, str(target)],
                check=True,
            )
            assert target.with_suffix(".png").stat().st_size > 10_000


def test_it_shows_a_professional_their_verifications(browser, demo):
    from apps.demo import DEMO_TRAINEE_ID

    page = sign_in(browser, demo, DEMO_TRAINEE_ID)
    visit(page, f"{demo}/verifications/mine/", "verification-trainee-mine")
    assert "我的学时验证" in page.inner_text("main")


def test_a_backfilled_year_turns_a_refusal_into_an_issue(browser, demo, tmp_path):
    """An old title (2010): the cycle is capped to 2021–2025; 2021 predates the portal's
    records, so it is refused until the officer backfills it from the paper booklet."""
    from django.utils import timezone

    from apps.people.models import Jurisdiction
    from apps.verification.backfill import backfill_scan
    from apps.verification.models import BookletBackfill
    from tests.factories import UnitFactory, make_person
    from tests.verification.support import PNG, give_ledger

    year = timezone.localdate().year
    shushan = Jurisdiction.objects.get(name="蜀山区")
    person = make_person(
        unit=UnitFactory(jurisdiction=shushan),
        name="孙建国",
        title="一级教师",
        title_level="intermediate",
        title_year=2010,
    )
    give_ledger(person, range(year - 4, year))
    page = sign_in(browser, demo, "shushan")
    visit(page, f"{demo}/verifications/people/{person.pk}/", "verification-backfill-start")
    page.fill("#id_title_applied", "高级教师")
    page.select_option("#id_title_level", "associate_senior")
    page.click("text=核算任职周期学时")
    page.wait_for_load_state()
    _shot(page, "verification-backfill-short")
    text = page.inner_text("main")
    assert "现职称取得于 2010 年" in text and "只验证最近 5 年" in text
    assert "登记不予验证" in text
    scan = tmp_path / "证书第3页.png"
    scan.write_bytes(PNG)
    page.fill("#backfill_year", str(year - 5))
    page.fill("#backfill_public_hours", "30")
    page.fill("#backfill_professional_hours", "62.5")
    page.fill("#backfill_booklet_number", "皖继教 0012345")
    page.set_input_files("#backfill_scan", str(scan))
    page.click("text=补录证书学时")
    page.wait_for_load_state()
    _shot(page, "verification-backfill-recorded")
    assert "纸质证书学时已补录入台账" in page.inner_text("main")
    page.fill("#id_title_applied", "高级教师")
    page.select_option("#id_title_level", "associate_senior")
    page.click("text=核算任职周期学时")
    page.wait_for_load_state()
    assert "依据纸质证书补录学时的年度" in page.inner_text("main")
    opinion = f"{year - 5} 年度依纸质继续教育证书补录，各年度学时均达标，同意报市级复核。"
    page.fill("#opinion_opinion", opinion)
    page.click("text=出具验证")
    page.wait_for_load_state()
    _shot(page, "verification-backfill-issued")
    assert "已出具" in page.inner_text("main")
    issued = Verification.objects.get(person=person, status="awaiting_review")
    assert issued.backfilled_years == [year - 5]
    assert issued.opinion == opinion
    backfill = BookletBackfill.objects.get(person=person)
    assert backfill_scan(backfill=backfill) == PNG
