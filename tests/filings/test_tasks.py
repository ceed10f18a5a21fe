"""Confirming a large roster is a background job: written once, all or nothing, only after the
request commits, with the base's access checked again when it runs."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.credits.models import LedgerEntry
from apps.filings.models import Plan, RosterRow, RosterUpload
from apps.filings.services import roster_check
from apps.filings.tasks import ROSTER_CONFIRM_KIND, roster_confirm_run
from apps.jobs.models import Job
from apps.jobs.services import job_run
from apps.people.models import Person, Unit
from tests.conftest import client_for
from tests.factories import new_id_number
from tests.filings.support import row, xlsx_bytes
from tests.filings.test_views import _ended_plan

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.UPLOAD_CONFIRM_INLINE_MAX_ROWS = 2


@pytest.fixture
def plan(staff):
    return _ended_plan(staff)


def _checked(plan, staff, rows: int) -> RosterUpload:
    data = xlsx_bytes(
        [row(i, f"学员{i}", new_id_number(), unit="新开诊所") for i in range(1, rows + 1)]
    )
    check = roster_check(
        plan=plan, user=staff, data=data, filename="名单.xlsx", today=timezone.localdate()
    )
    assert check.ok, check.problems
    return check.upload


def _confirm(client, upload):
    return client.post(reverse("filings:roster_confirm", args=[upload.pk]))


def _nothing_written(plan) -> bool:
    return not (
        RosterRow.objects.filter(plan=plan).exists()
        or LedgerEntry.objects.exists()
        or Person.objects.filter(name__startswith="学员").exists()
        or Unit.objects.filter(name="新开诊所").exists()
    )


def test_it_confirms_a_large_roster_by_a_job(staff, plan, django_capture_on_commit_callbacks):
    upload = _checked(plan, staff, 3)
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = _confirm(client, upload)
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.status, job.done, job.total) == (ROSTER_CONFIRM_KIND, "done", 3, 3)
    assert CHINESE.search(job.label) and CHINESE.search(job.result_text)
    assert RosterRow.objects.filter(plan=plan).count() == 3
    assert LedgerEntry.objects.count() == 3
    upload.refresh_from_db()
    assert (upload.status, upload.credited_count) == (RosterUpload.Status.CONFIRMED, 3)


def test_it_confirms_a_small_roster_in_the_request(staff, plan):
    upload = _checked(plan, staff, 2)
    response = _confirm(client_for(staff), upload)
    assert response["Location"] == reverse("filings:plan_detail", args=[plan.pk])
    assert LedgerEntry.objects.count() == 2 and not Job.objects.exists()


def test_it_enqueues_nothing_when_the_request_rolls_back(
    staff, plan, django_capture_on_commit_callbacks
):
    upload = _checked(plan, staff, 3)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _confirm(client_for(staff), upload)
        raise RuntimeError("the request fails after the job was recorded")
    assert callbacks == [] and not Job.objects.exists() and _nothing_written(plan)


def test_running_it_twice_writes_nothing_more(staff, plan, django_capture_on_commit_callbacks):
    upload = _checked(plan, staff, 3)
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = _confirm(client, upload)
        second = _confirm(client, upload)  # a second click joins the first job
    assert first["Location"] == second["Location"] and Job.objects.count() == 1
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job_run(job_id=str(job.pk), task_id="again", work=roster_confirm_run.work) == "done"
    assert roster_confirm_run.work(job, lambda *a, **k: None).text == job.result_text
    assert (RosterRow.objects.count(), LedgerEntry.objects.count()) == (3, 3)
    assert Person.objects.filter(name__startswith="学员").count() == 3
    assert Unit.objects.filter(name="新开诊所").count() == 1
    late = _confirm(client, upload)  # a confirmed roster is not confirmed again
    assert late["Location"] == reverse("filings:roster_preview", args=[upload.pk])
    assert Job.objects.count() == 1 and RosterRow.objects.count() == 3


def test_a_failure_midway_writes_nothing_and_says_why(
    staff, plan, django_capture_on_commit_callbacks
):
    upload = _checked(plan, staff, 3)
    with (
        mock.patch("apps.filings.services.entries_record", side_effect=RuntimeError("boom")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _confirm(client_for(staff), upload)  # units, people and rows written, then the ledger fails
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert CHINESE.search(job.error) and str(job.pk) in job.error
    assert _nothing_written(plan)
    upload.refresh_from_db()
    assert upload.status == RosterUpload.Status.CHECKED


def test_the_job_checks_the_base_again_when_it_runs(
    staff, plan, django_capture_on_commit_callbacks
):
    upload = _checked(plan, staff, 3)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _confirm(client_for(staff), upload)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.WITHDRAWN)
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and CHINESE.search(job.error)
    assert _nothing_written(plan)


def test_another_base_neither_confirms_it_nor_sees_the_job(
    staff, other_staff, plan, django_capture_on_commit_callbacks
):
    upload = _checked(plan, staff, 3)
    other = client_for(other_staff)
    assert _confirm(other, upload).status_code == 404 and not Job.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        _confirm(client_for(staff), upload)
    assert other.get(reverse("jobs:detail", args=[Job.objects.get().pk])).status_code == 404
