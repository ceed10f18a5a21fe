"""Reads of the public course, scoped by who is asking.

Officers (district and city) see the topics, to answer professionals' questions; only the city
sees the imports, which hold results of the whole city.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.scope import ALL
from apps.people.models import Person
from apps.publiccourse.models import ImportBatch, PublicResult, PublicTopic


def topics_visible_to(*, user: User) -> QuerySet[PublicTopic]:
    return user.scope.visible(PublicTopic.objects.all(), jurisdiction=ALL)


def topics_of_year(*, user: User, year: int) -> QuerySet[PublicTopic]:
    """The year's topics with their pass and failure counts: city-wide for the city, of their
    own jurisdiction for a district officer."""
    scope = user.scope.condition(jurisdiction="results__person__unit__jurisdiction")
    if scope is None:
        return PublicTopic.objects.none()
    return (
        topics_visible_to(user=user)
        .filter(year=year)
        .annotate(
            passed=Count("results", filter=scope & Q(results__passed=True)),
            failed=Count("results", filter=scope & Q(results__passed=False)),
        )
        .order_by("sort_order", "id")
    )


def topic_years(*, user: User) -> list[int]:
    """The years that have topics, newest first, and always the current year."""
    years = set(topics_visible_to(user=user).values_list("year", flat=True).distinct().order_by())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def topic_get_for_user(*, user: User, pk: int) -> PublicTopic:
    return get_object_or_404(topics_visible_to(user=user), pk=pk)


def batches_visible_to(*, user: User) -> QuerySet[ImportBatch]:
    return user.scope.visible(ImportBatch.objects.select_related("imported_by"))


def batch_get_for_user(*, user: User, pk: int) -> ImportBatch:
    return get_object_or_404(batches_visible_to(user=user), pk=pk)


def batch_results(*, batch: ImportBatch) -> QuerySet[PublicResult]:
    """The results whose current value this batch set."""
    return (
        PublicResult.objects.filter(batch=batch)
        .select_related("person__unit", "topic")
        .order_by("id")
    )


@dataclass(frozen=True)
class PlannedResult:
    """One row of a pending import as its preview lists it."""

    row: int
    person: Person
    topic: PublicTopic
    passed: bool


def batch_planned_rows(*, batch: ImportBatch) -> list[list[int]]:
    """The rows a pending batch would import, in file order: [row, person, topic, passed]."""
    return list((batch.plan or {}).get("rows", []))


def planned_results(rows: list[list[int]]) -> list[PlannedResult]:
    """Planned rows (one page of them) with the person (masked ID number) and the topic: two
    queries whatever the number of rows."""
    people = Person.objects.select_related("unit").in_bulk({r[1] for r in rows})
    topics = PublicTopic.objects.in_bulk({r[2] for r in rows})
    return [
        PlannedResult(row=r[0], person=people[r[1]], topic=topics[r[2]], passed=bool(r[3]))
        for r in rows
        if r[1] in people and r[2] in topics
    ]
