from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.access import PortalRequest, allow_all_roles
from apps.jobs.models import Job
from apps.jobs.selectors import job_get_for_user, jobs_of

PAGE_SIZE = 30


def job_state(job: Job) -> dict[str, object]:
    """What the job page polls: status, progress and, once done, the download."""
    return {
        "id": str(job.pk),
        "status": job.status,
        "status_label": job.get_status_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "step": job.step,
        "waiting_for_queue": job.status == Job.Status.QUEUED and job.enqueue_failed_at is not None,
        "result_text": job.result_text,
        "error": job.error,
        "download_url": reverse("jobs:download", args=[job.pk]) if job.result_file else "",
        "finished": job.finished,
    }


@allow_all_roles
def job_list(request: PortalRequest) -> HttpResponse:
    """我的任务: the signed-in user's own background jobs."""
    page = Paginator(jobs_of(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page": page})


@allow_all_roles
def job_detail(request: PortalRequest, pk: uuid.UUID) -> HttpResponse:
    job = job_get_for_user(user=request.user, pk=pk)
    return render(request, "jobs/detail.html", {"job": job})


@allow_all_roles
def job_status(request: PortalRequest, pk: uuid.UUID) -> JsonResponse:
    job = job_get_for_user(user=request.user, pk=pk)
    response = JsonResponse(job_state(job))
    response["Cache-Control"] = "no-store"
    return response


@allow_all_roles
def job_download(request: PortalRequest, pk: uuid.UUID) -> FileResponse:
    job = job_get_for_user(user=request.user, pk=pk)
    if job.status != Job.Status.DONE or not job.result_file:
        raise Http404(_("This job has no file to download."))
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file of this job is no longer kept.")) from None
    response = FileResponse(handle, as_attachment=True, filename=job.result_name or "result")
    response["Cache-Control"] = "private, no-store"
    return response
