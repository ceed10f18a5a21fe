"""Background work of the reports: the nightly full rebuild of the summaries (Celery beat,
hefei_cpe/celery.py) and the large exports, run as user-visible jobs (apps/jobs)."""

from __future__ import annotations

import os

from celery import shared_task
from django.http import Http404
from django.utils.translation import gettext as _

from apps.jobs.models import Job
from apps.jobs.services import JobError, JobResult, Progress, job_task, temporary_file
from apps.reports.summaries import summaries_refresh

EXPORT_KIND = "reports.export"


@shared_task(name="reports.summaries_refresh", ignore_result=True)
def summaries_refresh_nightly() -> int:
    """Rebuilds every summary table from people and year totals (one transaction; running it
    again gives the same figures). Returns the people counted."""
    return summaries_refresh().people


@job_task(EXPORT_KIND)
def reports_export_build(job: Job, progress: Progress) -> JobResult:
    """A report export too long for a request. The owner's scope is looked up again now (an
    officer moved to another district since gets nothing of the old one); running it again
    writes the same rows, and the file is stored only once complete."""
    from apps.reports.export import (
        EXPORTS,
        export_query,
        export_rows_total,
        export_write,
        report_query,
    )

    table = str(job.params.get("table", ""))
    if table not in EXPORTS:
        raise JobError(_("Unknown export: %(table)s.") % {"table": table})
    try:
        form, scope = report_query(user=job.owner, data=export_query(job.params.get("query", {})))
    except Http404:
        raise JobError(_("You may no longer see this report.")) from None
    if not form.is_valid():
        raise JobError(_("The report query is no longer valid; export it again from the page."))
    step = _("Writing the rows")
    # In the background one COUNT is affordable; it gives the progress bar its end.
    total = export_rows_total(form=form, scope=scope, table=table)
    progress(0, total, step=step)
    written = [0]

    def rows_written(done: int) -> None:
        written[0] = done
        progress(min(done, total), total, step=step)

    handle, path = temporary_file(".xlsx")
    try:
        with os.fdopen(handle, "w+b") as target:
            _out, name = export_write(
                form=form, scope=scope, table=table, target=target, progress=rows_written
            )
    except BaseException:
        os.unlink(path)
        raise
    return JobResult(file=path, name=name, text=_("%(n)d rows exported.") % {"n": written[0]})
