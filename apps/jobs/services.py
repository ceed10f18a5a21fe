"""Writes on jobs: submit (create and enqueue after commit), run (claim, progress, finish or
fail), requeue what the broker refused, purge old ones.

A job's work is a plain function `work(job, progress) -> JobResult` registered as a Celery task
with `job_task` (see tasks in apps/<app>/tasks.py):

    @job_task("verification.zip")
    def verifications_zip_build(job: Job, progress: Progress) -> JobResult:
        ...
        progress(done, total, step="…")
        return JobResult(file=path, name="verifications.zip", text="…")

and submitted from a service or view inside its transaction:

    job = job_submit(owner=user, kind="verification.zip", label="…", params={...})

The message is sent only when the transaction commits (a rolled-back write sends nothing) and
carries the job's id only. Running a job twice changes nothing more: a finished job is left
alone, and the work itself is idempotent. A worker killed mid-job: its message goes back to the
queue (acks_late, reject_on_worker_lost) and the job starts over; a job's file is stored only
once complete, so nothing is ever half there; after JOBS_MAX_ATTEMPTS starts it is failed.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from celery import current_app, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DatabaseError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from apps.accounts.models import User
from apps.jobs.models import Job

logger = logging.getLogger(__name__)

JOBS_MAX_ATTEMPTS = 3
# Progress is written at most this often (seconds), and always at the end.
PROGRESS_INTERVAL = 0.5


class JobError(Exception):
    """A failure the owner can act on; its message (Chinese) is shown on the job."""


class Progress(Protocol):
    def __call__(self, done: int, total: int | None = None, *, step: str = "") -> None: ...


@dataclass(frozen=True)
class JobResult:
    text: str = ""
    file: str | None = None  # a path on local disk; moved into storage, then removed
    name: str = ""  # the file name the owner downloads


Work = Callable[[Job, Progress], JobResult]


def job_submit(
    *, owner: User, kind: str, label: str, params: dict[str, Any] | None = None, total: int = 0
) -> Job:
    """Records the job and sends it to a worker once the surrounding transaction commits."""
    job = Job.objects.create(
        owner=owner, kind=kind, label=label[:200], params=params or {}, total=total
    )
    transaction.on_commit(lambda: job_send(job_id=str(job.pk), kind=kind))
    return job


def job_submit_once(
    *, owner: User, kind: str, label: str, params: dict[str, Any], total: int = 0
) -> tuple[Job, bool]:
    """`job_submit`, unless the owner has a job of this kind with these params queued or
    running: then that one (a second click on “confirm” does not start a second job). Call it
    with the row the job works on locked, so two requests do not both submit. Returns the job
    and whether it is new."""
    pending = Job.objects.filter(
        owner=owner, kind=kind, status__in=(Job.Status.QUEUED, Job.Status.RUNNING)
    )
    for key, value in params.items():
        pending = pending.filter(**{f"params__{key}": value})
    job = pending.order_by("-created_at").first()
    if job is not None:
        return job, False
    return job_submit(owner=owner, kind=kind, label=label, params=params, total=total), True


def job_send(*, job_id: str, kind: str) -> bool:
    """Hands the job to the broker (or, eagerly, runs it). False when the broker is down: the
    job stays queued, marked, and the beat task `jobs.requeue_stranded` sends it again."""
    if kind not in current_app.tasks:
        current_app.loader.import_default_modules()  # every app's tasks.py
    task = current_app.tasks[kind]
    try:
        task.apply_async(args=[job_id])
    except (BrokerError, OSError) as exc:
        logger.warning("Broker unavailable; job %s stays queued: %s", job_id, exc)
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            enqueue_failed_at=timezone.now()
        )
        return False
    Job.objects.filter(pk=job_id, enqueue_failed_at__isnull=False).update(enqueue_failed_at=None)
    return True


def _claim(job_id: str, task_id: str) -> Job | None:
    """Marks the job running for this message. A queued job is taken; a running one only by the
    same message delivered again (its worker died); anything else (done, failed, or running
    under another message) is left alone."""
    now = timezone.now()
    claimed = (
        Job.objects.filter(pk=job_id)
        .filter(Q(status=Job.Status.QUEUED) | Q(status=Job.Status.RUNNING, task_id=task_id))
        .update(
            status=Job.Status.RUNNING,
            task_id=task_id,
            started_at=now,
            done=0,
            step="",
            attempts=F("attempts") + 1,
            enqueue_failed_at=None,
        )
    )
    if not claimed:
        return None
    return Job.objects.select_related("owner").get(pk=job_id)


def _fail(job_id: str, reason: str) -> None:
    Job.objects.filter(pk=job_id).exclude(status=Job.Status.DONE).update(
        status=Job.Status.FAILED, error=reason, finished_at=timezone.now()
    )


def _progress_writer(job: Job) -> Progress:
    last = [0.0]

    def progress(done: int, total: int | None = None, *, step: str = "") -> None:
        now = time.monotonic()
        finished = total is not None and done >= total
        if not finished and now - last[0] < PROGRESS_INTERVAL:
            return
        last[0] = now
        changes: dict[str, Any] = {"done": done, "step": step[:200]}
        if total is not None:
            changes["total"] = total
            changes["done"] = min(done, total)
        Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(**changes)

    return progress


def _store(job: Job, result: JobResult) -> None:
    """Moves the finished file into storage and marks the job done, in that order: the row
    names the file only once it is complete."""
    stored = ""
    if result.file:
        with open(result.file, "rb") as handle:
            stored = job.result_file.storage.save(
                job.result_file.field.generate_filename(job, result.name or "result"),
                File(handle),
            )
        os.unlink(result.file)
    updated = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        status=Job.Status.DONE,
        done=F("total"),
        step="",
        result_file=stored,
        result_name=result.name[:200],
        result_text=result.text,
        error="",
        finished_at=timezone.now(),
    )
    if not updated and stored:
        job.result_file.storage.delete(stored)


def job_run(*, job_id: str, task_id: str, work: Work) -> str:
    """Runs one delivery of a job; returns its status afterwards. Never raises for the job's
    own failures (they are recorded on the row); a database outage is raised for a retry."""
    job = _claim(job_id, task_id)
    if job is None:
        current = Job.objects.filter(pk=job_id).values_list("status", flat=True).first()
        return current or "missing"
    if job.attempts > JOBS_MAX_ATTEMPTS:
        _fail(
            job_id,
            _(
                "The job was interrupted %(n)d times (the worker stopped) and has been "
                "abandoned; nothing was kept. Submit it again."
            )
            % {"n": job.attempts - 1},
        )
        return Job.Status.FAILED
    try:
        result = work(job, _progress_writer(job))
        _store(job, result)
    except JobError as exc:
        _fail(job_id, str(exc))
    except ValidationError as exc:
        _fail(job_id, "；".join(exc.messages))
    except SoftTimeLimitExceeded:
        _fail(
            job_id,
            _("The job took longer than allowed and was stopped; nothing was kept.")
            + " "
            + _("Choose less at once and submit it again."),
        )
    except OperationalError:
        # The database went away: give the job back for a retry (the work is idempotent).
        Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(status=Job.Status.QUEUED)
        raise
    except DatabaseError as exc:
        logger.exception("Job %s (%s) failed in the database", job_id, job.kind)
        _fail(job_id, _unexpected(job_id, exc))
    except Exception as exc:
        logger.exception("Job %s (%s) failed", job_id, job.kind)
        _fail(job_id, _unexpected(job_id, exc))
    return Job.objects.values_list("status", flat=True).get(pk=job_id)


def _unexpected(job_id: str, exc: BaseException) -> str:
    return _(
        "The job stopped on an internal error and nothing was kept. Try again later, or give "
        "the administrator this job number: %(id)s."
    ) % {"id": job_id}


def job_task(name: str, *, queue: str | None = None) -> Callable[[Work], Any]:
    """Registers `work` as the Celery task `name` that runs jobs of that kind."""

    def decorate(work: Work) -> Any:
        options: dict[str, Any] = {
            "name": name,
            "bind": True,
            "acks_late": True,
            "reject_on_worker_lost": True,
            "autoretry_for": (OperationalError,),
            "retry_backoff": 5,
            "max_retries": 5,
        }
        if queue:
            options["queue"] = queue

        @shared_task(**options)
        def run(self: Any, job_id: str) -> str:
            return job_run(job_id=job_id, task_id=str(self.request.id), work=work)

        run.work = work
        return run

    return decorate


def temporary_file(suffix: str) -> tuple[int, str]:
    """A temporary file for a job's output (not in storage until complete)."""
    return tempfile.mkstemp(suffix=suffix, prefix="job-")


def jobs_requeue_stranded() -> int:
    """Sends again the jobs that the broker refused when they were submitted."""
    cutoff = timezone.now() - timedelta(seconds=settings.JOBS_REQUEUE_AFTER_SECONDS)
    stranded = Job.objects.filter(
        status=Job.Status.QUEUED, enqueue_failed_at__isnull=False, enqueue_failed_at__lt=cutoff
    ).values_list("pk", "kind")
    sent = 0
    for job_id, kind in stranded:
        sent += job_send(job_id=str(job_id), kind=kind)
    return sent


def jobs_purge_old() -> int:
    """Deletes finished jobs (and their files) older than JOBS_KEEP_DAYS days."""
    cutoff = timezone.now() - timedelta(days=settings.JOBS_KEEP_DAYS)
    old = Job.objects.filter(finished_at__lt=cutoff)
    count = 0
    for job in old.iterator():
        if job.result_file and job.result_file.name:
            job.result_file.storage.delete(job.result_file.name)
        job.delete()
        count += 1
    return count
