"""Who may do what to a plan or a roster: pure functions of a scope and the object, asked
alike by views, services and templates (`{% can "filings.plan_withdraw" plan as may %}`)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.scope import ALLOWED, Scope, Verdict, deny, rule
from apps.filings.models import Plan, RosterUpload


def _organiser_staff(scope: Scope) -> Verdict:
    if scope.organiser_id is None:
        return deny(
            _(
                "Only the staff of an organiser (a training base or an industry authority) "
                "file plans and rosters."
            )
        )
    return ALLOWED


@rule("filings.plan_file")
def may_file_plan(scope: Scope) -> Verdict:
    return _organiser_staff(scope)


@rule("filings.plan_withdraw")
def may_withdraw_plan(
    scope: Scope, plan: Plan | None = None, today: dt.date | None = None
) -> Verdict:
    """The organiser that filed it, while it is filed or acknowledged and has not started."""
    verdict = _organiser_staff(scope)
    if not verdict or plan is None:
        return verdict
    if plan.organiser_id != scope.organiser_id:
        return deny(_("Only the organiser that filed a plan can withdraw it."))
    today = today or timezone.localdate()
    if plan.status not in (Plan.Status.FILED, Plan.Status.ACKNOWLEDGED) or today >= plan.start_date:
        return deny(
            _("Only a filed or acknowledged plan that has not started yet can be withdrawn.")
        )
    return ALLOWED


def _city_decides(scope: Scope, plan: Plan | None, wrong_status: str) -> Verdict:
    if not scope.whole_city:
        return deny(_("Only the city bureau acknowledges or returns plans."))
    if plan is not None and plan.status != Plan.Status.FILED:
        return deny(wrong_status)
    return ALLOWED


@rule("filings.plan_acknowledge")
def may_acknowledge_plan(scope: Scope, plan: Plan | None = None) -> Verdict:
    return _city_decides(scope, plan, _("Only a filed plan awaiting the city can be acknowledged."))


@rule("filings.plan_return")
def may_return_plan(scope: Scope, plan: Plan | None = None) -> Verdict:
    return _city_decides(scope, plan, _("Only a filed plan awaiting the city can be returned."))


@rule("filings.roster_report")
def may_report_roster(scope: Scope, plan: Plan | None = None) -> Verdict:
    """The organiser that filed the plan uploads and confirms its roster (when is roster_refusal's
    question: that depends on the plan's dates, not on who asks)."""
    verdict = _organiser_staff(scope)
    if not verdict or plan is None:
        return verdict
    if plan.organiser_id != scope.organiser_id:
        return deny(_("Only the organiser that filed a plan reports its roster."))
    return ALLOWED


@rule("filings.roster_confirm")
def may_confirm_roster(scope: Scope, upload: RosterUpload) -> Verdict:
    """A checked upload, by the organiser that filed its plan."""
    verdict = may_report_roster(scope, upload.plan)
    if not verdict:
        return verdict
    if upload.status != RosterUpload.Status.CHECKED:
        return deny(_("This upload is no longer awaiting confirmation; upload the file again."))
    return ALLOWED
