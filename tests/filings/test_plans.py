"""Filing plans: the 15-day rule at its boundary and at midnight in Asia/Shanghai, and what the
city and the base may do with a plan afterwards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from apps.accounts.models import Role
from apps.filings.models import Plan
from apps.filings.selectors import plans_visible_to
from apps.filings.services import (
    plan_acknowledge,
    plan_file,
    plan_return,
    plan_withdraw,
)
from apps.people.models import Industry
from tests.factories import make_user
from tests.filings.support import make_plan

TODAY = dt.date(2026, 6, 1)


def _file(staff, start: dt.date, *, today: dt.date | None = TODAY, **changes):
    fields = {
        "title": "  医院感染   防控专题培训 ",
        "industry": Industry.objects.get(code="health"),
        "mode": Plan.Mode.ONLINE,
        "start_date": start,
        "end_date": start + dt.timedelta(days=2),
        "planned_hours": Decimal("24"),
        "place": "安徽省继续教育网络平台",
        **changes,
    }
    return plan_file(user=staff, today=today, **fields)


def test_it_files_a_plan_15_days_ahead(staff):
    plan = _file(staff, TODAY + dt.timedelta(days=15))
    assert plan.status == Plan.Status.FILED
    assert plan.title == "医院感染 防控专题培训"
    assert plan.organiser_id == staff.organiser_id
    assert plan.subject == "professional"


def test_it_refuses_a_plan_14_days_ahead_naming_the_earliest_start(staff):
    plan = _file(staff, TODAY + dt.timedelta(days=14))
    assert plan.status == Plan.Status.REFUSED
    assert "2026-06-16" in plan.refusal_reason
    assert "14" in plan.refusal_reason


def test_it_refuses_a_plan_that_starts_today_or_in_the_past(staff):
    assert _file(staff, TODAY).status == Plan.Status.REFUSED
    assert _file(staff, TODAY - dt.timedelta(days=3)).status == Plan.Status.REFUSED


def _at(utc: str):
    moment = dt.datetime.fromisoformat(utc).replace(tzinfo=dt.UTC)
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_it_counts_days_in_shanghai_just_after_midnight(staff):
    # 2026-05-31 16:30 UTC is 2026-06-01 00:30 in Hefei: "today" is already June 1st.
    with _at("2026-05-31T16:30:00"):
        assert _file(staff, dt.date(2026, 6, 15), today=None).status == Plan.Status.REFUSED
        assert _file(staff, dt.date(2026, 6, 16), today=None).status == Plan.Status.FILED


def test_it_counts_days_in_shanghai_at_the_stroke_of_midnight(staff):
    start = dt.date(2026, 6, 16)
    with _at("2026-06-01T15:59:59"):  # 23:59:59 on June 1st in Hefei: the last moment
        assert _file(staff, start, today=None).status == Plan.Status.FILED
    with _at("2026-06-01T16:00:00"):  # 00:00 on June 2nd in Hefei: one day too late
        late = _file(staff, start, today=None)
    assert late.status == Plan.Status.REFUSED
    assert "2026-06-17" in late.refusal_reason


def test_it_refuses_bad_fields_and_writes_nothing(staff):
    start = TODAY + dt.timedelta(days=30)
    with pytest.raises(ValidationError) as caught:
        _file(
            staff,
            start,
            end_date=start - dt.timedelta(days=1),
            planned_hours=Decimal("0"),
            title=" ",
            place="",
        )
    assert set(caught.value.message_dict) == {"end_date", "planned_hours", "title", "place"}
    with pytest.raises(ValidationError):
        _file(staff, start, planned_hours=Decimal("12.25"))
    assert not Plan.objects.exists()


def test_it_lets_only_base_staff_file(city):
    with pytest.raises(ValidationError):
        _file(city, TODAY + dt.timedelta(days=20))


def test_the_city_acknowledges_or_returns_filed_plans_only(staff, city):
    plan = make_plan(staff=staff, status=Plan.Status.FILED)
    with pytest.raises(ValidationError):
        plan_acknowledge(plan=plan, user=staff)
    plan_acknowledge(plan=plan, user=city)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACKNOWLEDGED and plan.reviewed_by == city
    with pytest.raises(ValidationError):
        plan_return(plan=plan, user=city, note="重复")
    other = make_plan(staff=staff, status=Plan.Status.FILED)
    with pytest.raises(ValidationError):
        plan_return(plan=other, user=city, note="  ")
    plan_return(plan=other, user=city, note="培训内容属公需科目")
    other.refresh_from_db()
    assert other.status == Plan.Status.RETURNED and other.review_note == "培训内容属公需科目"


def test_a_plan_is_withdrawn_before_it_starts_only(staff, other_staff):
    plan = make_plan(staff=staff, start=dt.date(2026, 7, 1), end=dt.date(2026, 7, 2))
    with pytest.raises(ValidationError):
        plan_withdraw(plan=plan, user=other_staff, today=TODAY)
    with pytest.raises(ValidationError):
        plan_withdraw(plan=plan, user=staff, today=dt.date(2026, 7, 1))
    plan_withdraw(plan=plan, user=staff, today=dt.date(2026, 6, 30))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        plan_withdraw(plan=plan, user=staff, today=TODAY)


def test_a_base_sees_its_own_plans_only(staff, other_staff, city):
    mine = make_plan(staff=staff)
    theirs = make_plan(staff=other_staff)
    assert list(plans_visible_to(user=staff)) == [mine]
    assert set(plans_visible_to(user=city)) == {mine, theirs}
    officer = make_user(Role.DISTRICT_OFFICER, jurisdiction=_shushan())
    assert not plans_visible_to(user=officer).exists()


def _shushan():
    from apps.people.models import Jurisdiction

    return Jurisdiction.objects.get(code="shushan")
