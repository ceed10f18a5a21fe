"""Keeping the report summaries current: in full (nightly, `manage.py reports_refresh`) and per
person after every write that changes hours (the ledger's `person_years_refreshed` signal).

Both paths are set-based SQL over `people_person`, `people_unit` and `credits_personyear`, the
same statements on PostgreSQL and SQLite, so a full rebuild of a million people is a few
statements rather than a million evaluations: the per-person work (the rules engine) has
already been done by `person_years_refresh` when the entries were recorded.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.utils import timezone

from apps import rules
from apps.credits.ledger import person_years_refreshed, rule_table
from apps.people.models import Industry, Person, Unit
from apps.reports.models import (
    ComplianceGroup,
    ComplianceRollup,
    ComplianceUnitYear,
    PersonYearFact,
    SummaryRefresh,
)
from hefei_cpe.bulk import indexes_deferred

FACTS = PersonYearFact._meta.db_table
GROUPS = ComplianceGroup._meta.db_table
ROLLUP = ComplianceRollup._meta.db_table
UNITS = ComplianceUnitYear._meta.db_table


def report_years() -> list[int]:
    """The years the summaries hold: REPORTS_FIRST_YEAR through the current year."""
    return list(range(settings.REPORTS_FIRST_YEAR, timezone.localdate().year + 1))


def _requirements(years: Sequence[int]) -> list[tuple[int, int, Decimal, Decimal]]:
    """(industry id, year, public, professional) required of someone with no hours that year,
    as the rules engine states it (per industry; lower before 2016)."""
    table = rule_table()
    rows = []
    for industry_id, code in Industry.objects.values_list("id", "code"):
        for year in years:
            case = rules.Case(
                person=rules.Person(industry=code), activities=(), years=(year,), cycle=None
            )
            requirement = rules.evaluate(case, table).years[year].requirement
            rows.append((industry_id, year, requirement.public, requirement.professional))
    return rows


def _member(column: str, values: Sequence[int]) -> tuple[str, list[Any]]:
    """`column` is one of `values`: one array parameter on PostgreSQL, a JSON array on SQLite."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(values))]  # noqa: S608 (column names from this module)


_FACT_COLUMNS = (
    "person_id, year, unit_id, jurisdiction_id, industry_id, title_level, in_scope, exempt, "
    "public, professional, total, shortfall_public, shortfall_professional, shortfall, "
    "compliant, made_up, made_up_previous"
)

# A person's year without a year total (no entries that year) is 0 hours, short by the whole
# requirement unless the person came to Hefei later (exempt, as the engine says).
_FACTS_SELECT = """
    SELECT p.id, req.year, p.unit_id, u.jurisdiction_id, p.industry_id, p.title_level,
        u.affiliation = 'local',
        COALESCE(py.exempt, p.transferred_in_year IS NOT NULL AND req.year < p.transferred_in_year),
        COALESCE(py.public, 0), COALESCE(py.professional, 0), COALESCE(py.total, 0),
        COALESCE(py.shortfall_public, CASE WHEN p.transferred_in_year IS NOT NULL
            AND req.year < p.transferred_in_year THEN 0 ELSE req.pub END),
        COALESCE(py.shortfall_professional, CASE WHEN p.transferred_in_year IS NOT NULL
            AND req.year < p.transferred_in_year THEN 0 ELSE req.pro END),
        COALESCE(py.shortfall_public + py.shortfall_professional, CASE WHEN
            p.transferred_in_year IS NOT NULL AND req.year < p.transferred_in_year
            THEN 0 ELSE req.pub + req.pro END),
        COALESCE(py.compliant, p.transferred_in_year IS NOT NULL
            AND req.year < p.transferred_in_year),
        COALESCE(py.made_up, FALSE),
        COALESCE(prev.made_up, FALSE)
    FROM people_person p
    JOIN people_unit u ON u.id = p.unit_id
    JOIN req ON req.industry_id = p.industry_id
    LEFT JOIN credits_personyear py ON py.person_id = p.id AND py.year = req.year
    LEFT JOIN credits_personyear prev ON prev.person_id = p.id AND prev.year = req.year - 1
"""

_GROUP_COLUMNS = (
    "year, unit_id, jurisdiction_id, industry_id, title_level, in_scope, people, compliant, "
    "exempt, no_hours, short_public, short_professional, short_both, made_up_previous, "
    "public_sum, professional_sum"
)

_GROUPS_SELECT = f"""
    SELECT year, unit_id, jurisdiction_id, industry_id, title_level, in_scope, COUNT(*),
        SUM(CASE WHEN compliant THEN 1 ELSE 0 END),
        SUM(CASE WHEN exempt THEN 1 ELSE 0 END),
        SUM(CASE WHEN total = 0 AND NOT exempt THEN 1 ELSE 0 END),
        SUM(CASE WHEN NOT compliant AND shortfall_public > 0 THEN 1 ELSE 0 END),
        SUM(CASE WHEN NOT compliant AND shortfall_professional > 0 THEN 1 ELSE 0 END),
        SUM(CASE WHEN NOT compliant AND shortfall_public > 0
            AND shortfall_professional > 0 THEN 1 ELSE 0 END),
        SUM(CASE WHEN made_up_previous THEN 1 ELSE 0 END),
        SUM(public), SUM(professional)
    FROM {FACTS}
"""  # noqa: S608 (table names from the models only)
_GROUP_BY = " GROUP BY year, unit_id, jurisdiction_id, industry_id, title_level, in_scope"

_COUNTS = (
    "people, compliant, exempt, no_hours, short_public, short_professional, short_both, "
    "made_up_previous, public_sum, professional_sum"
)
_ROLLUP_COLUMNS = f"year, jurisdiction_id, industry_id, title_level, in_scope, {_COUNTS}"
_SUMS = ", ".join(f"SUM({column})" for column in _COUNTS.split(", "))
# Table names from the models only.
_ROLLUP_SELECT = (
    f"SELECT year, jurisdiction_id, industry_id, title_level, in_scope, {_SUMS} FROM {GROUPS}"  # noqa: S608
)
_ROLLUP_BY = " GROUP BY year, jurisdiction_id, industry_id, title_level, in_scope"
# A unit has one jurisdiction and one affiliation: grouping by them too changes nothing.
_UNITS_COLUMNS = f"year, unit_id, jurisdiction_id, in_scope, {_COUNTS}, short"
_UNITS_SELECT = (
    f"SELECT year, unit_id, jurisdiction_id, in_scope, {_SUMS}, "  # noqa: S608
    f"SUM(people) - SUM(compliant) FROM {GROUPS}"
)
_UNITS_BY = " GROUP BY year, unit_id, jurisdiction_id, in_scope"


def units_from_groups(cursor: Any, where: str = "", params: Sequence[Any] = ()) -> None:
    """Fills the per-unit table from the groups (all of them, or those `where` selects)."""
    cursor.execute(
        f"INSERT INTO {UNITS} ({_UNITS_COLUMNS}) {_UNITS_SELECT} {where} {_UNITS_BY}",
        list(params),
    )


def _insert_facts(cursor: Any, years: Sequence[int], where: str, params: list[Any]) -> int:
    requirements = _requirements(years)
    if not requirements:
        return 0
    values = ", ".join(["(%s, %s, %s, %s)"] * len(requirements))
    sql = (
        f"WITH req(industry_id, year, pub, pro) AS (VALUES {values}) "
        f"INSERT INTO {FACTS} ({_FACT_COLUMNS}) {_FACTS_SELECT} {where}"
    )
    cursor.execute(sql, [v for row in requirements for v in row] + params)
    return int(cursor.rowcount)


def _owns(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_userbyid(relowner) = current_user FROM pg_class "
            "WHERE oid = %s::regclass",
            [table],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


@transaction.atomic
def summaries_refresh() -> SummaryRefresh:
    """Rebuilds the summary tables from people and year totals (the nightly job calls this).

    Readers keep seeing the previous figures on PostgreSQL until the rebuild commits, except
    for the table lock TRUNCATE takes: a dashboard opened during the rebuild waits for it."""
    started = time.perf_counter()
    years = report_years()
    # The fast path needs the tables' owner (TRUNCATE, indexes dropped and rebuilt): the nightly
    # job runs as the owner, like migrations. As the portal's least-privilege role
    # (hefei_cpe/dbroles.py) the same rebuild runs with DELETE and the indexes kept.
    postgres = connection.vendor == "postgresql" and _owns(FACTS)
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(f"TRUNCATE {FACTS}, {GROUPS}, {ROLLUP}, {UNITS}")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            # Compiling these few statements costs more than it saves; two cores at most.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 1")
        else:
            cursor.execute(f"DELETE FROM {FACTS}")  # noqa: S608
            cursor.execute(f"DELETE FROM {GROUPS}")  # noqa: S608
            cursor.execute(f"DELETE FROM {ROLLUP}")  # noqa: S608
            cursor.execute(f"DELETE FROM {UNITS}")  # noqa: S608
    # Loading the emptied tables first and indexing them afterwards (one sort per index) is
    # several times faster than maintaining four indexes row by row.
    with (
        indexes_deferred([FACTS, GROUPS, ROLLUP, UNITS] if postgres else []),
        connection.cursor() as cursor,
    ):
        _insert_facts(cursor, years, "", [])
        # In year and jurisdiction order: a dashboard reads one year's rows, packed together.
        cursor.execute(
            f"INSERT INTO {GROUPS} ({_GROUP_COLUMNS}) {_GROUPS_SELECT} {_GROUP_BY} "
            "ORDER BY year, jurisdiction_id, unit_id"
        )
        cursor.execute(f"INSERT INTO {ROLLUP} ({_ROLLUP_COLUMNS}) {_ROLLUP_SELECT} {_ROLLUP_BY}")
        units_from_groups(cursor)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {FACTS}")
            cursor.execute(f"ANALYZE {GROUPS}")
            cursor.execute(f"ANALYZE {ROLLUP}")
            cursor.execute(f"ANALYZE {UNITS}")
    return SummaryRefresh.objects.create(
        kind=SummaryRefresh.Kind.FULL,
        finished_at=timezone.now(),
        people=Person.objects.count(),
        seconds=time.perf_counter() - started,
    )


@transaction.atomic
def facts_refresh(*, person_ids: Iterable[int]) -> int:
    """Brings these people's summary rows, and the groups of their units (before and after a
    move), up to date; returns the fact rows written. Does nothing before the first full
    rebuild (there is nothing to keep current yet)."""
    ids = sorted(set(person_ids))
    if not ids or not SummaryRefresh.objects.filter(kind=SummaryRefresh.Kind.FULL).exists():
        return 0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        in_facts, params = _member("person_id", ids)
        cursor.execute(f"SELECT DISTINCT unit_id FROM {FACTS} WHERE {in_facts}", params)  # noqa: S608
        units = {row[0] for row in cursor.fetchall()}
        cursor.execute(f"DELETE FROM {FACTS} WHERE {in_facts}", params)  # noqa: S608
        in_people, params = _member("p.id", ids)
        written = _insert_facts(cursor, report_years(), f"WHERE {in_people}", params)
        cursor.execute(f"SELECT DISTINCT unit_id FROM people_person p WHERE {in_people}", params)  # noqa: S608
        units |= {row[0] for row in cursor.fetchall()}
        in_units, params = _member("unit_id", sorted(units))
        cursor.execute(f"SELECT DISTINCT jurisdiction_id FROM {GROUPS} WHERE {in_units}", params)  # noqa: S608
        jurisdictions = {row[0] for row in cursor.fetchall()}
        cursor.execute(f"DELETE FROM {GROUPS} WHERE {in_units}", params)  # noqa: S608
        cursor.execute(
            f"INSERT INTO {GROUPS} ({_GROUP_COLUMNS}) "
            f"{_GROUPS_SELECT} WHERE {in_units} {_GROUP_BY}",
            params,
        )
        cursor.execute(f"DELETE FROM {UNITS} WHERE {in_units}", params)  # noqa: S608
        units_from_groups(cursor, f"WHERE {in_units}", params)
        # The rollup rows of every jurisdiction these units were or are in, summed afresh.
        cursor.execute(f"SELECT DISTINCT jurisdiction_id FROM {GROUPS} WHERE {in_units}", params)  # noqa: S608
        jurisdictions |= {row[0] for row in cursor.fetchall()}
        in_jurisdictions, params = _member("jurisdiction_id", sorted(jurisdictions))
        cursor.execute(f"DELETE FROM {ROLLUP} WHERE {in_jurisdictions}", params)  # noqa: S608
        cursor.execute(
            f"INSERT INTO {ROLLUP} ({_ROLLUP_COLUMNS}) "
            f"{_ROLLUP_SELECT} WHERE {in_jurisdictions} {_ROLLUP_BY}",
            params,
        )
    SummaryRefresh.objects.update_or_create(
        kind=SummaryRefresh.Kind.INCREMENTAL,
        defaults={
            "finished_at": timezone.now(),
            "people": len(ids),
            "seconds": time.perf_counter() - started,
        },
    )
    return written


def _on_year_totals(*, person_ids: Iterable[int], **kwargs: object) -> None:
    facts_refresh(person_ids=person_ids)


def _on_person_saved(*, instance: Person, raw: bool = False, **kwargs: object) -> None:
    if not raw:  # a person's unit, industry or title level feeds the summaries
        facts_refresh(person_ids=[instance.pk])


def _on_unit_saved(*, instance: Unit, created: bool, raw: bool = False, **kwargs: object) -> None:
    if not raw and not created:  # its jurisdiction or affiliation may have changed
        facts_refresh(person_ids=list(instance.people.values_list("pk", flat=True)))


def connect() -> None:
    person_years_refreshed.connect(_on_year_totals, dispatch_uid="reports.facts")
    post_save.connect(_on_person_saved, sender=Person, dispatch_uid="reports.person")
    post_save.connect(_on_unit_saved, sender=Unit, dispatch_uid="reports.unit")
