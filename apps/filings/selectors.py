"""Reads scoped by who is asking: an organiser sees its own plans only, the city sees all of
them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.accounts.models import User
from apps.filings.models import Plan, RosterRow, RosterUpload
from apps.people.models import Jurisdiction, Unit


def plans_visible_to(*, user: User) -> QuerySet[Plan]:
    return user.scope.visible(
        Plan.objects.select_related("organiser", "industry", "filed_by"),
        organiser="organiser",
    )


def plan_get_for_user(*, user: User, pk: int) -> Plan:
    return get_object_or_404(plans_visible_to(user=user), pk=pk)


def plans_with_roster_counts(*, plans: QuerySet[Plan]) -> QuerySet[Plan]:
    return plans.annotate(
        roster_count=Count("roster", distinct=True),
        passed_count=Count("roster", filter=Q(roster__passed=True), distinct=True),
    )


def upload_get_for_user(*, user: User, pk: int) -> RosterUpload:
    """Only the organiser that uploaded a roster previews or confirms it."""
    uploads = user.scope.visible(
        RosterUpload.objects.select_related("plan__organiser", "plan__industry"),
        organiser="plan__organiser",
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


# Returned and refused plans stay on the organiser's to-do list this long after the decision.
ATTENTION_DAYS = 30


@dataclass(frozen=True)
class OrganiserTodos:
    """The organiser's home page to-dos: ended trainings whose roster has not been reported,
    and plans the city returned (or that were refused as late) lately."""

    rosters_due: list[Plan]
    plans_to_review: list[Plan]


def organiser_todos(*, user: User, today: dt.date | None = None, limit: int = 20) -> OrganiserTodos:
    today = today or timezone.localdate()
    plans = plans_visible_to(user=user)
    confirmed = RosterUpload.objects.filter(
        plan=OuterRef("pk"), status=RosterUpload.Status.CONFIRMED
    )
    rosters_due = (
        plans.filter(status=Plan.Status.ACKNOWLEDGED, end_date__lt=today)
        .exclude(Exists(confirmed))
        .order_by("end_date", "id")
    )
    since = timezone.now() - dt.timedelta(days=ATTENTION_DAYS)
    to_review = (
        plans.filter(status__in=[Plan.Status.RETURNED, Plan.Status.REFUSED])
        .annotate(decided_at=Coalesce("reviewed_at", "filed_at"))
        .filter(decided_at__gte=since)
        .order_by("-decided_at", "-id")
    )
    return OrganiserTodos(
        rosters_due=list(rosters_due[:limit]), plans_to_review=list(to_review[:limit])
    )
