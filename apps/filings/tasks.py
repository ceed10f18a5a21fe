"""Background work of filings: confirming a large roster (more rows than
UPLOAD_CONFIRM_INLINE_MAX_ROWS) with the same service the request uses for a small one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from apps.accounts.models import Role
from apps.filings.models import RosterUpload
from apps.filings.selectors import upload_get_for_user
from apps.filings.services import roster_confirm
from apps.jobs.models import Job
from apps.jobs.permissions import job_owner_require
from apps.jobs.services import JobError, JobResult, Progress, job_task

ROSTER_CONFIRM_KIND = "filings.roster_confirm"


def roster_confirm_summary(upload: RosterUpload) -> str:
    return _(
        "The roster is recorded: %(credited)d trainees credited, %(already)d already on "
        "the roster, %(people)d professionals and %(units)d units newly registered."
    ) % {
        "credited": upload.credited_count,
        "already": upload.already_count,
        "people": upload.created_people,
        "units": upload.created_units,
    }


@job_task(ROSTER_CONFIRM_KIND)
def roster_confirm_run(job: Job, progress: Progress) -> JobResult:
    """Writes the checked roster `params["upload"]`, all of it or nothing. The owner is checked
    again now: still active organiser staff, the upload still their organiser's, and the plan
    still one they may report on (the service checks that and the reporting window). Run again
    once written, it writes nothing more and says what the first run did."""
    user = job_owner_require(job, (Role.ORGANISER_STAFF,))
    try:
        upload = upload_get_for_user(user=user, pk=int(job.params.get("upload", 0)))
    except Http404:
        raise JobError(_("This preview has expired; upload the file again.")) from None
    if upload.status == RosterUpload.Status.CONFIRMED:
        return JobResult(text=roster_confirm_summary(upload))
    progress(0, upload.row_count, step=_("Writing the rows"))
    try:
        result = roster_confirm(upload=upload, user=user)
    except PermissionDenied:
        raise JobError(_("You may no longer report on this plan; nothing was written.")) from None
    progress(upload.row_count, upload.row_count, step=_("Writing the rows"))
    return JobResult(text=roster_confirm_summary(result.upload))
