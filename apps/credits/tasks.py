"""Background work on the ledger: the per-person-year totals (`PersonYear`) that reports read.

- `credits.person_years_refresh`: after a write touching many people (a large roster or
  public-course import, see `entries_record`), their totals are rebuilt by a worker once the
  write has committed, in chunks;
- `credits.person_years_refresh_all`: every night (Celery beat, hefei_cpe/celery.py) everyone's
  totals are rebuilt from the ledger, so a change of the rule table or anything missed is mended.

Both are idempotent: a rebuild from the ledger replaces the person's rows with the same rows.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from functools import partial

from celery import shared_task
from django.db import OperationalError, transaction
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from apps.credits.ledger import person_years_refresh
from apps.credits.models import LedgerEntry
from apps.jobs.models import Job
from apps.jobs.services import JobError, JobResult, Progress, job_task, temporary_file

logger = logging.getLogger(__name__)

PEOPLE_HOURS_EXPORT_KIND = "credits.people_hours_export"

CHUNK = 2000  # people per transaction


@shared_task(
    name="credits.person_years_refresh",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=5,
    ignore_result=True,
)
def person_years_refresh_task(person_ids: list[int]) -> int:
    """Rebuilds these people's year totals, one transaction per chunk."""
    ids = sorted(set(person_ids))
    written = 0
    for start in range(0, len(ids), CHUNK):
        written += person_years_refresh(person_ids=ids[start : start + CHUNK])
    return written


@shared_task(
    name="credits.person_years_refresh_all",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=3,
    ignore_result=True,
)
def person_years_refresh_all() -> int:
    """Everyone with a ledger entry, in chunks of CHUNK people, each chunk all or nothing."""
    ids = LedgerEntry.objects.values_list("person_id", flat=True).distinct().order_by("person_id")
    written = 0
    chunk: list[int] = []
    for person_id in ids.iterator(chunk_size=CHUNK):
        chunk.append(person_id)
        if len(chunk) == CHUNK:
            written += person_years_refresh(person_ids=chunk)
            chunk = []
    if chunk:
        written += person_years_refresh(person_ids=chunk)
    return written


def person_years_refresh_later(*, person_ids: Iterable[int]) -> None:
    """Rebuilds these people's totals in a worker once the current transaction commits (at
    once, in this process, when tasks run eagerly)."""
    ids = sorted(set(person_ids))
    if not ids:
        return
    for start in range(0, len(ids), CHUNK):
        transaction.on_commit(partial(_send, ids[start : start + CHUNK]))


def _send(ids: list[int]) -> None:
    try:
        person_years_refresh_task.apply_async(args=[ids])
    except (BrokerError, OSError):
        # The broker is down: the nightly rebuild mends these totals; nothing is lost.
        logger.warning(
            "Broker unavailable: %d people's year totals wait for the nightly rebuild", len(ids)
        )


@job_task(PEOPLE_HOURS_EXPORT_KIND)
def people_hours_export_build(job: Job, progress: Progress) -> JobResult:
    """The people-with-hours list too long for a request, as Excel. The owner's scope is looked
    up again now (an officer moved elsewhere gets only whom they answer for today); running it
    again writes the same rows, and the file is stored only once complete."""
    from apps.credits.export import people_hours_file_name, people_hours_write
    from apps.credits.selectors import PeopleHoursFilter, people_with_hours

    try:
        filters = PeopleHoursFilter(**job.params.get("filters", {}))
    except TypeError:
        raise JobError(_("The export's filters are no longer valid; export it again.")) from None
    people = people_with_hours(user=job.owner, filters=filters)
    total = people.count()
    step = _("Writing the rows")
    progress(0, total, step=step)
    written = [0]

    def rows_written(done: int) -> None:
        written[0] = done
        progress(min(done, total), total, step=step)

    handle, path = temporary_file(".xlsx")
    try:
        with os.fdopen(handle, "w+b") as target:
            people_hours_write(people=people, filters=filters, target=target, progress=rows_written)
    except BaseException:
        os.unlink(path)
        raise
    return JobResult(
        file=path,
        name=people_hours_file_name(filters),
        text=_("%(n)d rows exported.") % {"n": written[0]},
    )
