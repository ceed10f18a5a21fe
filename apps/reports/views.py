"""Compliance reports: the dashboard, units and people behind each figure, and their exports.

Every URL admits any signed-in user at the door and then asks `report_scope_for`, which gives
city officers the city, a district or city-department officer their own jurisdiction, a unit's
administrator their unit, and everyone else (or another jurisdiction or unit) a 404: the
reports' existence is not disclosed.
"""

from __future__ import annotations

from decimal import InvalidOperation
from typing import Any
from urllib.parse import quote_plus, urlencode

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from apps.accounts.access import PortalRequest, allow_all_roles
from apps.jobs.services import job_submit
from apps.people.models import Person
from apps.reports.export import (
    EXPORTS,
    export_rows_exceed,
    export_write,
    report_query,
)
from apps.reports.forms import ReportQueryForm
from apps.reports.selectors import (
    Figures,
    Freshness,
    References,
    ReportScope,
    dashboard_cache_key,
    dashboard_cached,
    freshness,
    people_page,
    references_load,
    title_level_label,
    unit_get_in_scope,
    units_page,
)
from apps.reports.summaries import report_years
from apps.reports.tasks import EXPORT_KIND
from hefei_cpe.pagecache import page_cached, page_in_frame
from hefei_cpe.xlsx import CONTENT_TYPE


def _query(request: PortalRequest) -> tuple[ReportQueryForm, ReportScope]:
    return report_query(user=request.user, data=request.GET)


def _context(
    request: PortalRequest,
    form: ReportQueryForm,
    scope: ReportScope,
    references: References | None = None,
    fresh: Freshness | None = None,
) -> dict[str, Any]:
    params = {k: v for k, v in request.GET.items() if k != "after" and v}
    unit = None
    if form.is_valid() and form.cleaned_data.get("unit"):
        unit = unit_get_in_scope(scope=scope, pk=form.cleaned_data["unit"])
    references = references or references_load()
    return {
        "form": form,
        "scope": scope,
        "unit": unit,
        "freshness": fresh or freshness(),
        "params": params,
        "query": urlencode(params),
        "references": references,
        "jurisdictions": references.jurisdictions if scope.may_choose_jurisdiction else [],
        "industries": references.industries,
        "title_levels": Person.TitleLevel.choices,
        # Reversed once per page, not once per cell.
        "people_url": reverse("reports:people"),
        "units_url": reverse("reports:units"),
        "dashboard_url": reverse("reports:dashboard"),
    }


def _scope_link(scope: ReportScope) -> dict[str, Any]:
    if scope.jurisdiction is not None and scope.may_choose_jurisdiction:
        return {"jurisdiction": scope.jurisdiction.pk}
    return {}


def _with_links(rows: list[Figures], scope: ReportScope) -> list[Figures]:
    scope_link = _scope_link(scope)
    for row in rows:
        row.link = {"query": _query_string({**scope_link, **row.link})}
    return rows


def _query_string(link: dict[str, Any]) -> str:
    """`urlencode(link)` for a link's names and values (ids, years, codes): the same string,
    without quoting the digits of the ids a dashboard has some forty links of."""
    return "&".join(
        f"{name}={value}" if type(value) is int else f"{name}={quote_plus(str(value))}"
        for name, value in link.items()
    )


def _scope_name(scope: ReportScope) -> str:
    if scope.unit is not None:
        return scope.unit.name
    return scope.jurisdiction.name if scope.jurisdiction is not None else ""


@allow_all_roles
def dashboard(request: PortalRequest) -> HttpResponse:
    """The compliance dashboard of the user's scope. The whole page is kept in the cache
    (hefei_cpe.pagecache) under the figures' key (the summaries' version among it) and the
    names of jurisdictions and industries: between two refreshes a repeat visit renders
    nothing. Its frame (header, menu, heading, filter form) is kept under everything it shows
    but the version: the first visit after a refresh renders the figures only
    (`reports/_dashboard_figures.html`)."""
    form, scope = _query(request)
    references = references_load()
    fresh = freshness()
    if not form.is_valid():
        return _dashboard_invalid(request, form, scope, references, fresh)
    key = dashboard_cache_key(
        scope=scope,
        year=form.cleaned_data["year"],
        years=form.years,
        filters=form.group_filter(),
        version=fresh.version,
    )
    frame_key = [
        "reports:dashboard",
        scope.may_choose_jurisdiction,
        dashboard_cache_key(  # the figures' key without their version
            scope=scope,
            year=form.cleaned_data["year"],
            years=form.years,
            filters=form.group_filter(),
            version="frame",
        ),
        _scope_name(scope),
        sorted(form.cleaned_data.items()),
        report_years(),  # the years the filter form offers
        references.jurisdictions,
        references.industries,
    ]
    context = _context(request, form, scope, references, fresh)
    context["year"] = form.cleaned_data["year"]
    return page_cached(
        request,
        [key, references.jurisdictions, references.industries],
        lambda: page_in_frame(
            request,
            frame_key,
            lambda inside: render(request, "reports/dashboard.html", {**context, "inside": inside}),
            lambda: _dashboard_figures(form, scope, references, fresh, context),
        ),
    )


def _dashboard_invalid(
    request: PortalRequest,
    form: ReportQueryForm,
    scope: ReportScope,
    references: References | None = None,
    fresh: Freshness | None = None,
) -> HttpResponse:
    """The dashboard of a query that names nothing: the form with its errors, no figures."""
    context = _context(request, form, scope, references, fresh)
    context["inside"] = mark_safe(  # noqa: S308 (a rendered template)
        render_to_string("reports/_dashboard_figures.html", context)
    )
    return render(request, "reports/dashboard.html", context, status=400)


def _dashboard_figures(
    form: ReportQueryForm,
    scope: ReportScope,
    references: References,
    fresh: Freshness,
    context: dict[str, Any],
) -> str:
    """The part of the dashboard that changes with the figures: when they were computed, the
    key figures, the charts' data and the tables. Shows nothing of the request."""
    data = dashboard_cached(
        scope=scope,
        year=form.cleaned_data["year"],
        years=form.years,
        filters=form.group_filter(),
        references=references,
        version=fresh.version,
    )
    for rows in (
        data.by_jurisdiction,
        data.by_industry,
        data.by_title_level,
        data.trend,
        data.worst_units,
        [data.total, data.out_of_scope],
    ):
        _with_links(rows, scope)
    chart = {
        "bars": [
            {"name": f.label, "share": float(f.share or 0)}
            for f in (
                data.by_jurisdiction
                if scope.city_wide
                else data.by_title_level
                if scope.unit_only
                else data.by_industry
            )
        ],
        "bars_title": _("Share compliant by jurisdiction")
        if scope.city_wide
        else _("Share compliant by title level")
        if scope.unit_only
        else _("Share compliant by industry"),
        "trend": [
            {"year": f.key, "share": float(f.share or 0), "people": f.people} for f in data.trend
        ],
        "split": {
            "public_only": data.total.short_public - data.total.short_both,
            "professional_only": data.total.short_professional - data.total.short_both,
            "both": data.total.short_both,
            "labels": [_("Public hours only"), _("Professional hours only"), _("Both")],
        },
        "labels": {
            "share": _("Share compliant (%)"),
            "trend": _("Share compliant over the years"),
            "split": _("Who is short of what"),
        },
    }
    return render_to_string(
        "reports/_dashboard_figures.html", {**context, "data": data, "chart": chart}
    )


def _page_after(form: ReportQueryForm) -> str | None:
    return form.cleaned_data.get("after") or None


@allow_all_roles
def units(request: PortalRequest) -> HttpResponse:
    form, scope = _query(request)
    context = _context(request, form, scope)
    if not form.is_valid():
        return render(request, "reports/units.html", context, status=400)
    try:
        page = units_page(
            scope=scope,
            year=form.cleaned_data["year"],
            filters=form.group_filter(),
            size=settings.REPORTS_PAGE_SIZE,
            after=_page_after(form),
        )
    except ValueError:
        return _bad_page(request, "reports/units.html", context)
    _with_links(page.rows, scope)
    context.update(page=page, year=form.cleaned_data["year"])
    return render(request, "reports/units.html", context)


def _bad_page(request: PortalRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context["form"].add_error(
        "after", _("This page position is not valid; start from the first page.")
    )
    return render(request, template, context, status=400)


@allow_all_roles
def people(request: PortalRequest) -> HttpResponse:
    form, scope = _query(request)
    context = _context(request, form, scope)
    if not form.is_valid():
        return render(request, "reports/people.html", context, status=400)
    filters = form.people_filter()
    try:
        page = people_page(
            scope=scope, filters=filters, size=settings.REPORTS_PAGE_SIZE, after=_page_after(form)
        )
    except (ValueError, InvalidOperation):
        return _bad_page(request, "reports/people.html", context)
    detail = reverse("people:detail", kwargs={"pk": 999999999})
    for row in page.rows:
        row.title_level_label = title_level_label(row.title_level)
        row.detail_url = detail.replace("999999999", str(row.person_id))
    context.update(page=page, filters=filters, year=filters.year)
    return render(request, "reports/people.html", context)


@allow_all_roles
def export_table(request: PortalRequest, table: str) -> HttpResponseBase:
    if table not in EXPORTS:
        raise Http404
    form, scope = _query(request)
    if not form.is_valid():
        return _dashboard_invalid(request, form, scope)
    limit = settings.REPORTS_EXPORT_JOB_ROWS
    if export_rows_exceed(form=form, scope=scope, table=table, limit=limit):
        params = {k: v for k, v in request.GET.items() if k != "after" and v}
        with transaction.atomic():
            job = job_submit(
                owner=request.user,
                kind=EXPORT_KIND,
                label=_("Compliance export (%(year)s), more than %(n)d rows")
                % {"year": form.cleaned_data["year"], "n": limit},
                params={"table": table, "query": params},
            )
        return redirect("jobs:detail", pk=job.pk)
    out, name = export_write(form=form, scope=scope, table=table)
    return FileResponse(out, as_attachment=True, filename=name, content_type=CONTENT_TYPE)
