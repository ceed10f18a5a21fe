"""The object rules of plans and rosters: pure functions of a scope and unsaved objects."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.accounts.scope import Scope
from apps.filings.models import Plan, RosterUpload
from apps.filings.permissions import (
    may_acknowledge_plan,
    may_confirm_roster,
    may_file_plan,
    may_report_roster,
    may_return_plan,
    may_withdraw_plan,
)

CITY, SHUSHAN = Scope("city"), Scope("jurisdiction", 1)
OURS, THEIRS, ME = Scope("organiser", 7), Scope("organiser", 8), Scope("person", 42)
TODAY = dt.date(2026, 6, 1)
P = Plan.Status


def _plan(status: str = P.FILED, start: dt.date = dt.date(2026, 7, 1)) -> Plan:
    return Plan(organiser_id=7, status=status, start_date=start, end_date=start)


def test_it_lets_base_staff_alone_file_plans():
    assert may_file_plan(OURS)
    assert not may_file_plan(CITY) and not may_file_plan(SHUSHAN) and not may_file_plan(ME)


@pytest.mark.parametrize("status", P.values)
def test_it_lets_the_filing_base_withdraw_before_the_start(status):
    allowed = status in (P.FILED, P.ACKNOWLEDGED)
    assert bool(may_withdraw_plan(OURS, _plan(status), TODAY)) is allowed
    assert not may_withdraw_plan(THEIRS, _plan(status), TODAY)
    assert not may_withdraw_plan(CITY, _plan(status), TODAY)


def test_it_refuses_withdrawal_once_the_training_starts():
    assert may_withdraw_plan(OURS, _plan(start=TODAY + dt.timedelta(days=1)), TODAY)
    assert not may_withdraw_plan(OURS, _plan(start=TODAY), TODAY)


@pytest.mark.parametrize("rule", [may_acknowledge_plan, may_return_plan])
def test_it_lets_the_city_decide_filed_plans(rule):
    assert rule(CITY, _plan()) and rule(CITY)
    assert not rule(CITY, _plan(P.ACKNOWLEDGED))
    assert not rule(OURS, _plan()) and not rule(SHUSHAN, _plan())


def test_it_lets_the_filing_base_report_and_confirm_its_roster():
    plan = _plan(P.ACKNOWLEDGED)
    assert may_report_roster(OURS, plan) and not may_report_roster(THEIRS, plan)
    assert not may_report_roster(CITY, plan)
    checked = RosterUpload(plan=plan, status=RosterUpload.Status.CHECKED)
    assert may_confirm_roster(OURS, checked) and not may_confirm_roster(THEIRS, checked)
    assert not may_confirm_roster(CITY, checked)
    confirmed = RosterUpload(plan=plan, status=RosterUpload.Status.CONFIRMED)
    assert not may_confirm_roster(OURS, confirmed)
