"""Reads scoped by who is asking: a base sees its own plans only, the city sees all of them."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from apps.accounts.models import User
from apps.filings.models import Plan, RosterRow, RosterUpload
from apps.people.models import Jurisdiction, Unit


def plans_visible_to(*, user: User) -> QuerySet[Plan]:
    return user.scope.visible(
        Plan.objects.select_related("base", "industry", "filed_by"), base="base"
    )


def plan_get_for_user(*, user: User, pk: int) -> Plan:
    return get_object_or_404(plans_visible_to(user=user), pk=pk)


def plans_with_roster_counts(*, plans: QuerySet[Plan]) -> QuerySet[Plan]:
    return plans.annotate(
        roster_count=Count("roster", distinct=True),
        passed_count=Count("roster", filter=Q(roster__passed=True), distinct=True),
    )


def upload_get_for_user(*, user: User, pk: int) -> RosterUpload:
    """Only the base that uploaded a roster previews or confirms it."""
    uploads = user.scope.visible(
        RosterUpload.objects.select_related("plan__base", "plan__industry"),
        base="plan__base",
        city=None,
    )
    return get_object_or_404(uploads, pk=pk)


def roster_rows(*, plan: Plan) -> QuerySet[RosterRow]:
    return plan.roster.order_by("number", "id")


def units_awaiting_placement() -> QuerySet[Unit]:
    """Units first met on a roster; the city picks their district or department."""
    return (
        Unit.objects.filter(jurisdiction__kind=Jurisdiction.Kind.UNPLACED)
        .annotate(people_count=Count("people"))
        .order_by("name")
    )
