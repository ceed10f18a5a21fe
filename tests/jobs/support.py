"""A job kind for the tests of the job machinery, and switching the Celery app between eager
and a broker for one test."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from django.db import transaction
from kombu import pools

from apps.jobs.models import Job
from apps.jobs.services import JobError, JobResult, Progress, job_task, temporary_file
from apps.people.models import Unit
from hefei_cpe.celery import app

RUNS: list[str] = []  # job ids, one per completed run of the test kind


@job_task("tests.write_file")
def write_file(job: Job, progress: Progress) -> JobResult:
    """Writes `lines` lines to a file; fails at line `fail_at` if given, or says why."""
    lines = int(job.params.get("lines", 3))
    fail_at = job.params.get("fail_at")
    handle, path = temporary_file(".txt")
    try:
        with os.fdopen(handle, "w") as out:
            for i in range(1, lines + 1):
                if i == fail_at:
                    if job.params.get("friendly"):
                        raise JobError("第 3 行有误：测试原因")
                    raise RuntimeError("boom")
                out.write(f"line {i}\n")
                progress(i, lines, step=f"line {i}")
    except BaseException:
        os.unlink(path)
        raise
    RUNS.append(str(job.pk))
    return JobResult(file=path, name="lines.txt", text=f"{lines} lines")


@job_task("tests.rename_units")
def rename_units(job: Job, progress: Progress) -> JobResult:
    """A job that writes to the database in one transaction and fails half-way if asked."""
    names = job.params["names"]
    with transaction.atomic():
        for i, (pk, name) in enumerate(names, start=1):
            if i == job.params.get("fail_at"):
                raise JobError(f"第 {i} 个单位无法改名")
            Unit.objects.filter(pk=pk).update(name=name)
            progress(i, len(names))
    return JobResult(text="ok")


@contextlib.contextmanager
def celery_conf(**changes: object) -> Iterator[None]:
    """Changes the Celery app's configuration for one test (a new broker connection pool)."""
    before = {key: app.conf[key] for key in changes}
    app.conf.update(changes)
    _reset_pools()
    try:
        yield
    finally:
        app.conf.update(before)
        _reset_pools()


def _reset_pools() -> None:
    """Forgets the connections made for the previous broker (kombu keeps them per URL)."""
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
