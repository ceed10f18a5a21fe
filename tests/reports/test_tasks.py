"""Background work of the reports: the nightly rebuild on Celery beat, large exports as jobs."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.models import Role
from apps.jobs.models import Job
from apps.jobs.services import job_run
from apps.reports.models import ComplianceGroup, ComplianceUnitYear, PersonYearFact, SummaryRefresh
from apps.reports.summaries import summaries_refresh
from apps.reports.tasks import EXPORT_KIND, reports_export_build, summaries_refresh_nightly
from hefei_cpe.celery import app
from tests.conftest import client_for
from tests.factories import UnitFactory, make_person
from tests.reports.helpers import credit

pytestmark = pytest.mark.django_db

EXPORT = reverse("reports:export", kwargs={"table": "people"})


def _figures():
    return (
        sorted(PersonYearFact.objects.values_list("person_id", "year", "compliant", "shortfall")),
        sorted(ComplianceGroup.objects.values_list("year", "unit_id", "people", "compliant")),
        sorted(ComplianceUnitYear.objects.values_list("year", "unit_id", "people", "short")),
    )


def test_it_rebuilds_the_summaries_nightly_on_beat_and_again_to_the_same_figures(person):
    tasks = [entry["task"] for entry in app.conf.beat_schedule.values()]
    assert tasks.count("reports.summaries_refresh") == 1
    assert "reports.summaries_refresh" in app.tasks
    credit(person, 2024, public=30, professional=60)
    assert summaries_refresh_nightly.apply().get() == 1  # the people counted
    first = _figures()
    assert first[0] and first[1] and first[2]
    summaries_refresh_nightly.apply()
    assert _figures() == first
    assert SummaryRefresh.objects.filter(kind="full").count() == 2


def _district(shushan, n):
    unit = UnitFactory(jurisdiction=shushan, name="测试单位")
    for i in range(n):
        credit(make_person(unit=unit, name=f"测试{i}"), 2024, public=30)
    summaries_refresh()


def test_it_streams_an_export_at_or_under_the_threshold(personas, shushan, settings):
    _district(shushan, 3)
    settings.REPORTS_EXPORT_JOB_ROWS = 4  # 3 people and the persona trainee
    response = client_for(personas[Role.DISTRICT_OFFICER]).get(EXPORT, {"year": 2024})
    assert response.status_code == 200 and not Job.objects.exists()


def test_it_exports_a_long_list_as_a_job_with_progress(
    personas, shushan, settings, django_capture_on_commit_callbacks
):
    _district(shushan, 5)
    settings.REPORTS_EXPORT_JOB_ROWS = 4
    officer = personas[Role.DISTRICT_OFFICER]
    client = client_for(officer)
    with django_capture_on_commit_callbacks(execute=True):  # eager: REDIS_URL is unset
        response = client.get(EXPORT, {"year": 2024, "status": "all"})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.owner, job.status, job.done, job.total) == (
        EXPORT_KIND,
        officer,
        "done",
        6,
        6,
    )
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][:3] == ("姓名", "身份证号码", "单位") and len(rows) == 2 + 6
    # Running the same job again changes nothing (a finished job is left alone).
    assert job_run(job_id=str(job.pk), task_id="again", work=reports_export_build.work) == "done"


def test_it_fails_an_export_job_whose_owner_lost_the_scope(
    personas, shushan, baohe, settings, django_capture_on_commit_callbacks
):
    _district(shushan, 5)
    settings.REPORTS_EXPORT_JOB_ROWS = 4
    officer = personas[Role.DISTRICT_OFFICER]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for(officer).get(EXPORT, {"year": 2024, "jurisdiction": officer.jurisdiction_id})
    officer.jurisdiction = baohe
    officer.save()
    for callback in callbacks:
        callback()
    job = Job.objects.get()
    assert job.status == "failed" and job.error and not job.result_file
