from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from apps.accounts.models import User
from apps.jobs.models import Job


def jobs_of(*, user: User) -> QuerySet[Job]:
    """A user's own jobs, newest first. Nobody sees anyone else's, whatever their role."""
    return Job.objects.filter(owner=user).order_by("-created_at")


def job_get_for_user(*, user: User, pk: uuid.UUID | str) -> Job:
    job = jobs_of(user=user).filter(pk=pk).first()
    if job is None:
        raise Http404("no such job of yours")
    return job
