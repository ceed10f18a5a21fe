"""The job machinery: enqueued after commit, idempotent, all or nothing, a worker that died,
the broker down."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from apps.accounts.models import Role
from apps.jobs.models import Job
from apps.jobs.services import JOBS_MAX_ATTEMPTS, job_run, job_submit, jobs_requeue_stranded
from tests.factories import UnitFactory
from tests.jobs import support
from tests.jobs.support import celery_conf


@pytest.fixture
def officer(personas):
    return personas[Role.DISTRICT_OFFICER]


def submit(owner, kind="tests.write_file", **params):
    return job_submit(owner=owner, kind=kind, label="测试任务", params=params)


def test_it_runs_the_job_after_the_commit(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = submit(officer, lines=4)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED  # nothing ran before the commit
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.result_text) == ("done", 4, 4, "4 lines")
    with job.result_file.open("rb") as handle:
        assert handle.read() == b"line 1\nline 2\nline 3\nline 4\n"
    assert job.started_at and job.finished_at and job.attempts == 1


def test_it_enqueues_nothing_when_the_write_rolls_back(officer, django_capture_on_commit_callbacks):
    runs = len(support.RUNS)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submit(officer)
        raise RuntimeError("the write fails")
    assert callbacks == []
    assert not Job.objects.exists()
    assert len(support.RUNS) == runs


def test_it_runs_a_job_twice_without_changing_anything_more(
    officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = submit(officer)
    job.refresh_from_db()
    first = (job.result_file.name, job.finished_at)
    runs = len(support.RUNS)
    # the same message again, and a duplicate message
    assert job_run(job_id=str(job.pk), task_id=job.task_id, work=support.write_file.work) == "done"
    assert job_run(job_id=str(job.pk), task_id="another", work=support.write_file.work) == "done"
    job.refresh_from_db()
    assert (job.result_file.name, job.finished_at) == first
    assert len(support.RUNS) == runs


def test_it_keeps_no_file_of_a_job_that_failed_midway(
    officer, django_capture_on_commit_callbacks, tmp_path, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        job = submit(officer, lines=5, fail_at=3)
    job.refresh_from_db()
    assert job.status == "failed"
    assert not job.result_file
    assert "系统内部错误" in job.error and str(job.pk) in job.error
    stored = settings.MEDIA_ROOT / "jobs"
    assert not stored.exists() or not [p for p in stored.rglob("*") if p.is_file()]


def test_it_shows_the_reason_the_work_gave(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = submit(officer, lines=5, fail_at=3, friendly=True)
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "第 3 行有误：测试原因")


def test_it_writes_nothing_of_a_database_job_that_failed_midway(
    officer, django_capture_on_commit_callbacks
):
    units = [UnitFactory(name=f"单位{i}") for i in range(4)]
    names = [[u.pk, f"新名{i}"] for i, u in enumerate(units)]
    with django_capture_on_commit_callbacks(execute=True):
        job = submit(officer, kind="tests.rename_units", names=names, fail_at=3)
    job.refresh_from_db()
    assert job.status == "failed" and "第 3 个单位" in job.error
    assert [u.name for u in units] == [type(u).objects.get(pk=u.pk).name for u in units]


def test_it_starts_over_when_its_worker_died(officer, django_capture_on_commit_callbacks):
    """acks_late: the dead worker's message comes back with the same task id; the job starts
    over from nothing. A duplicate message (another id) leaves a running job alone."""
    with django_capture_on_commit_callbacks(execute=False):
        job = submit(officer, lines=2)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, task_id="message-1", attempts=1, done=1
    )
    assert job_run(job_id=str(job.pk), task_id="message-2", work=support.write_file.work) == (
        "running"
    )
    assert job_run(job_id=str(job.pk), task_id="message-1", work=support.write_file.work) == (
        "done"
    )
    job.refresh_from_db()
    assert job.attempts == 2
    with job.result_file.open("rb") as handle:
        assert handle.read() == b"line 1\nline 2\n"


def test_it_gives_up_after_repeated_deaths(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = submit(officer)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, task_id="m", attempts=JOBS_MAX_ATTEMPTS
    )
    assert job_run(job_id=str(job.pk), task_id="m", work=support.write_file.work) == "failed"
    job.refresh_from_db()
    assert "中断" in job.error and not job.result_file


def test_it_says_queued_when_the_broker_is_down(
    officer, officer_client, django_capture_on_commit_callbacks
):
    """No broker: the page answers (no 500), the job waits, marked, and is sent again by the
    beat task once the broker is back."""
    with celery_conf(task_always_eager=False, broker_url="redis://127.0.0.1:8329/0"):
        with django_capture_on_commit_callbacks(execute=True):
            job = submit(officer)
        job.refresh_from_db()
        assert job.status == "queued" and job.enqueue_failed_at is not None
        page = officer_client.get(reverse("jobs:detail", args=[job.pk]))
        assert page.status_code == 200
        assert "队列暂时不可用" in page.content.decode()
        state = officer_client.get(reverse("jobs:status", args=[job.pk])).json()
        assert state["waiting_for_queue"] is True and state["status"] == "queued"
    # the broker is back (eager here): the stranded job is sent again and runs
    Job.objects.filter(pk=job.pk).update(enqueue_failed_at=job.enqueue_failed_at.replace(year=2000))
    assert jobs_requeue_stranded() == 1
    job.refresh_from_db()
    assert job.status == "done" and job.enqueue_failed_at is None


def test_it_answers_the_verification_zip_when_the_broker_is_down(
    officer_client, personas, person, django_capture_on_commit_callbacks
):
    from tests.verification.support import give_ledger
    from tests.verification.test_views import issue

    give_ledger(person, range(2020, 2025))
    verification = issue(personas[Role.DISTRICT_OFFICER], person, title_level="intermediate")
    with celery_conf(task_always_eager=False, broker_url="redis://127.0.0.1:8329/0"):
        with django_capture_on_commit_callbacks(execute=True):
            response = officer_client.post(
                reverse("verification:zip"), {"verification": [verification.pk]}
            )
        job = Job.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("jobs:detail", args=[job.pk])
        assert job.status == "queued" and job.enqueue_failed_at is not None
        assert officer_client.get(response["Location"]).status_code == 200
        assert officer_client.get(reverse("verification:list")).status_code == 200


def test_it_lists_only_the_users_own_jobs(personas, django_capture_on_commit_callbacks):
    from tests.conftest import client_for

    mine = submit(personas[Role.DISTRICT_OFFICER])
    theirs = submit(personas[Role.CITY_OFFICER])
    page = client_for(personas[Role.DISTRICT_OFFICER]).get(reverse("jobs:list"))
    assert reverse("jobs:detail", args=[mine.pk]) in page.content.decode()
    assert reverse("jobs:detail", args=[theirs.pk]) not in page.content.decode()
    other = client_for(personas[Role.CITY_OFFICER])
    for name in ("detail", "status", "download"):
        assert other.get(reverse(f"jobs:{name}", args=[mine.pk])).status_code == 404


def test_it_lists_jobs_with_a_constant_number_of_queries(
    officer, officer_client, django_assert_max_num_queries
):
    for _ in range(5):
        submit(officer)
    with django_assert_max_num_queries(8):
        assert officer_client.get(reverse("jobs:list")).status_code == 200
