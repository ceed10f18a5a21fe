"""A background job as its owner sees it: queued, running with progress, done with its file or
result, or failed with a reason. The Celery message carries only the job's id; the row is the
truth the pages poll."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _result_path(job: Job, filename: str) -> str:
    return f"jobs/{job.created_at:%Y/%m}/{job.pk}/{filename}"


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Job queued")
        RUNNING = "running", _("Job running")
        DONE = "done", _("Job done")
        FAILED = "failed", _("Job failed")

    # A random id: the job's URL says nothing about how many jobs there are.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=60)  # the task's name, e.g. verification.zip
    label = models.CharField(max_length=200)  # what the owner asked for, in Chinese
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)  # what it is doing now
    result_file = models.FileField(upload_to=_result_path, blank=True, max_length=300)
    result_name = models.CharField(max_length=200, blank=True)  # the download's file name
    result_text = models.TextField(blank=True)  # a short summary once done
    error = models.TextField(blank=True)  # the reason of a failure, in Chinese
    attempts = models.PositiveSmallIntegerField(default=0)
    # The Celery message running it: the same message delivered again (its worker died) may
    # take a running job over; a duplicate message may not.
    task_id = models.CharField(max_length=64, blank=True)
    # Set when the message could not be handed to the broker (it was down): beat sends it again.
    enqueue_failed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner", "-created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")) | models.Q(total=0),
                name="job_done_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
