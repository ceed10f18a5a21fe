"""Valuing entries with the rules engine and keeping `PersonYear` current.

Entries hold the engine's nominal hours for the item on its own. Caps, either-or, the same
paper twice and make-up depend on the other entries of the person, so they are applied by
evaluating the person's live entries together (`ledger_evaluate`); `person_years_refresh`
stores that evaluation per year for reports.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from apps import rules
from apps.credits.models import LedgerEntry, PersonYear
from apps.people.models import Industry, Person
from apps.requirements.selectors import Snapshot, requirements_in_force
from hefei_cpe.bulk import delete_in, insert_rows, values_in

# Sent inside the transaction of every `person_years_refresh`, with `person_ids`: the year totals
# of these people changed. Summaries of edge apps (reports) listen; nothing here knows them.
person_years_refreshed = Signal()


def rule_table() -> rules.RuleTable:
    """The crediting table in force: Attachment 3 with the requirements the city set per
    industry (apps.requirements). Read from the cache; the database only after a change."""
    return _table_of(requirements_in_force())


def rule_table_version() -> str:
    """A short, stable digest of the requirements in force (the same in every process): what
    anything computed with `rule_table()` and kept beyond a request is keyed on."""
    return _version_of(requirements_in_force())


@lru_cache(maxsize=16)
def _version_of(snapshot: Snapshot) -> str:
    return hashlib.sha256(repr(snapshot).encode()).hexdigest()[:16]


@lru_cache(maxsize=16)
def _table_of(snapshot: Snapshot) -> rules.RuleTable:
    if not snapshot:
        return rules.DEFAULT_TABLE
    return replace(
        rules.DEFAULT_TABLE,
        requirements=MappingProxyType(
            {
                code: rules.Requirement(professional=prof, public=pub)
                for code, prof, pub, _ in snapshot
            }
        ),
        requirement_basis=MappingProxyType({code: basis for code, _, _, basis in snapshot}),
    )


def entry_value(*, kind: str, year: int, params: Mapping[str, Any]) -> rules.Nominal:
    """The engine's value of one item; raises `rules.InvalidCase` with every problem."""
    return rules.preview_activity({**params, "kind": kind, "year": year}, rule_table())


def recorded_order(entries: Iterable[LedgerEntry]) -> list[LedgerEntry]:
    """Entries in the order they were recorded: the engine's time order within a year."""
    return sorted(entries, key=lambda e: (e.recorded_at, e.pk))


def live_entries(entries: Iterable[LedgerEntry]) -> list[LedgerEntry]:
    """The entries that count (not corrections, and not reversed by one), in recorded order."""
    entries = recorded_order(entries)
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id is not None}
    return [e for e in entries if e.reverses_id is None and e.pk not in reversed_ids]


# Awards recorded before the rank was asked for (engine v1) were credited by their grade alone:
# they are read as rank 1, which credits exactly the grade's figure they were approved for.
LEGACY_DEFAULTS: dict[str, dict[str, Any]] = {
    "provincial_award": {"rank": 1},
    "city_award": {"rank": 1},
}


@lru_cache(maxsize=4096)
def _params_of(kind: str, year: int, params_json: str) -> rules.Activity:
    """The engine's reading of an entry's parameters. Recorded entries were validated when
    they were recorded, and many share their parameters (the same roster's hours), so the
    reading is cached; the id is put in afterwards."""
    data = {**LEGACY_DEFAULTS.get(kind, {}), **json.loads(params_json), "kind": kind, "year": year}
    return rules.validate_activity(data, rule_table())


# An entry as the engine needs it: (entry id, kind, year, parameters as canonical JSON).
Item = tuple[int, str, int, str]


def _canonical(params: Mapping[str, Any] | str) -> str:
    if isinstance(params, str):  # a raw cursor on PostgreSQL gives the JSON text
        params = json.loads(params)
    return json.dumps(params, sort_keys=True, separators=(",", ":"))


def _case_of(
    *,
    industry: str | None,
    transferred_in_year: int | None,
    items: Sequence[Item],
    years: Sequence[int] | None = None,
    cycle: tuple[int, int] | None = None,
) -> rules.Case:
    """The engine's case for a person's live entries (validated when they were recorded)."""
    return rules.Case(
        person=rules.Person(industry=industry, transferred_in_year=transferred_in_year),
        activities=tuple(
            replace(_params_of(kind, year, params), id=entry_id)
            for entry_id, kind, year, params in items
        ),
        years=tuple(years) if years is not None else None,
        cycle=rules.Cycle(*cycle) if cycle is not None else None,
    )


def entry_activity(entry: LedgerEntry) -> rules.Activity:
    """The engine's activity for a recorded entry (its id is the entry's pk)."""
    return replace(_params_of(entry.kind, entry.year, _canonical(entry.params)), id=entry.pk)


def ledger_evaluate(
    *,
    person: Person,
    entries: Iterable[LedgerEntry],
    years: Sequence[int] | None = None,
    cycle: tuple[int, int] | None = None,
    appended: Sequence[rules.Activity] = (),
) -> rules.Evaluation:
    """Evaluates the person's live entries together, in recorded order (the engine credits by
    year, then in this order). Activity ids are the entry pks. `appended` activities come after
    every entry, as if recorded now (what approving a claim would credit)."""
    case = _case_of(
        industry=person.industry.code if person.industry_id else None,
        transferred_in_year=person.transferred_in_year,
        items=[(e.pk, e.kind, e.year, _canonical(e.params)) for e in live_entries(entries)],
        years=years,
        cycle=cycle,
    )
    if appended:
        case = replace(case, activities=(*case.activities, *appended))
    return rules.evaluate(case, rule_table())


_YEAR_COLUMNS = (
    "person_id",
    "year",
    "public",
    "professional",
    "total",
    "required_public",
    "required_professional",
    "exempt",
    "aid_service",
    "compliant_before_make_up",
    "made_up",
    "compliant",
    "shortfall_public",
    "shortfall_professional",
    "refreshed_at",
)


YearRow = tuple[Any, ...]  # values in the order of _YEAR_COLUMNS


def year_rows(person_id: int, evaluation: rules.Evaluation) -> list[YearRow]:
    """The `PersonYear` rows of one evaluation, in the order of `_YEAR_COLUMNS` (also used by
    the generated city, which passes a profile number where the person would go)."""
    now = timezone.now()
    return [
        (
            person_id,
            year,
            r.hours.public,
            r.hours.professional,
            r.hours.total,
            r.requirement.public,
            r.requirement.professional,
            r.exempt,
            r.aid_service,
            r.compliant_before_make_up,
            not r.made_up.is_zero(),
            r.compliant,
            r.shortfall.public,
            r.shortfall.professional,
            now,
        )
        for year, r in sorted(evaluation.years.items())
    ]


@transaction.atomic
def person_years_refresh(*, person_ids: Iterable[int]) -> int:
    """Rebuilds the year totals of these people from their entries; returns the rows written.

    Years from the person's first to last entry year are stored (a year without entries in
    between is a real, short year). A constant number of queries, whatever the count of
    people; people whose live ledgers are alike (same industry, transfer year and entries in
    the same order: typically everyone a roster adds) share one evaluation.
    """
    ids = sorted(set(person_ids))
    if not ids:
        return 0
    industries = dict(Industry.objects.values_list("id", "code"))
    people = {
        pk: (industries.get(industry_id), transferred)
        for pk, industry_id, transferred in values_in(
            Person, "id", ids, ("id", "industry_id", "transferred_in_year")
        )
    }
    fields = ("id", "person_id", "year", "kind", "params", "reverses_id", "recorded_at")
    # Recorded order, as `ledger_evaluate` passes them.
    rows = sorted(
        values_in(LedgerEntry, "person_id", ids, fields), key=lambda r: (r[1], r[6], r[0])
    )
    reversed_ids = {row[5] for row in rows if row[5] is not None}
    by_person: dict[int, list[Item]] = defaultdict(list)
    for entry_id, person_id, year, kind, params, reverses_id, _recorded_at in rows:
        if reverses_id is None and entry_id not in reversed_ids:
            by_person[person_id].append((entry_id, kind, year, _canonical(params)))
    table = rule_table()
    shared: dict[tuple[Any, ...], rules.Evaluation] = {}
    written: list[YearRow] = []
    for person_id, items in by_person.items():
        industry, transferred = people[person_id]
        signature = (industry, transferred, tuple(item[1:] for item in items))
        evaluation = shared.get(signature)
        if evaluation is None:
            years = [item[2] for item in items]
            case = _case_of(
                industry=industry,
                transferred_in_year=transferred,
                items=items,
                years=range(min(years), max(years) + 1),
            )
            evaluation = shared[signature] = rules.evaluate(case, table)
        written.extend(year_rows(person_id, evaluation))
    delete_in(PersonYear, "person_id", ids)
    insert_rows(PersonYear, _YEAR_COLUMNS, written)
    person_years_refreshed.send(sender=PersonYear, person_ids=ids)
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


def person_years_refresh_all(*, batch: int = 2000) -> int:
    """Rebuilds the year totals of everyone with entries or totals, `batch` people per
    transaction (after a change of the crediting rules); returns the rows written."""
    ids = set(LedgerEntry.objects.values_list("person_id", flat=True).distinct())
    ids |= set(PersonYear.objects.values_list("person_id", flat=True).distinct())
    ordered = sorted(ids)
    written = 0
    for start in range(0, len(ordered), batch):
        written += person_years_refresh(person_ids=ordered[start : start + batch])
    return written
