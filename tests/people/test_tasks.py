"""Confirming a large people import is a background job: written once, all or nothing, only
after the request commits, with the owner checked again when it runs."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.db import transaction
from django.urls import reverse

from apps.accounts.models import Role
from apps.jobs.models import Job
from apps.jobs.services import job_run
from apps.people.models import Person, PersonImport
from apps.people.tasks import IMPORT_CONFIRM_KIND, people_import_confirm_run
from tests.people.test_import import _id, _sheet, _upload

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.UPLOAD_CONFIRM_INLINE_MAX_ROWS = 2


@pytest.fixture
def unit(shushan):
    from tests.factories import UnitFactory

    return UnitFactory(jurisdiction=shushan, name="蜀山区琥珀小学")


def _checked(client, rows: int) -> PersonImport:
    content = _sheet([[i, f"张{i}", _id(i), "蜀山区琥珀小学"] for i in range(1, rows + 1)])
    response = _upload(client, content)
    assert response.status_code == 302
    return PersonImport.objects.get(status=PersonImport.Status.CHECKED)


def _confirm(client, upload):
    return client.post(reverse("people:import_confirm", args=[upload.pk]))


def test_it_confirms_a_large_import_by_a_job(
    officer_client, unit, django_capture_on_commit_callbacks
):
    upload = _checked(officer_client, 3)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _confirm(officer_client, upload)
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.kind, job.status, job.total, job.done) == (IMPORT_CONFIRM_KIND, "done", 3, 3)
    assert CHINESE.search(job.label) and "3" in job.result_text
    assert Person.objects.filter(unit=unit).count() == 3
    upload.refresh_from_db()
    assert (upload.status, upload.created_count) == (PersonImport.Status.CONFIRMED, 3)
    page = officer_client.get(response["Location"])
    assert page.status_code == 200 and job.result_text in page.content.decode()


def test_it_confirms_a_small_import_in_the_request(officer_client, unit):
    upload = _checked(officer_client, 2)
    response = _confirm(officer_client, upload)
    assert response["Location"] == reverse("people:list")
    assert Person.objects.filter(unit=unit).count() == 2
    assert not Job.objects.exists()


def test_it_enqueues_nothing_when_the_request_rolls_back(
    officer_client, unit, django_capture_on_commit_callbacks
):
    upload = _checked(officer_client, 3)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _confirm(officer_client, upload)
        raise RuntimeError("the request fails after the job was recorded")
    assert callbacks == []
    assert not Job.objects.exists() and not Person.objects.filter(unit=unit).exists()


def test_a_second_click_joins_the_job_and_a_second_run_writes_nothing(
    officer_client, officer, unit, django_capture_on_commit_callbacks
):
    upload = _checked(officer_client, 3)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = _confirm(officer_client, upload)
        second = _confirm(officer_client, upload)
    assert first["Location"] == second["Location"]
    assert Job.objects.count() == 1
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job.status == Job.Status.DONE
    # The same message delivered again, and the work itself run again: nothing more.
    assert (
        job_run(job_id=str(job.pk), task_id="again", work=people_import_confirm_run.work) == "done"
    )
    again = people_import_confirm_run.work(job, lambda *args, **kwargs: None)
    assert again.text == job.result_text
    assert Person.objects.filter(unit=unit).count() == 3
    # A confirmed preview is not confirmed again, inline or by a job.
    late = _confirm(officer_client, upload)
    assert late["Location"] == reverse("people:import") and Job.objects.count() == 1


def test_a_failure_midway_writes_nothing_and_says_why(
    officer_client, unit, django_capture_on_commit_callbacks
):
    upload = _checked(officer_client, 3)
    with (
        mock.patch.object(PersonImport, "save", side_effect=RuntimeError("disk full")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _confirm(officer_client, upload)  # the people are inserted, then the upload fails
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert CHINESE.search(job.error) and str(job.pk) in job.error
    assert not Person.objects.filter(unit=unit).exists()
    upload.refresh_from_db()
    assert upload.status == PersonImport.Status.CHECKED  # it may be confirmed again


@pytest.mark.parametrize("change", ["account closed", "unit moved out of the district"])
def test_the_job_checks_the_owner_again_when_it_runs(
    officer_client, officer, unit, baohe, change, django_capture_on_commit_callbacks
):
    upload = _checked(officer_client, 3)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _confirm(officer_client, upload)
    # Before a worker took the job, the officer's account or scope changed.
    if change == "account closed":
        officer.is_active = False
        officer.save()
    else:
        unit.jurisdiction = baohe
        unit.save()
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and CHINESE.search(job.error)
    assert not Person.objects.filter(unit=unit).exists()


def test_nobody_else_confirms_it_or_sees_the_job(
    officer_client, city_client, unit, django_capture_on_commit_callbacks
):
    upload = _checked(officer_client, 3)
    assert _confirm(city_client, upload).status_code == 404
    assert not Job.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        _confirm(officer_client, upload)
    job = Job.objects.get()
    assert city_client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404


@pytest.fixture
def officer(personas):
    return personas[Role.DISTRICT_OFFICER]
