"""The officer's batch of verification PDFs in Chromium: ticks "zip all", watches the job's
progress bar, downloads the zip. Once eagerly (REDIS_URL unset: the demo's way), once with a
real Celery worker on Redis (PostgreSQL only). No page may trip the Content-Security-Policy."""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

import pytest

from apps.accounts.models import User
from apps.jobs.models import Job
from apps.verification import codes
from apps.verification.selectors import verifications_visible_to
from tests.browser.conftest import SHOTS, sign_in
from tests.browser.test_verification_pages import _shot
from tests.jobs.support import celery_conf
from tests.jobs.test_worker import BROKER, QUEUE, _redis_up, start_worker, stop_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BATCH = 200


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _batch_of_pdfs(officer_login: str) -> int:
    """Makes the district's issued verifications up to BATCH, copies of a demo one (same stored
    PDF and hash, new codes): a real batch without rendering 200 PDFs in the test."""
    officer = User.objects.get(username=officer_login)
    model = verifications_visible_to(user=officer).filter(code__isnull=False)
    have = model.count()
    template = model.filter(reviewed_pdf="").first()
    assert template is not None
    for i in range(BATCH - have):
        template.pk = None
        template.code = codes.code_new()
        template.person_name = f"批量{i:03d}"
        template.save()
    return model.count()


def _watch_the_batch(page, demo: str, shot: str) -> Job:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{demo}/verifications/")
    _shot(page, f"{shot}-list")
    page.click("#zip-all")
    page.wait_for_url(f"{demo}/jobs/**")
    assert page.locator("progress.job-progress").count() == 1
    _shot(page, f"{shot}-progress")
    page.wait_for_selector("#job-download", timeout=120_000)
    _shot(page, f"{shot}-done")
    text = page.inner_text("main")
    assert "已完成" in text and f"{BATCH} / {BATCH}" in text
    with page.expect_download() as download_info:
        page.click("#job-download")
    path = Path(download_info.value.path())
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert len(names) == BATCH
        assert archive.read(names[0]).startswith(b"%PDF")
    page.goto(f"{demo}/jobs/")
    _shot(page, f"{shot}-my-jobs")
    assert "打包" in page.inner_text("main")
    assert violations == []
    return Job.objects.get()


def test_it_builds_the_batch_eagerly_without_redis(browser, demo):
    assert _batch_of_pdfs("shushan") == BATCH
    page = sign_in(browser, demo, "shushan")
    job = _watch_the_batch(page, demo, "jobs-eager")
    assert job.status == "done" and job.total == BATCH


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a worker process needs the test database on PostgreSQL (DATABASE_URL)",
)
def test_it_builds_the_batch_in_a_worker_while_the_officer_watches(browser, demo, settings):
    if not _redis_up():
        pytest.skip("no Redis at 127.0.0.1:6379")
    assert _batch_of_pdfs("shushan") == BATCH
    worker = start_worker(Path(settings.MEDIA_ROOT))
    try:
        with celery_conf(task_always_eager=False, broker_url=BROKER, task_default_queue=QUEUE):
            page = sign_in(browser, demo, "shushan")
            started = time.monotonic()
            job = _watch_the_batch(page, demo, "jobs-worker")
        assert job.status == "done" and job.total == BATCH and job.task_id
        assert time.monotonic() - started < 120
    finally:
        stop_worker(worker)
    assert SHOTS.exists()
