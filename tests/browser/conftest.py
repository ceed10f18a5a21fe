"""Shared browser-test machinery: Debian's Chromium through Playwright, the demo city on a live
server, and helpers that screenshot a page and fail on any English word left on it.

Screenshots land in test-artifacts/screenshots/ for a human to look at. Each app keeps its own
browser tests in tests/browser/test_<app>_pages.py.
"""

from __future__ import annotations

import os
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction

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


# The demo, loaded once per test process and then restored from a snapshot of its rows and
# files: `load_demo` renders and signs PDFs (about 20 s a test on the CI machine); putting its rows
# back with one bulk insert per table takes well under a second. Each browser test is
# transactional (its database is emptied afterwards), so every test still starts from the demo.
_SNAPSHOT: dict[str, object] = {}
# Rows the flush puts back by itself (content types and permissions, on post_migrate).
_NOT_IN_SNAPSHOT = {"contenttypes", "auth.permission", "sessions", "admin.logentry"}


def _snapshot_models() -> list[type[models.Model]]:
    return [
        model
        for model in django_apps.get_models(include_auto_created=True)
        if model._meta.label_lower not in _NOT_IN_SNAPSHOT
        and model._meta.app_label not in _NOT_IN_SNAPSHOT
    ]


def _snapshot_take() -> dict[type[models.Model], list[tuple]]:
    rows = {}
    for model in _snapshot_models():
        attnames = [f.attname for f in model._meta.concrete_fields]
        rows[model] = (attnames, list(model._base_manager.values_list(*attnames)))
    return rows


def _snapshot_restore(rows) -> None:
    # Foreign keys are checked at commit (Django creates them deferrable), so the order of the
    # tables does not matter inside one transaction.
    with transaction.atomic():
        for model in _snapshot_models():  # what the suite's fixtures put back first
            if model._base_manager.exists():
                model._base_manager.all()._raw_delete(using="default")
        for model, (attnames, values) in rows.items():
            if values:
                model._base_manager.bulk_create(
                    [model(**dict(zip(attnames, row, strict=True))) for row in values]
                )
        statements = connection.ops.sequence_reset_sql(no_style(), list(rows))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


@pytest.fixture
def demo(live_server, settings, tmp_path_factory):
    media = Path(settings.MEDIA_ROOT)
    if not _SNAPSHOT:
        call_command("load_demo", stdout=StringIO())
        folder = tmp_path_factory.mktemp("demo-media")
        if media.exists():
            shutil.copytree(media, folder, dirs_exist_ok=True)
        _SNAPSHOT.update(rows=_snapshot_take(), media=folder)
    else:
        _snapshot_restore(_SNAPSHOT["rows"])
        shutil.copytree(_SNAPSHOT["media"], media, dirs_exist_ok=True)
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
