"""Background work of the public course: confirming a large results file (more rows than
UPLOAD_CONFIRM_INLINE_MAX_ROWS) with the same service the request uses for a small one."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.accounts.models import Role
from apps.jobs.models import Job
from apps.jobs.permissions import job_owner_require
from apps.jobs.services import JobError, JobResult, Progress, job_task
from apps.publiccourse.models import ImportBatch
from apps.publiccourse.selectors import batches_visible_to
from apps.publiccourse.services import batch_confirm

BATCH_CONFIRM_KIND = "publiccourse.batch_confirm"


def batch_confirm_summary(batch: ImportBatch) -> str:
    return _("Imported: %(credited)d passes credited, %(known)d already credited.") % {
        "credited": batch.passes_credited,
        "known": batch.passes_known,
    }


@job_task(BATCH_CONFIRM_KIND)
def batch_confirm_run(job: Job, progress: Progress) -> JobResult:
    """Writes the previewed batch `params["batch"]`, all of it or nothing, after checking the
    owner again (still an active city officer who sees the batch). Run again once written, it
    writes nothing more and says what the first run did."""
    officer = job_owner_require(job, (Role.CITY_OFFICER,))
    batch = batches_visible_to(user=officer).filter(pk=job.params.get("batch")).first()
    if batch is None:
        raise JobError(_("This preview has expired; upload the file again."))
    if not batch.is_pending:
        return JobResult(text=batch_confirm_summary(batch))
    progress(0, batch.rows, step=_("Writing the rows"))
    batch = batch_confirm(batch=batch, officer=officer)
    progress(batch.rows, batch.rows, step=_("Writing the rows"))
    return JobResult(text=batch_confirm_summary(batch))
