"""Confirming a large public-course results file is a background job: written once, all or
nothing, only after the request commits, with the officer checked again when it runs."""

from __future__ import annotations

import re
from io import BytesIO
from unittest import mock

import pytest
from django.db import transaction
from django.urls import reverse

from apps.credits.models import LedgerEntry
from apps.jobs.models import Job
from apps.jobs.services import job_run
from apps.publiccourse.models import ImportBatch, PublicResult
from apps.publiccourse.services import results_preview
from apps.publiccourse.tasks import BATCH_CONFIRM_KIND, batch_confirm_run
from tests.conftest import client_for
from tests.factories import make_person
from tests.publiccourse.conftest import row, sheet

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.UPLOAD_CONFIRM_INLINE_MAX_ROWS = 2


def _previewed(city, rows: int) -> ImportBatch:
    people = [make_person(name=f"考生{i}") for i in range(rows)]
    _check, batch = results_preview(
        officer=city, year=2021, file=BytesIO(sheet([row(p) for p in people])), filename="成绩.xlsx"
    )
    assert batch is not None and batch.rows == rows
    return batch


def _confirm(client, batch):
    return client.post(reverse("publiccourse:batch_confirm", args=[batch.pk]))


def _nothing_written() -> bool:
    return not (PublicResult.objects.exists() or LedgerEntry.objects.exists())


def test_it_confirms_a_large_file_by_a_job(city, topics, django_capture_on_commit_callbacks):
    batch = _previewed(city, 3)
    with django_capture_on_commit_callbacks(execute=True):
        response = _confirm(client_for(city), batch)
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.status, job.done, job.total) == (BATCH_CONFIRM_KIND, "done", 3, 3)
    assert CHINESE.search(job.label) and CHINESE.search(job.result_text)
    assert PublicResult.objects.count() == 3 and LedgerEntry.objects.count() == 3
    batch.refresh_from_db()
    assert (batch.status, batch.passes_credited) == (ImportBatch.Status.CONFIRMED, 3)


def test_it_confirms_a_small_file_in_the_request(city, topics):
    batch = _previewed(city, 2)
    response = _confirm(client_for(city), batch)
    assert response["Location"] == reverse("publiccourse:batch", args=[batch.pk])
    assert LedgerEntry.objects.count() == 2 and not Job.objects.exists()


def test_it_enqueues_nothing_when_the_request_rolls_back(
    city, topics, django_capture_on_commit_callbacks
):
    batch = _previewed(city, 3)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _confirm(client_for(city), batch)
        raise RuntimeError("the request fails after the job was recorded")
    assert callbacks == [] and not Job.objects.exists() and _nothing_written()


def test_running_it_twice_writes_nothing_more(city, topics, django_capture_on_commit_callbacks):
    batch = _previewed(city, 3)
    client = client_for(city)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = _confirm(client, batch)
        second = _confirm(client, batch)  # a second click joins the first job
    assert first["Location"] == second["Location"] and Job.objects.count() == 1
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job_run(job_id=str(job.pk), task_id="again", work=batch_confirm_run.work) == "done"
    assert batch_confirm_run.work(job, lambda *a, **k: None).text == job.result_text
    assert PublicResult.objects.count() == 3 and LedgerEntry.objects.count() == 3
    late = _confirm(client, batch)  # an imported file is not confirmed again
    assert late["Location"] == reverse("publiccourse:batch", args=[batch.pk])
    assert Job.objects.count() == 1 and LedgerEntry.objects.count() == 3


def test_a_failure_midway_writes_nothing_and_says_why(
    city, topics, django_capture_on_commit_callbacks
):
    batch = _previewed(city, 3)
    with (
        mock.patch("apps.publiccourse.services.entries_record", side_effect=RuntimeError("boom")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _confirm(client_for(city), batch)  # the results are inserted, then the ledger fails
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert CHINESE.search(job.error) and str(job.pk) in job.error
    assert _nothing_written()
    batch.refresh_from_db()
    assert batch.is_pending


@pytest.mark.parametrize("change", ["account closed", "topic closed"])
def test_the_job_checks_again_when_it_runs(
    city, topics, change, django_capture_on_commit_callbacks
):
    batch = _previewed(city, 3)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _confirm(client_for(city), batch)
    if change == "account closed":
        city.is_active = False
        city.save()
    else:
        topics["a"].is_active = False
        topics["a"].save()
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and CHINESE.search(job.error)
    assert _nothing_written()


def test_a_district_officer_neither_confirms_it_nor_sees_the_job(
    city, topics, officer_client, django_capture_on_commit_callbacks
):
    batch = _previewed(city, 3)
    assert _confirm(officer_client, batch).status_code in (403, 404)
    assert not Job.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        _confirm(client_for(city), batch)
    job = Job.objects.get()
    assert officer_client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
