"""Reads behind the compliance reports, scoped by who is asking.

Dashboards read the small `ComplianceGroup` table (a handful of grouped queries, whatever the
number of people); drill-downs read `PersonYearFact` one page at a time in index order, seeking
past the last row shown instead of counting and skipping (no COUNT over a million rows).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import get_language, gettext_lazy

from apps.accounts.models import User
from apps.people.models import Industry, Jurisdiction, Person, Unit
from apps.reports.models import (
    ComplianceGroup,
    ComplianceRollup,
    ComplianceUnitYear,
    PersonYearFact,
    SummaryRefresh,
)
from hefei_cpe.compiled import CompiledQuery


@dataclass(frozen=True)
class ReportScope:
    """What one user may report on: the whole city, one jurisdiction, or one unit (its
    administrator's: `unit` set, `jurisdiction` None)."""

    jurisdiction: Jurisdiction | None
    may_choose_jurisdiction: bool
    unit: Unit | None = None

    @property
    def city_wide(self) -> bool:
        return self.jurisdiction is None and self.unit is None

    @property
    def unit_only(self) -> bool:
        return self.unit is not None

    def restrict(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The rows of the scope, for tables with a unit and a jurisdiction column (the rollup
        has no unit: `dashboard_for` reads the groups for a unit)."""
        if self.unit is not None:
            return queryset.filter(unit_id=self.unit.pk)
        if self.jurisdiction is None:
            return queryset
        return queryset.filter(jurisdiction_id=self.jurisdiction.pk)


def report_scope_for(*, user: User, jurisdiction_id: int | None = None) -> ReportScope:
    """City officers: the city, or any jurisdiction they pick. A district or city-department
    officer: their own jurisdiction only. A unit's administrator: their unit only (a
    jurisdiction other than their unit's is 404). Anyone else, or another jurisdiction: 404.
    The reach is the user's scope (apps.accounts.scope), as for every other selector."""
    scope = user.scope
    if scope.unit_id is not None:
        unit = _related(user, "unit", _UNIT)  # the page's header names it too
        if unit is None or jurisdiction_id not in (None, unit.jurisdiction_id):
            raise Http404
        return ReportScope(None, may_choose_jurisdiction=False, unit=unit)
    if not scope.is_officer:
        raise Http404
    if jurisdiction_id is None:
        if scope.whole_city:
            return ReportScope(None, may_choose_jurisdiction=True)
        jurisdiction_id = scope.jurisdiction_id
    if jurisdiction_id is None:
        raise Http404
    if not scope.whole_city and jurisdiction_id == scope.jurisdiction_id == user.jurisdiction_id:
        # The officer's own: cached on the user, the page's header names it too (one query).
        return ReportScope(
            _related(user, "jurisdiction", _JURISDICTION), may_choose_jurisdiction=False
        )
    reachable = scope.jurisdictions(Jurisdiction.objects.all())
    jurisdiction = reachable.filter(pk=jurisdiction_id).first()
    if jurisdiction is None:
        raise Http404
    return ReportScope(jurisdiction, may_choose_jurisdiction=scope.whole_city)


_JURISDICTION: CompiledQuery[Jurisdiction] = CompiledQuery(
    lambda _shape, pk: Jurisdiction.objects.filter(pk=pk)
)
_UNIT: CompiledQuery[Unit] = CompiledQuery(lambda _shape, pk: Unit.objects.filter(pk=pk))


def _related(user: User, name: str, query: CompiledQuery[Any]) -> Any:
    """`getattr(user, name)` (a foreign key: the user's jurisdiction or unit), read by a
    query compiled once per process and kept on the user as the attribute would be (the
    page's header reads it again): the ORM's `get` cost more than the query."""
    field: Any = User._meta.get_field(name)  # a ForeignKey
    pk = getattr(user, field.attname)
    if pk is not None and not field.is_cached(user):
        field.set_cached_value(user, query.get(None, pk=pk))
    return getattr(user, name)


def unit_get_in_scope(*, scope: ReportScope, pk: int) -> Unit:
    if scope.unit is not None:
        if scope.unit.pk != pk:
            raise Http404
        return scope.unit
    units = Unit.objects.select_related("jurisdiction")
    if scope.jurisdiction is not None:
        units = units.filter(jurisdiction_id=scope.jurisdiction.pk)
    unit = units.filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


@dataclass
class Figures:
    """One line of a compliance table."""

    key: Any
    label: str
    people: int = 0
    compliant: int = 0
    no_hours: int = 0
    short_public: int = 0
    short_professional: int = 0
    short_both: int = 0
    made_up_previous: int = 0
    public_sum: Decimal = Decimal(0)
    professional_sum: Decimal = Decimal(0)
    link: dict[str, Any] = field(default_factory=dict)

    @property
    def short(self) -> int:
        return self.people - self.compliant

    @property
    def share(self) -> Decimal | None:
        """Share compliant, in per cent with one decimal."""
        if not self.people:
            return None
        return (Decimal(100) * self.compliant / self.people).quantize(Decimal("0.1"))

    @property
    def average_public(self) -> Decimal | None:
        return (self.public_sum / self.people).quantize(Decimal("0.1")) if self.people else None

    @property
    def average_professional(self) -> Decimal | None:
        if not self.people:
            return None
        return (self.professional_sum / self.people).quantize(Decimal("0.1"))

    def add(self, other: Figures) -> None:
        for name in (
            "people",
            "compliant",
            "no_hours",
            "short_public",
            "short_professional",
            "short_both",
            "made_up_previous",
            "public_sum",
            "professional_sum",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


SUMS = {
    "people": Sum("people"),
    "compliant": Sum("compliant"),
    "no_hours": Sum("no_hours"),
    "short_public": Sum("short_public"),
    "short_professional": Sum("short_professional"),
    "short_both": Sum("short_both"),
    "made_up_previous": Sum("made_up_previous"),
    "public_sum": Sum("public_sum"),
    "professional_sum": Sum("professional_sum"),
}


def _figures(row: Mapping[str, Any], key: Any, label: str, link: dict[str, Any]) -> Figures:
    sums: dict[str, Any] = {name: row[name] or 0 for name in SUMS}
    for name in ("public_sum", "professional_sum"):  # SQLite sums decimals as floats
        sums[name] = Decimal(str(sums[name])).quantize(Decimal("0.1"))
    return Figures(key=key, label=label, link=link, **sums)


@dataclass(frozen=True)
class GroupFilter:
    industry_id: int | None = None
    title_level: str | None = None

    def link(self) -> dict[str, Any]:
        link: dict[str, Any] = {}
        if self.industry_id is not None:
            link["industry"] = self.industry_id
        if self.title_level is not None:
            link["title_level"] = self.title_level or "none"
        return link


@dataclass(frozen=True)
class References:
    """The jurisdictions and industries (id, name) in their display order, read once per
    request: the filter lists, the names in the tables and the order of the rows use them."""

    jurisdictions: list[tuple[int, str]]
    industries: list[tuple[int, str]]

    @property
    def jurisdiction_names(self) -> dict[int, str]:
        return dict(self.jurisdictions)

    @property
    def industry_names(self) -> dict[int, str]:
        return dict(self.industries)


def references_load() -> References:
    """Both lists in one query, each in its model's order (Jurisdiction: sort order, code;
    Industry: code): plain SQL, as the ORM's two `values_list` cost several times the
    database's answer on every report page."""
    sql = (
        "SELECT 0 AS kind, id, name, sort_order, code "  # noqa: S608 (the models' tables)
        f"FROM {Jurisdiction._meta.db_table} "
        "UNION ALL SELECT 1 AS kind, id, name, 0 AS sort_order, code "
        f"FROM {Industry._meta.db_table} ORDER BY kind, sort_order, code"
    )
    with connections[router.db_for_read(Jurisdiction)].cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return References(
        jurisdictions=[(pk, name) for kind, pk, name, _order, _code in rows if kind == 0],
        industries=[(pk, name) for kind, pk, name, _order, _code in rows if kind == 1],
    )


# The columns of every figures table, on the page and in its Excel export, in this order.
FIGURE_COLUMNS = (
    gettext_lazy("People"),
    gettext_lazy("Compliant"),
    gettext_lazy("Short"),
    gettext_lazy("Share compliant (%)"),
    gettext_lazy("Average public hours"),
    gettext_lazy("Average professional hours"),
    gettext_lazy("Made up the year before"),
)

TITLE_LEVEL_LABELS = dict(Person.TitleLevel.choices)


def title_level_label(level: str) -> str:
    from django.utils.translation import gettext

    return str(TITLE_LEVEL_LABELS.get(level, gettext("No title level")))


@dataclass
class Dashboard:
    year: int
    years: list[int]
    total: Figures
    out_of_scope: Figures
    by_jurisdiction: list[Figures]
    by_industry: list[Figures]
    by_title_level: list[Figures]
    trend: list[Figures]
    worst_units: list[Figures]


_SUM_SQL = ", ".join(f"SUM({name}) AS {name}" for name in SUMS)
_COLUMNS = ", ".join(SUMS)


def _fetch(model: type[Any], sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    """The rows of `sql` as dicts, read where the ORM would read `model` (the reports'
    replica when there is one)."""
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# The four groupings of a dashboard, as (name, the grouped column, the type of its value):
# read in one statement (`_groupings`), each branch with its own column, NULL in the others.
_GROUPINGS = (
    ("jurisdiction", "jurisdiction_id", "BIGINT"),
    ("industry", "industry_id", "BIGINT"),
    ("title_level", "title_level", "VARCHAR(20)"),
    ("trend", "year", "INTEGER"),
)


def _groupings(
    scope: ReportScope, filters: GroupFilter, year: int, years: Sequence[int]
) -> dict[str, list[dict[str, Any]]]:
    """The sums of the scope's summary rows (the rollup, or for a unit its groups) grouped
    four ways: by jurisdiction and in scope or not (`year`), by industry and by title level
    (`year`, in scope), by year (`years`, in scope). One plain SQL statement, the four
    groupings joined by UNION ALL: one round trip instead of four, and no ORM expression
    building, which cost more than the queries themselves here."""
    model = ComplianceGroup if scope.unit_only else ComplianceRollup
    branches, params = [], []
    for i, (name, column, _type) in enumerate(_GROUPINGS):
        where, where_params = _where(
            scope,
            filters,
            years if name == "trend" else [year],
            in_scope_only=name != "jurisdiction",
        )
        keys = ", ".join(
            other if other == column else f"CAST(NULL AS {kind}) AS {other}"
            for _name, other, kind in _GROUPINGS
        )
        branches.append(
            f"SELECT {i} AS branch, in_scope, {keys}, {_SUM_SQL} "  # noqa: S608 (names from this module)
            f"FROM {model._meta.db_table} WHERE {where} GROUP BY in_scope, {column}"
        )
        params += where_params
    found: dict[str, list[dict[str, Any]]] = {name: [] for name, _column, _type in _GROUPINGS}
    for row in _fetch(model, " UNION ALL ".join(branches), params):
        found[_GROUPINGS[row["branch"]][0]].append(row)
    return found


def _where(
    scope: ReportScope, filters: GroupFilter, years: Sequence[int], *, in_scope_only: bool
) -> tuple[str, list[Any]]:
    """The condition (and its parameters) on a summary table's rows of `years` in the scope,
    under the filters."""
    where = [f"year IN ({', '.join(['%s'] * len(years))})"]
    params: list[Any] = list(years)
    if scope.unit is not None:
        where.append("unit_id = %s")
        params.append(scope.unit.pk)
    elif scope.jurisdiction is not None:
        where.append("jurisdiction_id = %s")
        params.append(scope.jurisdiction.pk)
    if filters.industry_id is not None:
        where.append("industry_id = %s")
        params.append(filters.industry_id)
    if filters.title_level is not None:
        where.append("title_level = %s")
        params.append(filters.title_level)
    if in_scope_only:
        where.append("in_scope = %s")
        params.append(True)
    return " AND ".join(where), params


def dashboard_for(
    *,
    scope: ReportScope,
    year: int,
    years: Sequence[int],
    filters: GroupFilter,
    references: References | None = None,
) -> Dashboard:
    """The figures of one year (and the trend over `years`) for the scope: four groupings of
    the rollup (a few thousand rows a year; for a unit, of its groups) in one query, and for a
    city or a jurisdiction one on the per-unit table for the units with most people short (the
    groups when filtered), their names joined. Names of jurisdictions and industries come from
    `references` (read here if the caller has not)."""
    references = references or references_load()
    base_link = {"year": year, **filters.link()}
    if scope.unit is not None:
        base_link["unit"] = scope.unit.pk
    jurisdictions = references.jurisdiction_names
    industries = references.industry_names

    total = Figures(key=None, label="", link=dict(base_link))
    out_of_scope = Figures(key=None, label="", link={**base_link, "scope": "out"})
    by_jurisdiction: list[Figures] = []
    order = {pk: i for i, (pk, _name) in enumerate(references.jurisdictions)}
    groupings = _groupings(scope, filters, year, years)
    merged: dict[int, Figures] = {}
    for row in groupings["jurisdiction"]:
        pk = row["jurisdiction_id"]
        figures = _figures(row, pk, jurisdictions.get(pk, "?"), {**base_link, "jurisdiction": pk})
        if row["in_scope"]:
            merged[pk] = figures
            total.add(figures)
        else:
            out_of_scope.add(figures)
    by_jurisdiction = sorted(merged.values(), key=lambda f: order.get(f.key, 0))

    by_industry = sorted(
        (
            _figures(
                row,
                row["industry_id"],
                industries.get(row["industry_id"], "?"),
                {**base_link, "industry": row["industry_id"]},
            )
            for row in groupings["industry"]
        ),
        key=lambda f: (-f.people, f.key),
    )
    by_title_level = sorted(
        (
            _figures(
                row,
                row["title_level"],
                title_level_label(row["title_level"]),
                {**base_link, "title_level": row["title_level"] or "none"},
            )
            for row in groupings["title_level"]
        ),
        key=lambda f: list(TITLE_LEVEL_LABELS).index(f.key) if f.key in TITLE_LEVEL_LABELS else 99,
    )
    trend = [
        _figures(row, row["year"], str(row["year"]), {**base_link, "year": row["year"]})
        for row in sorted(groupings["trend"], key=lambda row: row["year"])
    ]
    worst_units = (
        [] if scope.unit_only else units_page(scope=scope, year=year, filters=filters, size=10).rows
    )
    return Dashboard(
        year=year,
        years=list(years),
        total=total,
        out_of_scope=out_of_scope,
        by_jurisdiction=by_jurisdiction,
        by_industry=by_industry,
        by_title_level=by_title_level,
        trend=trend,
        worst_units=worst_units,
    )


DASHBOARD_CACHE_PREFIX = "reports:dashboard:1"


def dashboard_cache_key(
    *, scope: ReportScope, year: int, years: Sequence[int], filters: GroupFilter, version: str
) -> str:
    """Everything the figures depend on: the summaries' version, the scope (city, one
    jurisdiction or one unit: two scopes never share a key), the year and the trend's years,
    the filters, and the language (the title levels' names are translated)."""
    if scope.unit is not None:
        where = f"u{scope.unit.pk}"
    elif scope.jurisdiction is not None:
        where = f"j{scope.jurisdiction.pk}"
    else:
        where = "city"
    level = "*" if filters.title_level is None else filters.title_level or "none"
    industry = "*" if filters.industry_id is None else filters.industry_id
    span = ",".join(str(y) for y in years)
    return (
        f"{DASHBOARD_CACHE_PREFIX}:{version}:{where}:{year}:{span}:{industry}:{level}:"
        f"{get_language() or '-'}"
    )


def dashboard_cached(
    *,
    scope: ReportScope,
    year: int,
    years: Sequence[int],
    filters: GroupFilter,
    references: References,
    version: str,
) -> Dashboard:
    """`dashboard_for`, kept in Django's cache until the summaries change: the figures only
    change at a refresh, and `version` (from `freshness`, which the page reads anyway) changes
    with every one, so a refresh makes the next request compute them afresh. A few kilobytes
    (figures, no HTML) per scope, year, filters and language, for
    `REPORTS_DASHBOARD_CACHE_SECONDS`. The names of jurisdictions and industries are set
    from `references` on every request (renaming one is not a refresh).

    The version and the figures are read from the same database (the reports' replica when
    there is one, which applies commits in order): figures computed after reading a version
    are at least that fresh, so an entry never holds figures older than its version."""
    key = dashboard_cache_key(scope=scope, year=year, years=years, filters=filters, version=version)
    data = cache.get(key)
    if data is None:
        data = dashboard_for(
            scope=scope, year=year, years=years, filters=filters, references=references
        )
        cache.set(key, data, timeout=settings.REPORTS_DASHBOARD_CACHE_SECONDS)
        return data
    jurisdictions = references.jurisdiction_names
    industries = references.industry_names
    for row in data.by_jurisdiction:
        row.label = jurisdictions.get(row.key, "?")
    for row in data.by_industry:
        row.label = industries.get(row.key, "?")
    return data


@dataclass
class Page:
    rows: list[Any]
    next_after: str | None


def units_page(
    *,
    scope: ReportScope,
    year: int,
    filters: GroupFilter,
    size: int,
    after: str | None = None,
) -> Page:
    """Units of the scope by people short (most first), one page, seeking past `after`
    ("short.unit_id" of the last unit shown). In-scope units only.

    Without an industry or title-level filter this reads the per-unit table in the order of
    its index (a few rows, each unit's name joined); with one, it sums the filtered groups per
    unit; the units' names joined. Plain SQL, as `_groupings`: composing it through the ORM
    cost several times the query on a dashboard."""
    named = filters.industry_id is None and filters.title_level is None
    model = ComplianceUnitYear if named else ComplianceGroup
    where, params = _where(scope, filters, [year], in_scope_only=True)
    if named:
        short, columns, group = "short", _COLUMNS, ""
    else:
        short = "SUM(people) - SUM(compliant)"
        columns, group = _SUM_SQL, " GROUP BY unit_id, jurisdiction_id"
    rows = (
        f"SELECT unit_id, jurisdiction_id, {short} AS short, {columns} "  # noqa: S608 (names from this module)
        f"FROM {model._meta.db_table} WHERE {where}{group}"
    )
    seek = ""
    if after:
        last_short, last_unit = (int(part) for part in after.split(".", 1))
        seek = "WHERE r.short < %s OR (r.short = %s AND r.unit_id > %s) "
        params += [last_short, last_short, last_unit]
    sql = (
        f"SELECT r.*, u.name AS unit_name FROM ({rows}) r "  # noqa: S608 (names from this module)
        f"INNER JOIN {Unit._meta.db_table} u ON u.id = r.unit_id {seek}"
        "ORDER BY r.short DESC, r.unit_id LIMIT %s"
    )
    found = _fetch(model, sql, [*params, size + 1])
    link = filters.link()
    figures = [
        _figures(
            row, row["unit_id"], row["unit_name"], {"year": year, "unit": row["unit_id"], **link}
        )
        for row in found[:size]
    ]
    following = None
    if len(found) > size:
        last = figures[-1]
        following = f"{last.short}.{last.key}"
    return Page(figures, following)


SORTS = {
    # name: (order_by, the keyset condition past a (value, person_id) pair)
    "shortfall": ("-shortfall", "shortfall__lt"),
    "hours": ("total", "total__gt"),
    "registered": (None, None),
}


@dataclass(frozen=True)
class PeopleFilter:
    year: int
    industry_id: int | None = None
    title_level: str | None = None
    unit_id: int | None = None
    status: str = "short"  # short, compliant or all
    out_of_scope: bool = False
    sort: str = "shortfall"

    def link(self) -> dict[str, Any]:
        link: dict[str, Any] = {"year": self.year, "status": self.status, "sort": self.sort}
        if self.industry_id is not None:
            link["industry"] = self.industry_id
        if self.title_level is not None:
            link["title_level"] = self.title_level or "none"
        if self.unit_id is not None:
            link["unit"] = self.unit_id
        if self.out_of_scope:
            link["scope"] = "out"
        return link


def people_facts(*, scope: ReportScope, filters: PeopleFilter) -> QuerySet[PersonYearFact]:
    facts = scope.restrict(PersonYearFact.objects.filter(year=filters.year))
    facts = facts.filter(in_scope=not filters.out_of_scope)
    if filters.industry_id is not None:
        facts = facts.filter(industry_id=filters.industry_id)
    if filters.title_level is not None:
        facts = facts.filter(title_level=filters.title_level)
    if filters.unit_id is not None:
        facts = facts.filter(unit_id=filters.unit_id)
    if filters.status == "short":
        facts = facts.filter(compliant=False)
    elif filters.status == "compliant":
        facts = facts.filter(compliant=True)
    return facts


def _ordered(facts: QuerySet[PersonYearFact], sort: str) -> QuerySet[PersonYearFact]:
    order_by, _ = SORTS[sort]
    return facts.order_by(*([order_by] if order_by else []), "person_id")


def people_page(
    *, scope: ReportScope, filters: PeopleFilter, size: int, after: str | None = None
) -> Page:
    """One page of the people behind a figure, seeking past `after` ("value.person_id")."""
    facts = people_facts(scope=scope, filters=filters)
    order_by, past = SORTS[filters.sort]
    if after:
        value, person_id = after.rsplit(".", 1) if order_by else ("", after)
        if past is None:
            facts = facts.filter(person_id__gt=int(person_id))
        else:
            column = past.split("__")[0]
            facts = facts.filter(
                Q(**{past: Decimal(value)})
                | Q(**{column: Decimal(value), "person_id__gt": int(person_id)})
            )
    rows = list(
        _ordered(facts, filters.sort)
        .select_related("person", "unit")
        .only(
            "person_id",
            "year",
            "public",
            "professional",
            "total",
            "shortfall_public",
            "shortfall_professional",
            "shortfall",
            "compliant",
            "made_up",
            "made_up_previous",
            "exempt",
            "title_level",
            "unit_id",
            "industry_id",
            "jurisdiction_id",
            "person__name",
            "person__id_number_masked",
            "person__title",
            "unit__name",
        )[: size + 1]
    )
    following = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        if order_by is None:
            following = str(last.person_id)
        else:
            following = f"{getattr(last, order_by.lstrip('-'))}.{last.person_id}"
    return Page(rows, following)


def people_rows_for_export(
    *, scope: ReportScope, filters: PeopleFilter
) -> Iterator[tuple[Any, ...]]:
    """Every row of a drill-down, in its order, streamed from a server-side cursor."""
    facts = _ordered(people_facts(scope=scope, filters=filters), filters.sort)
    yield from facts.values_list(
        "person__name",
        "person__id_number_masked",
        "unit__name",
        "jurisdiction__name",
        "industry__name",
        "title_level",
        "public",
        "professional",
        "total",
        "shortfall_public",
        "shortfall_professional",
        "compliant",
        "made_up_previous",
    ).iterator(chunk_size=5000)


@dataclass(frozen=True)
class Freshness:
    full: SummaryRefresh | None
    incremental: SummaryRefresh | None
    # Changes with every full rebuild and every incremental update (the latest row of each
    # kind, when it finished): the cached dashboards are keyed on it.
    version: str = ""


def freshness() -> Freshness:
    """When the figures were computed: the last full rebuild and the last update since (one
    query: the latest row of each kind)."""

    table = SummaryRefresh._meta.db_table
    latest = (
        f"SELECT id FROM {table} WHERE kind = %s "  # noqa: S608 (the model's table)
        "ORDER BY finished_at DESC, id DESC LIMIT 1"
    )
    # Raw SQL through the model (read where the ORM would read it): composing the two
    # subqueries through the ORM cost more than the query itself.
    rows = list(
        SummaryRefresh.objects.raw(
            f"SELECT * FROM {table} WHERE id IN (({latest}), ({latest}))",  # noqa: S608
            [SummaryRefresh.Kind.FULL, SummaryRefresh.Kind.INCREMENTAL],
        )
    )
    full = next((r for r in rows if r.kind == SummaryRefresh.Kind.FULL), None)
    incremental = next((r for r in rows if r.kind == SummaryRefresh.Kind.INCREMENTAL), None)
    version = "-".join(
        f"{r.pk}.{r.finished_at.timestamp():.6f}" if r else "0" for r in (full, incremental)
    )
    if full and incremental and incremental.finished_at < full.finished_at:
        incremental = None
    return Freshness(full, incremental, version)
