"""Background work of verifications: a batch of stored PDFs zipped for an officer."""

from __future__ import annotations

import os

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.jobs.models import Job
from apps.jobs.services import JobResult, Progress, job_task, temporary_file
from apps.verification.selectors import verifications_visible_to
from apps.verification.services import verifications_zip_write

ZIP_KIND = "verification.zip"


@job_task(ZIP_KIND)
def verifications_zip_build(job: Job, progress: Progress) -> JobResult:
    """The ticked (or filtered) verifications' PDFs as one zip. What the owner may see is
    looked up again now, so a PDF the owner lost access to since does not go in. Running it
    again builds the same zip; the file is stored only once complete."""
    ids = [int(i) for i in job.params.get("ids", [])]
    chosen = list(
        verifications_visible_to(user=job.owner)
        .filter(pk__in=ids, code__isnull=False)
        .order_by("application_year", "person_name", "id")
    )
    progress(0, len(chosen), step=_("Packing the PDFs"))
    handle, path = temporary_file(".zip")
    try:
        with os.fdopen(handle, "wb") as target:
            count = verifications_zip_write(
                verifications=chosen,
                target=target,
                progress=lambda done, total: progress(done, total, step=_("Packing the PDFs")),
            )
    except BaseException:
        os.unlink(path)
        raise
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    return JobResult(
        file=path,
        name=f"学时验证-{stamp}.zip",
        text=_("%(n)d verification PDFs in one zip.") % {"n": count},
    )
