"""The ledger as people see it: the trainee's years, a claim with its live preview, the
officer's queue and review, and the booklet PDF turned into images."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from apps.demo import DEMO_TRAINEE_ID
from tests.browser.conftest import SHOTS, english_leftovers, sign_in, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_the_trainee_ledger_and_a_claim(browser, demo, tmp_path):
    page = sign_in(browser, demo, DEMO_TRAINEE_ID)
    visit(page, f"{demo}/ledger/", "trainee-ledger")
    text = page.inner_text("main")
    assert "2023 年度" in text and "未达标" in text  # the short year
    assert "经顺延补学达标" in text  # 2024, made up by 2025's surplus
    assert "自学每年合计不超过 36 学时" in text or "36" in text
    assert "审核中的申报" in text and "未通过和已撤回的申报" in text

    visit(page, f"{demo}/claims/new/", "trainee-claim-kinds")
    page.click("text=发表论文（译文）")
    page.wait_for_load_state()
    page.select_option("#id_journal", "national")
    page.fill("#id_title", "小学数学作业设计研究")
    page.fill("#id_chars", "3000")
    page.fill("#id_paper_id", "小学数学教师 2026(9):1-4")
    # expect() polls without eval (the CSP forbids 'unsafe-eval', so wait_for_function cannot)
    expect(page.locator("#preview-hours")).to_contain_text("15.0")
    page.screenshot(path=str(SHOTS / "trainee-claim-form.png"), full_page=True)
    assert not english_leftovers(page)
    # Without evidence the claim is refused, with the field named.
    answer = submit(page, "trainee-claim-errors")
    assert "证明材料" in answer


def test_it_shows_the_officer_queue_and_review(browser, demo):
    page = sign_in(browser, demo, "shushan")
    visit(page, f"{demo}/claims/review/", "district-claim-queue")
    assert "一种装配式建筑构件连接装置" in page.inner_text("main")
    page.click("text=一种装配式建筑构件连接装置")
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / "district-claim-detail.png"), full_page=True)
    assert not english_leftovers(page)
    page.fill("#id_opinion", "专利证书核实无误，同意登记。")
    page.click("button[value=approve]")
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / "district-claim-approved.png"), full_page=True)
    assert "已通过，登记 60.0 学时" in page.inner_text("body")  # second inventor: 60


def test_it_shows_the_officer_a_known_paper_before_approval(browser, demo):
    page = sign_in(browser, demo, "shushan")
    visit(page, f"{demo}/claims/review/", "district-claim-queue-duplicate")
    page.click("text=小学数学项目式学习的实践探索（转载）")
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / "district-claim-duplicate.png"), full_page=True)
    assert not english_leftovers(page)
    duplicate = page.inner_text("#duplicate")
    assert "此编号（论文）已在本人学时档案中" in duplicate
    assert "2021" in duplicate and "小学数学项目式学习的实践探索" in duplicate
    assert "学分不可累计" in duplicate
    assessment = page.inner_text("#assessment")
    assert "现在通过将计入 10.0 学时" in assessment and "申报 25.0 学时" in assessment
    # The duplicate is shown above the decision buttons, before anything is approved.
    box = page.locator("#duplicate").bounding_box()
    button = page.locator("button[value=approve]").bounding_box()
    assert box is not None and button is not None and box["y"] < button["y"]
    page.fill("#id_opinion", "同一论文转载，只计差额。")
    page.click("button[value=approve]")
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / "district-claim-duplicate-approved.png"), full_page=True)
    assert "申报 25.0 学时，按规定计入 10.0 学时" in page.inner_text("body")


def test_it_renders_the_booklet_in_chinese(browser, demo, tmp_path):
    page = sign_in(browser, demo, DEMO_TRAINEE_ID)
    response = page.request.get(f"{demo}/ledger/booklet.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "booklet.pdf"
    pdf.write_bytes(response.body())
    fonts = subprocess.run(
        ["/usr/bin/pdffonts", str(pdf)], capture_output=True, text=True, check=True
    )
    # The compact copies of Noto CJK (hefei_cpe/pdf_fonts.py), or the full fonts without them.
    assert any(
        name in fonts.stdout
        for name in ("Hefei-Serif", "Hefei-Sans", "Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC")
    )
    text = subprocess.run(
        ["/usr/bin/pdftotext", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    text = text.replace("\n", "")
    assert "继续教育证书" in text and "张明" in text and "蜀山区人力资源和社会保障局" in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "/usr/bin/pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "4",
            str(pdf),
            str(SHOTS / "booklet"),
        ],
        check=True,
    )
    assert len(list(Path(SHOTS).glob("booklet-*.png"))) >= 3
