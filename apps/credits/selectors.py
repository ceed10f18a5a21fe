"""Reads on the ledger and claims, scoped by who is asking."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps import rules
from apps.accounts.models import User
from apps.credits.ledger import ledger_evaluate, live_entries
from apps.credits.models import Claim, LedgerEntry
from apps.credits.permissions import CITY_ONLY_KINDS
from apps.people.models import Person


def claims_visible_to(*, user: User) -> QuerySet[Claim]:
    return user.scope.visible(
        Claim.objects.select_related("person__unit__jurisdiction"),
        person="person",
        jurisdiction="person__unit__jurisdiction",
    )


def claim_get_for_user(*, user: User, pk: int) -> Claim:
    return get_object_or_404(claims_visible_to(user=user), pk=pk)


def review_queue(*, user: User, kind: str = "", scope: str = "") -> QuerySet[Claim]:
    """Pending claims, oldest first. The city's default view is what only it may decide."""
    claims = claims_visible_to(user=user).filter(status=Claim.Status.PENDING)
    if user.scope.whole_city and scope != "all":
        claims = claims.filter(kind__in=CITY_ONLY_KINDS)
    if kind:
        claims = claims.filter(kind=kind)
    return claims.order_by("submitted_at", "id")


def entry_get_for_user(*, user: User, pk: int) -> LedgerEntry:
    entries = user.scope.visible(
        LedgerEntry.objects.select_related("person"),
        person="person",
        jurisdiction="person__unit__jurisdiction",
    )
    return get_object_or_404(entries, pk=pk)


@dataclass
class EntryRow:
    entry: LedgerEntry
    credited: Decimal | None = None  # None: a correction, or reversed
    cuts: list[str] = field(default_factory=list)
    reversed_by: LedgerEntry | None = None


@dataclass
class YearView:
    year: int
    result: rules.YearResult | None
    rows: list[EntryRow]
    is_current: bool = False

    def _percent(self, value: Decimal, required: Decimal) -> int:
        if required <= 0:
            return 100
        return min(100, int(value * 100 / required))

    @property
    def missing(self) -> list[tuple[str, Decimal]]:
        """What is still short after make-up, per subject with hours > 0."""
        if self.result is None or self.result.compliant:
            return []
        short = self.result.shortfall
        return [
            (key, value)
            for key, value in (("public", short.public), ("professional", short.professional))
            if value > 0
        ]

    @property
    def bars(self) -> list[dict[str, object]]:
        if self.result is None:
            return []
        r = self.result
        required_total = r.requirement.public + r.requirement.professional
        return [
            {
                "key": "public",
                "value": r.hours.public,
                "required": r.requirement.public,
                "percent": self._percent(r.hours.public, r.requirement.public),
            },
            {
                "key": "professional",
                "value": r.hours.professional,
                "required": r.requirement.professional,
                "percent": self._percent(r.hours.professional, r.requirement.professional),
            },
            {
                "key": "total",
                "value": r.hours.total,
                "required": required_total,
                "percent": self._percent(r.hours.total, required_total),
            },
        ]


@dataclass
class Ledger:
    person: Person
    years: list[YearView]  # newest first
    pending: list[Claim]
    closed: list[Claim]  # rejected or withdrawn, newest first

    @property
    def total_entries(self) -> int:
        return sum(len(y.rows) for y in self.years)


def ledger_build(*, person: Person, today: date | None = None) -> Ledger:
    """The whole ledger of a person, evaluated. A fixed number of queries (entries, claims
    with their evidence), whatever the number of entries."""
    current_year = (today or timezone.localdate()).year
    entries = list(LedgerEntry.objects.filter(person=person).order_by("year", "recorded_at", "id"))
    live = live_entries(entries)
    years_with_entries = {e.year for e in entries}
    first = min([*years_with_entries, current_year])
    last = max([*years_with_entries, current_year])
    evaluation = ledger_evaluate(person=person, entries=entries, years=range(first, last + 1))
    credits = {credit.id: credit for credit in evaluation.credits}
    reversals = {e.reverses_id: e for e in entries if e.reverses_id is not None}
    rows_by_year: dict[int, list[EntryRow]] = {}
    live_ids = {e.pk for e in live}
    for entry in entries:
        row = EntryRow(entry=entry, reversed_by=reversals.get(entry.pk))
        if entry.pk in live_ids:
            credit = credits[entry.pk]
            row.credited = credit.hours
            row.cuts = [reason.note for reason in credit.reasons]
        rows_by_year.setdefault(entry.year, []).append(row)
    years = [
        YearView(
            year=year,
            result=evaluation.years.get(year),
            rows=rows_by_year.get(year, []),
            is_current=year == current_year,
        )
        for year in range(last, first - 1, -1)
    ]
    claims = list(
        Claim.objects.filter(person=person)
        .exclude(status=Claim.Status.APPROVED)
        .prefetch_related("evidence")
        .order_by("-submitted_at", "-id")
    )
    return Ledger(
        person=person,
        years=years,
        pending=[c for c in claims if c.status == Claim.Status.PENDING],
        closed=[c for c in claims if c.status != Claim.Status.PENDING],
    )
