"""Valuing entries with the rules engine and keeping `PersonYear` current.

Entries hold the engine's nominal hours for the item on its own. Caps, either-or, the same
paper twice and make-up depend on the other entries of the person, so they are applied by
evaluating the person's live entries together (`ledger_evaluate`); `person_years_refresh`
stores that evaluation per year for reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps import rules
from apps.credits.models import LedgerEntry, PersonYear
from apps.people.models import Industry, Person


def rule_table() -> rules.RuleTable:
    """The crediting table in force. One place, so per-industry requirements can be set here."""
    return rules.DEFAULT_TABLE


def activity_data(*, kind: str, year: int, params: Mapping[str, Any]) -> dict[str, Any]:
    return {**params, "kind": kind, "year": year}


def entry_value(*, kind: str, year: int, params: Mapping[str, Any]) -> rules.Nominal:
    """The engine's value of one item; raises `rules.InvalidCase` with every problem."""
    return rules.preview_activity(activity_data(kind=kind, year=year, params=params), rule_table())


def live_entries(entries: Iterable[LedgerEntry]) -> list[LedgerEntry]:
    """The entries that count: not corrections, and not reversed by one."""
    entries = list(entries)
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id is not None}
    return [e for e in entries if e.reverses_id is None and e.pk not in reversed_ids]


def _case(
    *,
    industry: str | None,
    transferred_in_year: int | None,
    activities: Sequence[Mapping[str, Any]],
    years: Sequence[int] | None = None,
    cycle: tuple[int, int] | None = None,
) -> rules.Case:
    data: dict[str, Any] = {
        "person": {"industry": industry, "transferred_in_year": transferred_in_year},
        "activities": list(activities),
    }
    if years is not None:
        data["years"] = list(years)
    if cycle is not None:
        data["cycle"] = {"start": cycle[0], "end": cycle[1]}
    return rules.parse_case(data, rule_table())


def ledger_evaluate(
    *,
    person: Person,
    entries: Iterable[LedgerEntry],
    years: Sequence[int] | None = None,
    cycle: tuple[int, int] | None = None,
) -> rules.Evaluation:
    """Evaluates the person's live entries together. Activity ids are the entry pks."""
    activities = [
        {"id": e.pk, **activity_data(kind=e.kind, year=e.year, params=e.params)}
        for e in live_entries(entries)
    ]
    industry = person.industry.code if person.industry_id else None
    return rules.evaluate(
        _case(
            industry=industry,
            transferred_in_year=person.transferred_in_year,
            activities=activities,
            years=years,
            cycle=cycle,
        ),
        rule_table(),
    )


def _year_rows(person_id: int, evaluation: rules.Evaluation) -> list[PersonYear]:
    now = timezone.now()
    rows = []
    for year, result in sorted(evaluation.years.items()):
        rows.append(
            PersonYear(
                person_id=person_id,
                year=year,
                public=result.hours.public,
                professional=result.hours.professional,
                total=result.hours.total,
                required_public=result.requirement.public,
                required_professional=result.requirement.professional,
                exempt=result.exempt,
                aid_service=result.aid_service,
                compliant_before_make_up=result.compliant_before_make_up,
                made_up=not result.made_up.is_zero(),
                compliant=result.compliant,
                shortfall_public=result.shortfall.public,
                shortfall_professional=result.shortfall.professional,
                refreshed_at=now,
            )
        )
    return rows


@transaction.atomic
def person_years_refresh(*, person_ids: Iterable[int]) -> int:
    """Rebuilds the year totals of these people from their entries; returns the rows written.

    Years from the person's first to last entry year are stored (a year without entries in
    between is a real, short year). Queries: a constant number, whatever the count of people.
    """
    ids = sorted(set(person_ids))
    if not ids:
        return 0
    industries = dict(Industry.objects.values_list("id", "code"))
    people = {
        row["id"]: row
        for row in Person.objects.filter(id__in=ids).values(
            "id", "industry_id", "transferred_in_year"
        )
    }
    by_person: dict[int, list[dict[str, Any]]] = defaultdict(list)
    entries = (
        LedgerEntry.objects.filter(person_id__in=ids)
        .order_by("person_id", "id")
        .values("id", "person_id", "year", "kind", "params", "reverses_id")
    )
    rows = list(entries)
    reversed_ids = {row["reverses_id"] for row in rows if row["reverses_id"] is not None}
    for row in rows:
        if row["reverses_id"] is None and row["id"] not in reversed_ids:
            by_person[row["person_id"]].append(
                {
                    "id": row["id"],
                    **activity_data(**{k: row[k] for k in ("kind", "year", "params")}),
                }
            )
    written: list[PersonYear] = []
    for person_id, activities in by_person.items():
        person = people[person_id]
        years = [a["year"] for a in activities]
        case = _case(
            industry=industries.get(person["industry_id"]),
            transferred_in_year=person["transferred_in_year"],
            activities=activities,
            years=range(min(years), max(years) + 1),
        )
        written.extend(_year_rows(person_id, rules.evaluate(case, rule_table())))
    PersonYear.objects.filter(person_id__in=ids).delete()
    PersonYear.objects.bulk_create(written, batch_size=2000)
    return len(written)


def person_years_expected(*, person: Person) -> list[tuple[int, Decimal, Decimal, bool]]:
    """What `PersonYear` should hold for a person, computed afresh (for the consistency check)."""
    entries = list(LedgerEntry.objects.filter(person=person))
    live = live_entries(entries)
    if not live:
        return []
    years = [e.year for e in live]
    evaluation = ledger_evaluate(
        person=person, entries=entries, years=range(min(years), max(years) + 1)
    )
    return [
        (year, r.hours.public, r.hours.professional, r.compliant)
        for year, r in sorted(evaluation.years.items())
    ]
