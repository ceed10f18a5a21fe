"""The plan and roster pages: thin views over the services, scoped to the base or the city."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.credits.models import LedgerEntry
from apps.filings.models import Plan, RosterUpload
from apps.people.models import Industry
from tests.conftest import client_for
from tests.factories import new_id_number
from tests.filings.support import make_plan, row, xlsx_bytes


def _upload(client, plan, data: bytes, name="名单.xlsx"):
    return client.post(
        reverse("filings:roster_upload", args=[plan.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def _ended_plan(staff, **changes):
    today = timezone.localdate()
    return make_plan(
        staff=staff, start=today - dt.timedelta(days=5), end=today - dt.timedelta(days=3), **changes
    )


def test_the_plan_form_refuses_a_late_plan_naming_the_earliest_date(staff):
    client = client_for(staff)
    today = timezone.localdate()
    start = today + dt.timedelta(days=14)
    response = client.post(
        reverse("filings:plan_new"),
        {
            "title": "继续教育专题",
            "industry": Industry.objects.get(code="health").pk,
            "mode": "online",
            "start_date": start.isoformat(),
            "end_date": start.isoformat(),
            "planned_hours": "12",
            "place": "线上平台",
        },
    )
    assert response.status_code == 200
    earliest = (today + dt.timedelta(days=15)).isoformat()
    assert earliest in response.content.decode()
    assert Plan.objects.get().status == Plan.Status.REFUSED


def test_the_plan_form_files_a_plan_in_time(staff):
    client = client_for(staff)
    start = timezone.localdate() + dt.timedelta(days=15)
    response = client.post(
        reverse("filings:plan_new"),
        {
            "title": "继续教育专题",
            "industry": Industry.objects.get(code="health").pk,
            "mode": "face_to_face",
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=1)).isoformat(),
            "planned_hours": "16",
            "place": "合肥市政务中心",
        },
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and plan.status == Plan.Status.FILED
    assert response["Location"] == reverse("filings:plan_detail", args=[plan.pk])


def test_the_city_acknowledges_from_the_queue(staff, city, django_assert_max_num_queries):
    plan = make_plan(staff=staff, status=Plan.Status.FILED)
    client = client_for(city)
    client.get(reverse("filings:queue"))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("filings:queue"))
    assert plan.title in page.content.decode()
    client.post(reverse("filings:plan_acknowledge", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACKNOWLEDGED


def test_list_pages_take_few_queries(staff, city, django_assert_max_num_queries):
    plans = [make_plan(staff=staff) for _ in range(12)]
    base_client, city_client = client_for(staff), client_for(city)
    base_client.get(reverse("filings:plan_list"))
    with django_assert_max_num_queries(7):
        assert base_client.get(reverse("filings:plan_list")).status_code == 200
    with django_assert_max_num_queries(8):
        assert city_client.get(reverse("filings:queue") + "?status=all").status_code == 200
    with django_assert_max_num_queries(9):
        page = base_client.get(reverse("filings:plan_detail", args=[plans[0].pk]))
    assert page.status_code == 200


def test_a_base_never_sees_another_bases_plan(staff, other_staff):
    plan = make_plan(staff=other_staff)
    client = client_for(staff)
    for name in ("filings:plan_detail", "filings:roster_upload", "filings:roster_export"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404
    assert client.post(reverse("filings:plan_withdraw", args=[plan.pk])).status_code == 404


def test_an_upload_with_problems_lists_them_and_keeps_nothing(staff):
    plan = _ended_plan(staff)
    bad = new_id_number()[:17] + "Y"
    response = _upload(client_for(staff), plan, xlsx_bytes([row(1, "甲", bad, hours=99)]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "第 6 行" in text and "身份证号码" in text and "99" in text
    assert not RosterUpload.objects.exists()


def test_an_upload_is_previewed_then_confirmed(staff, other_staff):
    plan = _ended_plan(staff)
    client = client_for(staff)
    response = _upload(client, plan, xlsx_bytes([row(1, "甲", new_id_number())]))
    upload = RosterUpload.objects.get()
    assert response["Location"] == reverse("filings:roster_preview", args=[upload.pk])
    preview = client.get(response["Location"]).content.decode()
    assert "甲" in preview and "********" in preview
    assert not LedgerEntry.objects.exists()
    other = client_for(other_staff)
    assert other.post(reverse("filings:roster_confirm", args=[upload.pk])).status_code == 404
    done = client.post(reverse("filings:roster_confirm", args=[upload.pk]))
    assert done["Location"] == reverse("filings:plan_detail", args=[plan.pk])
    assert LedgerEntry.objects.count() == 1


def test_an_oversized_upload_is_refused_before_reading(staff, settings):
    settings.FILINGS_ROSTER_MAX_BYTES = 2048
    plan = _ended_plan(staff)
    response = _upload(client_for(staff), plan, b"x" * 5000, name="a.csv")
    assert "文件超过 2.0\xa0KB" in response.content.decode()
    assert not RosterUpload.objects.exists()


@pytest.mark.parametrize("status", [Plan.Status.FILED, Plan.Status.RETURNED])
def test_the_upload_page_says_why_no_roster_yet(staff, status):
    plan = _ended_plan(staff, status=status)
    response = client_for(staff).get(reverse("filings:roster_upload", args=[plan.pk]))
    assert "tag warn" in response.content.decode()
