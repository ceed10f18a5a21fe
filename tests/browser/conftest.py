"""Shared browser-test machinery: Debian's Chromium through Playwright, the demo city on a live
server, and helpers that screenshot a page and fail on any English word left on it.

Screenshots land in test-artifacts/screenshots/ for a human to look at. Each app keeps its own
browser tests in tests/browser/test_<app>_pages.py.
"""

from __future__ import annotations

import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.demo import DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread; the live server's database
# work happens in its own thread, and the test's ORM calls are plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# Latin words a Chinese page may legitimately show.
# GB = 国家标准 (also GB18030); CSV, UTF: file formats an upload names; SCI, EI, SSCI: the
# international indexes named in Attachment 3; DOI: a paper's id.
ALLOWED_WORDS = {"Excel", "GB", "IP", "NO", "PDF", "QR", "xlsx", "csv", "CSV", "UTF"}
ALLOWED_WORDS |= {"JPEG", "PNG", "png", "jpg", "pdf", "KB", "MB", "DOI", "SCI", "EI", "SSCI"}
ALLOWED_WORDS |= {"zip"}  # the extension of a download (学时验证-….zip)
# ZL: the prefix of a Chinese patent number (专利), as printed on the certificate.
ALLOWED_WORDS |= {"ZL"}
ALLOWED_WORDS |= {"JSON"}  # the machine-readable form of the public check


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


def english_leftovers(page) -> set[str]:
    text = page.inner_text("body")
    return {
        w for w in re.findall(r"(?<![A-Za-z0-9])[A-Za-z]{2,}(?![A-Za-z0-9])", text)
    } - ALLOWED_WORDS


def visit(page, url: str, shot: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    leftovers = english_leftovers(page)
    assert not leftovers, f"{shot}: English left on the page: {sorted(leftovers)}"


def submit(page, shot: str) -> str:
    """Submit the page's form, screenshot the answer, return its text."""
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    return page.inner_text("body")


def sign_in(browser, base_url: str, username: str):
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page
