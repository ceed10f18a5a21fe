"""Housekeeping of the job table, on Celery beat (hefei_cpe/celery.py)."""

from __future__ import annotations

from celery import shared_task

from apps.jobs.services import jobs_purge_old, jobs_requeue_stranded


@shared_task(name="jobs.requeue_stranded", ignore_result=True)
def requeue_stranded() -> int:
    return jobs_requeue_stranded()


@shared_task(name="jobs.purge_old", ignore_result=True)
def purge_old() -> int:
    return jobs_purge_old()
