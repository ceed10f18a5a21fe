"""A real Celery worker (a separate process, `celery -A hefei_cpe worker`) against the local
Redis (database 3) and the test's PostgreSQL database: the officer's zip is built there.

Needs PostgreSQL (a worker process cannot open the test run's in-memory SQLite) and a Redis at
127.0.0.1:6379; CI has both. Skipped, saying why, when either is missing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from apps.accounts.models import Role
from apps.jobs.models import Job
from tests.jobs.support import celery_conf

ROOT = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/3"
# One queue per pytest-xdist process: two tests with real workers never take each other's jobs.
QUEUE = f"tests-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=0.5).ping())
    except redis.exceptions.ConnectionError:
        return False


def worker_env(media_root: Path) -> dict[str, str]:
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=url,
        CELERY_BROKER_URL=BROKER,
        MEDIA_ROOT=str(media_root),
        DEBUG="1",
        PUBLIC_BASE_URL="https://jxjy.example.cn",
    )
    env.pop("REDIS_URL", None)
    return env


def start_worker(media_root: Path, *, concurrency: int = 1) -> subprocess.Popen[bytes]:
    import redis

    redis.Redis.from_url(BROKER).delete(QUEUE)  # no message of an earlier run
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "hefei_cpe",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            QUEUE,
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=worker_env(media_root),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a worker process needs the test database on PostgreSQL (DATABASE_URL)",
)
@pytest.mark.django_db(transaction=True)
def test_it_builds_the_zip_in_a_real_worker(personas, person, settings):
    if not _redis_up():
        pytest.skip("no Redis at 127.0.0.1:6379")
    from tests.conftest import client_for
    from tests.verification.support import give_ledger
    from tests.verification.test_views import issue

    officer = personas[Role.DISTRICT_OFFICER]
    give_ledger(person, range(2020, 2025))
    verification = issue(officer, person, title_level="intermediate")
    worker = start_worker(Path(settings.MEDIA_ROOT))
    try:
        with celery_conf(task_always_eager=False, broker_url=BROKER, task_default_queue=QUEUE):
            response = client_for(officer).post(
                reverse("verification:zip"), {"verification": [verification.pk]}
            )
        job = Job.objects.get()
        assert response["Location"] == reverse("jobs:detail", args=[job.pk])
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.finished:
                break
            assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
            time.sleep(0.3)
        assert job.status == "done", (job.status, job.error)
        assert job.task_id and job.attempts == 1
        with job.result_file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
            (name,) = archive.namelist()
            assert verification.code_display in name
    finally:
        stop_worker(worker)
