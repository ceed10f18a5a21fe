"""Background work of people: confirming a large import (more rows than
UPLOAD_CONFIRM_INLINE_MAX_ROWS) with the same service the request uses for a small one."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.accounts.access import OFFICERS
from apps.accounts.models import Role
from apps.jobs.models import Job
from apps.jobs.permissions import job_owner_require
from apps.jobs.services import JobError, JobResult, Progress, job_task
from apps.people.importing import people_import_confirm
from apps.people.models import PersonImport

IMPORT_CONFIRM_KIND = "people.import_confirm"
# Who uploads people (the import views' roles): officers and unit administrators.
REGISTRARS = (*OFFICERS, Role.UNIT_ADMIN)


def import_confirm_summary(upload: PersonImport) -> str:
    return _("%(created)d professionals registered, %(unchanged)d already registered.") % {
        "created": upload.created_count,
        "unchanged": upload.unchanged_count,
    }


@job_task(IMPORT_CONFIRM_KIND)
def people_import_confirm_run(job: Job, progress: Progress) -> JobResult:
    """Writes the checked import `params["upload"]`, all of it or nothing, after checking the
    owner again (still an active officer or unit administrator, the upload theirs, its units
    still in their scope: the service checks the last two). Run again once written, it writes
    nothing more and says what the first run did."""
    officer = job_owner_require(job, REGISTRARS)
    upload = PersonImport.objects.filter(pk=job.params.get("upload"), officer=officer).first()
    if upload is None:
        raise JobError(_("This preview has expired; upload the file again."))
    if upload.status == PersonImport.Status.CONFIRMED:
        return JobResult(text=import_confirm_summary(upload))
    progress(0, upload.row_count, step=_("Writing the rows"))
    upload = people_import_confirm(upload=upload, officer=officer)
    progress(upload.row_count, upload.row_count, step=_("Writing the rows"))
    return JobResult(text=import_confirm_summary(upload))
