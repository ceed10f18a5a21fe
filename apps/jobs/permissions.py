"""Who may have a job run: the owner checked again when a worker takes it."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.jobs.models import Job
from apps.jobs.services import JobError


def job_owner_require(job: Job, roles: Collection[str]) -> User:
    """The job's owner, checked again when the job runs: still active and still in one of the
    roles that may submit it (an account closed or moved since then gets nothing written)."""
    owner = job.owner
    if not owner.is_active or owner.role not in roles:
        raise JobError(
            _(
                "Your account no longer has the access this job needs; nothing was written. "
                "Ask your administrator."
            )
        )
    return owner
