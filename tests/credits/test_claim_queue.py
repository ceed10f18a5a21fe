"""The claims queue filtered by kind, unit and submission dates, with an Excel export of the
filtered queue (issue 16 part 4)."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.credits.claims import claim_submit
from apps.credits.evidence import evidence_check
from apps.credits.models import Claim
from tests.credits.helpers import png
from tests.credits.test_views import claim_of
from tests.factories import UnitFactory, make_person

pytestmark = pytest.mark.django_db

URL = reverse("credits:claim_queue")


def _receipts(html: str) -> list[str]:
    return re.findall(r'<a href="/claims/\d+/">(SB\d{4}-\d+)</a>', html)


def _self_study(person, title="自学笔记"):
    return claim_submit(
        person=person,
        kind="self_study",
        year=2025,
        params={"hours": 10},
        title=title,
        description="",
        files=evidence_check([png()]),
        attested=True,
    )


@pytest.fixture
def queue(person, shushan):
    school = UnitFactory(jurisdiction=shushan, name="蜀山区第一中学")
    teacher = make_person(unit=school, name="钱老师")
    award = claim_of(person)
    study = _self_study(teacher)
    old = _self_study(teacher, title="旧的自学")
    Claim.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=40))
    return {"award": award, "study": study, "old": old, "school": school}


def _receipt(claim):
    claim.refresh_from_db()
    return claim.receipt_no


def test_it_filters_by_kind_unit_and_dates(officer_client, queue):
    award, study, old = _receipt(queue["award"]), _receipt(queue["study"]), _receipt(queue["old"])
    assert sorted(_receipts(officer_client.get(URL).content.decode())) == sorted(
        [award, study, old]
    )
    by_kind = officer_client.get(URL, {"kind": "self_study"}).content.decode()
    assert sorted(_receipts(by_kind)) == sorted([study, old])
    by_unit = officer_client.get(URL, {"unit": queue["school"].pk}).content.decode()
    assert sorted(_receipts(by_unit)) == sorted([study, old])
    today = timezone.localdate()
    recent = officer_client.get(URL, {"submitted_from": today - timedelta(days=7)})
    assert sorted(_receipts(recent.content.decode())) == sorted([award, study])
    earlier = officer_client.get(URL, {"submitted_to": today - timedelta(days=30)})
    assert _receipts(earlier.content.decode()) == [old]
    one_day = officer_client.get(URL, {"submitted_from": today, "submitted_to": today})
    assert sorted(_receipts(one_day.content.decode())) == sorted([award, study])


def test_the_unit_filter_offers_only_units_with_claims_waiting(officer_client, queue, shushan):
    UnitFactory(jurisdiction=shushan, name="没有申报的单位")
    html = officer_client.get(URL).content.decode()
    assert "蜀山区第一中学" in html and "没有申报的单位" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"submitted_from": "2026-02-30"}, "提交日期自"),
        ({"submitted_from": "2026-05-02", "submitted_to": "2026-05-01"}, "截止日期早于起始日期"),
        ({"kind": "no_such_kind"}, "项目类别"),
        ({"unit": "abc"}, "单位"),
    ],
)
def test_a_bad_filter_is_named_and_the_whole_queue_shown(officer_client, queue, query, message):
    response = officer_client.get(URL, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "筛选条件有误" in html and message in html
    assert len(_receipts(html)) == 3


def test_the_export_holds_the_filtered_queue(officer_client, queue):
    response = officer_client.get(URL, {"kind": "self_study", "format": "xlsx"})
    name = unquote(response["Content-Disposition"].split("filename*=UTF-8''", 1)[1])
    assert name.startswith("待审核申报-") and name.endswith(".xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "申报编号"
    assert sorted(r[0] for r in rows[1:]) == sorted(
        [_receipt(queue["study"]), _receipt(queue["old"])]
    )
    assert {r[2] for r in rows[1:]} == {"钱老师"} and all("*" in r[3] for r in rows[1:])


def test_another_districts_claims_stay_out(officer_client, queue, other_person):
    theirs = claim_of(other_person)
    html = officer_client.get(URL).content.decode()
    assert _receipt(theirs) not in html
    response = officer_client.get(URL, {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert _receipt(theirs) not in {r[0] for r in rows}


def test_the_filtered_queue_and_its_export_cost_the_same_queries_for_3_or_30_claims(
    officer_client, queue, person, django_assert_num_queries
):
    query = {"kind": "self_study", "unit": queue["school"].pk}
    officer_client.get(URL)
    with CaptureQueriesContext(connection) as page:
        officer_client.get(URL, query)
    with CaptureQueriesContext(connection) as export:
        officer_client.get(URL, {**query, "format": "xlsx"})
    teacher = make_person(unit=queue["school"], name="孙老师")
    for n in range(27):
        _self_study(teacher, title=f"自学 {n}")
    with django_assert_num_queries(len(page)):
        html = officer_client.get(URL, query).content.decode()
    assert len(_receipts(html)) == 29
    with django_assert_num_queries(len(export)):
        officer_client.get(URL, {**query, "format": "xlsx"})
