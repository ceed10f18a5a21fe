"""The reports' exports: every dashboard table and drill-down as one .xlsx sheet, written by
the portal's one writer (`hefei_cpe.xlsx.xlsx_stream`: streamed, flat in memory).

Small exports are streamed in the request. A people list longer than
REPORTS_EXPORT_JOB_ROWS rows is built by a background job instead (`apps/reports/tasks.py`,
with progress on the job's page), from the same query and the owner's scope looked up again
when the job runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO, Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.reports.forms import ReportQueryForm
from apps.reports.selectors import (
    FIGURE_COLUMNS,
    Figures,
    ReportScope,
    dashboard_for,
    freshness,
    people_facts,
    people_rows_for_export,
    report_scope_for,
    title_level_label,
    unit_get_in_scope,
    units_page,
)
from hefei_cpe.xlsx import xlsx_stream


def report_query(*, user: User, data: QueryDict) -> tuple[ReportQueryForm, ReportScope]:
    """The query form bound to `data` and the scope `user` may see (404 outside it)."""
    form = ReportQueryForm(data)
    valid = form.is_valid()
    jurisdiction = form.cleaned_data.get("jurisdiction") if valid else None
    # The scope is decided before anything is shown, even for a malformed query.
    scope = report_scope_for(user=user, jurisdiction_id=jurisdiction)
    if valid and form.cleaned_data.get("unit"):
        unit_get_in_scope(scope=scope, pk=form.cleaned_data["unit"])  # 404 outside the scope
    return form, scope


EXPORTS = ("jurisdictions", "industries", "title-levels", "trend", "units", "people")


def _figure_rows(rows: list[Figures]) -> list[list[Any]]:
    return [
        [
            f.label,
            f.people,
            f.compliant,
            f.short,
            f.share,
            f.average_public,
            f.average_professional,
            f.made_up_previous,
            f.no_hours,
        ]
        for f in rows
    ]


def _figure_headings(first: str) -> list[str]:
    return [first, *(str(column) for column in FIGURE_COLUMNS), _("No hours at all")]


def _computed_at() -> str:
    fresh = freshness()
    run = fresh.incremental or fresh.full
    if run is None:
        return _("never")
    return timezone.localtime(run.finished_at).strftime("%Y-%m-%d %H:%M")


def export_rows_exceed(
    *, form: ReportQueryForm, scope: ReportScope, table: str, limit: int
) -> bool:
    """Whether the export has more than `limit` rows; only a people list can. Counts at most
    limit + 1 rows of the drill-down's index, never the whole list."""
    if table != "people":
        return False
    facts = people_facts(scope=scope, filters=form.people_filter()).order_by()
    return facts.values("pk")[: limit + 1].count() > limit


def export_rows_total(*, form: ReportQueryForm, scope: ReportScope, table: str) -> int:
    """The rows of a people list (one COUNT: for background jobs, not for requests)."""
    if table != "people":
        return 0
    return people_facts(scope=scope, filters=form.people_filter()).count()


def _counted(rows: Iterable[Any], progress: Callable[[int], None] | None) -> Iterator[Any]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if progress is not None and done % 1000 == 0:
            progress(done)
    if progress is not None:
        progress(done)


def export_write(
    *,
    form: ReportQueryForm,
    scope: ReportScope,
    table: str,
    target: IO[bytes] | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[IO[bytes], str]:
    """Writes the export of a valid query; returns the file (at its start) and its name.
    `progress(rows written)` is called every thousand rows and at the end."""
    year = form.cleaned_data["year"]
    where = (
        scope.unit.name
        if scope.unit
        else scope.jurisdiction.name
        if scope.jurisdiction
        else _("Hefei")
    )
    caption = _("%(where)s, %(year)s; figures computed %(when)s") % {
        "where": where,
        "year": year,
        "when": _computed_at(),
    }
    if table == "people":
        filters = form.people_filter()
        headings = [
            _("Name"),
            _("Resident ID number"),
            _("Unit"),
            _("Jurisdiction"),
            _("Industry"),
            _("Title level"),
            _("Public hours"),
            _("Professional hours"),
            _("Total hours"),
            _("Public shortfall"),
            _("Professional shortfall"),
            _("Compliant"),
            _("Made up the year before"),
        ]
        rows: Any = (
            (*row[:5], title_level_label(row[5]), *row[6:])
            for row in people_rows_for_export(scope=scope, filters=filters)
        )
        widths: tuple[int, ...] = (12, 20, 36, 14, 12, 10, 10, 10, 10, 10, 10, 8, 10)
    elif table == "units":
        page = units_page(
            scope=scope, year=year, filters=form.group_filter(), size=10**7, after=None
        )
        headings, rows, widths = _figure_headings(_("Unit")), _figure_rows(page.rows), (40,)
    else:
        data = dashboard_for(scope=scope, year=year, years=form.years, filters=form.group_filter())
        first, figures = {
            "jurisdictions": (_("Jurisdiction"), data.by_jurisdiction),
            "industries": (_("Industry"), data.by_industry),
            "title-levels": (_("Title level"), data.by_title_level),
            "trend": (_("Year"), data.trend),
        }[table]
        rows = _figure_rows(figures)
        if table == "jurisdictions":
            rows.append([_("Total (in scope)"), *_figure_rows([data.total])[0][1:]])
            rows.append(
                [
                    _("Provincial and ministerial units (not in the rates)"),
                    *_figure_rows([data.out_of_scope])[0][1:],
                ]
            )
        headings, widths = _figure_headings(first), (30,)
    out = xlsx_stream(
        title=table,
        headings=headings,
        rows=_counted(rows, progress),
        caption=caption,
        widths=widths,
        target=target,
    )
    return out, f"compliance-{table}-{year}-{timezone.localdate():%Y%m%d}.xlsx"


def export_query(params: Mapping[str, str]) -> QueryDict:
    data = QueryDict(mutable=True)
    data.update(params)
    return data
