"""Industry authorities as organisers (issue 14): they file plans of the industry they
supervise, under the same 15-day rule as the bases; the city acknowledges them in the same
queue; their rosters credit hours; and their home page lists what is due."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Role
from apps.credits.models import LedgerEntry, PersonYear, Source
from apps.filings.forms import PlanForm
from apps.filings.models import Plan, RosterUpload
from apps.filings.selectors import organiser_todos
from apps.filings.services import (
    plan_acknowledge,
    plan_file,
    plan_return,
    roster_check,
    roster_confirm,
)
from apps.people.models import Industry
from tests.conftest import client_for
from tests.factories import AuthorityFactory, UnitFactory, make_person, make_user
from tests.filings.support import TODAY, make_plan, row, xlsx_bytes


@pytest.fixture
def authority(db):
    return AuthorityFactory(name="市卫生健康委")


@pytest.fixture
def authority_staff(authority):
    return make_user(Role.ORGANISER_STAFF, organiser=authority)


def _file(staff, start, *, industry="health", today=TODAY):
    return plan_file(
        user=staff,
        title="全市基层医疗机构院感防控培训",
        industry=Industry.objects.get(code=industry),
        mode=Plan.Mode.FACE_TO_FACE,
        start_date=start,
        end_date=start + dt.timedelta(days=1),
        planned_hours=Decimal("16"),
        place="市卫生健康委 三楼报告厅",
        today=today,
    )


def test_an_authority_files_a_plan_of_its_industry_15_days_ahead(authority_staff, authority):
    plan = _file(authority_staff, TODAY + dt.timedelta(days=15))
    assert plan.status == Plan.Status.FILED
    assert plan.organiser == authority and plan.industry.code == "health"


def test_the_15_day_rule_applies_to_an_authority_as_to_a_base(authority_staff):
    late = _file(authority_staff, TODAY + dt.timedelta(days=14))
    assert late.status == Plan.Status.REFUSED
    assert "2026-06-16" in late.refusal_reason


def test_an_authority_may_not_file_a_plan_of_another_industry(authority_staff):
    with pytest.raises(ValidationError) as caught:
        _file(authority_staff, TODAY + dt.timedelta(days=20), industry="education")
    assert caught.value.message_dict == {
        "industry": ["市卫生健康委是卫生健康行业的主管部门，只能备案该行业的培训计划。"]
    }
    assert not Plan.objects.exists()


def test_a_deactivated_organiser_files_no_plan(authority_staff, authority):
    authority.is_active = False
    authority.save()
    with pytest.raises(ValidationError) as caught:
        _file(authority_staff, TODAY + dt.timedelta(days=20))
    assert caught.value.messages == ["市卫生健康委已停用，不能备案新的培训计划；请联系市人社局。"]
    assert not Plan.objects.exists()


def test_a_base_files_plans_of_any_industry(staff):
    plan = _file(staff, TODAY + dt.timedelta(days=20), industry="education")
    assert plan.status == Plan.Status.FILED and plan.industry.code == "education"


def test_the_plan_form_fixes_an_authoritys_industry(authority):
    form = PlanForm(organiser=authority)
    assert form.fields["industry"].disabled
    assert form.fields["industry"].initial == authority.industry_id
    assert not PlanForm().fields["industry"].disabled


def test_a_posted_other_industry_is_ignored_for_an_authority(authority_staff):
    start = dt.date.today() + dt.timedelta(days=30)
    response = client_for(authority_staff).post(
        reverse("filings:plan_new"),
        {
            "title": "院感防控培训",
            "industry": Industry.objects.get(code="education").pk,
            "mode": Plan.Mode.ONLINE,
            "start_date": start.isoformat(),
            "end_date": start.isoformat(),
            "planned_hours": "8",
            "place": "安徽省继续教育网络平台",
        },
    )
    assert response.status_code == 302
    assert Plan.objects.get().industry.code == "health"


def test_the_city_acknowledges_it_in_the_same_queue(authority_staff, city):
    plan = _file(authority_staff, TODAY + dt.timedelta(days=20))
    page = client_for(city).get(reverse("filings:queue")).content.decode()
    assert plan.title in page and "市卫生健康委" in page
    plan_acknowledge(plan=plan, user=city)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACKNOWLEDGED


def test_its_roster_credits_hours_as_an_organised_training(authority_staff, authority):
    plan = make_plan(staff=authority_staff)
    doctor = make_person(name="李医生", unit=UnitFactory(name="合肥市第一人民医院"))
    data = xlsx_bytes([row(1, "李医生", doctor.reveal_id_number(), hours=16)])
    check = roster_check(plan=plan, user=authority_staff, data=data, filename="a.xlsx", today=TODAY)
    assert check.ok, check.problems
    roster_confirm(upload=check.upload, user=authority_staff, today=TODAY)
    entry = LedgerEntry.objects.get(person=doctor)
    assert (entry.kind, entry.source, entry.hours) == (
        "organized_training",
        Source.ROSTER,
        Decimal("16.0"),
    )
    assert entry.reviewer_org == authority.name
    assert entry.source_label.startswith("市卫生健康委：")
    assert PersonYear.objects.get(person=doctor, year=2026).professional == Decimal("16.0")


def test_another_organisers_staff_never_reach_the_plan(authority_staff, staff):
    plan = make_plan(staff=authority_staff)
    client = client_for(staff)
    for name in ("filings:plan_detail", "filings:roster_upload", "filings:roster_export"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404, name


# --- The organiser's home page: real to-dos -----------------------------------------------------


def test_the_home_page_lists_rosters_due_and_plans_returned(authority_staff, city):
    ended = make_plan(staff=authority_staff, title="已结束未报名册")
    reported = make_plan(staff=authority_staff, title="已报名册")
    RosterUpload.objects.create(
        plan=reported,
        uploaded_by=authority_staff,
        filename="a.xlsx",
        sha256="-",
        row_count=0,
        passed_count=0,
        status=RosterUpload.Status.CONFIRMED,
    )
    coming = make_plan(
        staff=authority_staff,
        title="尚未开始",
        start=dt.date.today() + dt.timedelta(days=20),
        end=dt.date.today() + dt.timedelta(days=21),
    )
    returned = make_plan(staff=authority_staff, status=Plan.Status.FILED, title="被退回")
    plan_return(plan=returned, user=city, note="请补充师资")

    todos = organiser_todos(user=authority_staff)
    assert todos.rosters_due == [ended]
    assert todos.plans_to_review == [returned]
    assert coming not in todos.rosters_due and reported not in todos.rosters_due

    page = client_for(authority_staff).get(reverse("home")).content.decode()
    assert "已结束未报名册" in page and reverse("filings:roster_upload", args=[ended.pk]) in page
    assert "请补充师资" in page and reverse("filings:plan_detail", args=[returned.pk]) in page
    assert "行业主管部门" in page and "卫生健康" in page


def test_the_home_page_shows_only_its_own_organisers_todos(authority_staff, staff):
    make_plan(staff=staff, title="别人的培训")
    assert organiser_todos(user=authority_staff).rosters_due == []
    page = client_for(authority_staff).get(reverse("home")).content.decode()
    assert "别人的培训" not in page and "暂无待办" in page


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_the_home_page_does_not_grow_with_the_plans(authority_staff):
    client = client_for(authority_staff)
    make_plan(staff=authority_staff, title="一")
    few = _home_queries(client)
    for n in range(8):
        make_plan(staff=authority_staff, title=f"培训{n}")
    assert _home_queries(client) == few
