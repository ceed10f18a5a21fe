"""The unit administrator (unit-hupo, 蜀山区琥珀小学) at work: registers a colleague and issues
the code, screens a claim that the district then approves, and returns one to 张明, who sees
the reason; a medical claim waits on the health authority, not the district."""

from __future__ import annotations

import pytest

from apps.demo import DEMO_TRAINEE_ID
from apps.demo.units import CLAIM_TITLE
from tests.browser.conftest import SHOTS, english_leftovers, sign_in, submit, visit
from tests.factories import new_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_registers_a_person_and_screens_a_claim_the_district_approves(browser, demo):
    page = sign_in(browser, demo, "unit-hupo")
    page.screenshot(path=str(SHOTS / "unit-home.png"), full_page=True)
    assert "蜀山区琥珀小学" in page.inner_text("main") and not english_leftovers(page)

    visit(page, f"{demo}/people/new/", "unit-person-form")
    page.fill("#id_name", "周新来")
    page.fill("#id_id_number", new_id_number())
    page.select_option("#id_industry", label="教育")
    answer = submit(page, "unit-person-registered")
    assert "周新来" in answer
    page.click("main form[action$='/activation-code/'] button[type=submit]")
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / "unit-person-code.png"), full_page=True)
    assert "激活码" in page.inner_text("main")

    visit(page, f"{demo}/ledger/unit/", "unit-people-hours")
    assert "张明" in page.inner_text("main")

    visit(page, f"{demo}/claims/review/", "unit-claim-queue")
    page.click(f"text={CLAIM_TITLE}")
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / "unit-claim-detail.png"), full_page=True)
    assert not english_leftovers(page)
    page.fill("#id_opinion", "会议通知和签到表核实无误。")
    page.click("button[value=forward]")
    page.wait_for_load_state()
    assert "初审通过" in page.inner_text("body")

    district = sign_in(browser, demo, "shushan")
    visit(district, f"{demo}/claims/review/", "district-queue-after-screening")
    district.click(f"text={CLAIM_TITLE}")
    district.wait_for_load_state()
    history = district.inner_text("#claim-history")
    assert "单位初审通过" in history and "会议通知和签到表核实无误" in history
    district.click("button[value=approve]")
    district.wait_for_load_state()
    district.screenshot(path=str(SHOTS / "district-approves-screened.png"), full_page=True)
    assert "已通过" in district.inner_text("body")


def test_a_returned_claim_reaches_the_trainee_with_the_reason(browser, demo, tmp_path):
    trainee = sign_in(browser, demo, DEMO_TRAINEE_ID)
    trainee.goto(f"{demo}/claims/new/city_award/")
    trainee.select_option("#id_year", "2025")
    trainee.fill("#id_title", "合肥市优秀教学成果奖")
    trainee.select_option("#id_grade", "2")
    trainee.fill("#id_rank", "1")
    trainee.fill("#id_award_no", "2025-088")
    evidence = tmp_path / "证书.png"
    from PIL import Image

    Image.new("RGB", (60, 40), "white").save(evidence)
    trainee.set_input_files("#id_evidence", str(evidence))
    trainee.check("#id_attested")
    answer = submit(trainee, "trainee-claim-sent-to-unit")
    assert "SB" in answer and "本单位管理员初审" in answer

    admin = sign_in(browser, demo, "unit-hupo")
    visit(admin, f"{demo}/claims/review/", "unit-queue-with-new-claim")
    admin.click("text=合肥市优秀教学成果奖")
    admin.wait_for_load_state()
    admin.fill("#id_opinion", "获奖证书扫描件不清晰，请重新上传。")
    admin.click("button[value=return]")
    admin.wait_for_load_state()
    assert "退回申报人修改" in admin.inner_text("body")

    visit(trainee, f"{demo}/claims/mine/", "trainee-my-claims")
    assert "退回修改" in trainee.inner_text("#my-claims")
    trainee.click("text=合肥市优秀教学成果奖")
    trainee.wait_for_load_state()
    trainee.screenshot(path=str(SHOTS / "trainee-claim-returned.png"), full_page=True)
    assert "获奖证书扫描件不清晰" in trainee.inner_text("#returned-reason")
    assert not english_leftovers(trainee)
    trainee.click("#returned-reason a")
    trainee.wait_for_load_state()
    trainee.set_input_files("#id_evidence", str(evidence))
    trainee.check("#id_attested")
    answer = submit(trainee, "trainee-claim-resubmitted")
    assert "本单位管理员初审" in answer


def test_a_medical_claim_waits_on_the_health_authority(browser, demo):
    health = sign_in(browser, demo, "health-dept")
    visit(health, f"{demo}/claims/review/", "health-claim-queue")
    assert "心血管疾病诊疗进展" in health.inner_text("main")
    district = sign_in(browser, demo, "shushan")
    visit(district, f"{demo}/claims/review/", "district-queue-without-medical")
    assert "心血管疾病诊疗进展" not in district.inner_text("main")
