"""Compliance reports: the dashboard, units and people behind each figure, and their exports.

Every URL admits any signed-in user at the door and then asks `report_scope_for`, which gives
city officers the city, a district or city-department officer their own jurisdiction, and
everyone else (or another jurisdiction) a 404: the reports' existence is not disclosed.
"""

from __future__ import annotations

from decimal import InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.access import PortalRequest, allow_all_roles
from apps.people.models import Industry, Jurisdiction, Person
from apps.reports.forms import ReportQueryForm
from apps.reports.selectors import (
    Figures,
    ReportScope,
    dashboard_for,
    freshness,
    people_page,
    people_rows_for_export,
    report_scope_for,
    title_level_label,
    unit_get_in_scope,
    units_page,
)
from hefei_cpe.xlsx import CONTENT_TYPE, xlsx_stream


def _query(request: PortalRequest) -> tuple[ReportQueryForm, ReportScope]:
    form = ReportQueryForm(request.GET)
    valid = form.is_valid()
    jurisdiction = form.cleaned_data.get("jurisdiction") if valid else None
    # The scope is decided before anything is shown, even for a malformed query.
    scope = report_scope_for(user=request.user, jurisdiction_id=jurisdiction)
    if valid and form.cleaned_data.get("unit"):
        unit_get_in_scope(scope=scope, pk=form.cleaned_data["unit"])  # 404 outside the scope
    return form, scope


def _context(request: PortalRequest, form: ReportQueryForm, scope: ReportScope) -> dict[str, Any]:
    params = {k: v for k, v in request.GET.items() if k != "after" and v}
    unit = None
    if form.is_valid() and form.cleaned_data.get("unit"):
        unit = unit_get_in_scope(scope=scope, pk=form.cleaned_data["unit"])
    return {
        "form": form,
        "scope": scope,
        "unit": unit,
        "freshness": freshness(),
        "params": params,
        "query": urlencode(params),
        "jurisdictions": Jurisdiction.objects.all() if scope.may_choose_jurisdiction else [],
        "industries": Industry.objects.all(),
        "title_levels": Person.TitleLevel.choices,
        # Reversed once per page, not once per cell.
        "people_url": reverse("reports:people"),
        "dashboard_url": reverse("reports:dashboard"),
    }


def _scope_link(scope: ReportScope) -> dict[str, Any]:
    if scope.jurisdiction is not None and scope.may_choose_jurisdiction:
        return {"jurisdiction": scope.jurisdiction.pk}
    return {}


def _with_links(rows: list[Figures], scope: ReportScope) -> list[Figures]:
    for row in rows:
        link = {**_scope_link(scope), **row.link}
        row.link = {"query": urlencode(link)}
    return rows


@allow_all_roles
def dashboard(request: PortalRequest) -> HttpResponse:
    form, scope = _query(request)
    context = _context(request, form, scope)
    if not form.is_valid():
        return render(request, "reports/dashboard.html", context, status=400)
    data = dashboard_for(
        scope=scope,
        year=form.cleaned_data["year"],
        years=form.years,
        filters=form.group_filter(),
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
    context.update(
        data=data,
        chart={
            "bars": [
                {"name": f.label, "share": float(f.share or 0)}
                for f in (data.by_jurisdiction if scope.is_city else data.by_industry)
            ],
            "bars_title": _("Share compliant by jurisdiction")
            if scope.is_city
            else _("Share compliant by industry"),
            "trend": [
                {"year": f.key, "share": float(f.share or 0), "people": f.people}
                for f in data.trend
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
        },
    )
    return render(request, "reports/dashboard.html", context)


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
    return [
        first,
        _("People"),
        _("Compliant"),
        _("Short"),
        _("Share compliant (%)"),
        _("Average public hours"),
        _("Average professional hours"),
        _("Made up the year before"),
        _("No hours at all"),
    ]


@allow_all_roles
def export_table(request: PortalRequest, table: str) -> HttpResponseBase:
    if table not in EXPORTS:
        raise Http404
    form, scope = _query(request)
    if not form.is_valid():
        context = _context(request, form, scope)
        return render(request, "reports/dashboard.html", context, status=400)
    year = form.cleaned_data["year"]
    where = scope.jurisdiction.name if scope.jurisdiction else _("Hefei")
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
    out = xlsx_stream(title=table, headings=headings, rows=rows, caption=caption, widths=widths)
    name = f"compliance-{table}-{year}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        out,
        as_attachment=True,
        filename=name,
        content_type=CONTENT_TYPE,
    )


def _computed_at() -> str:
    fresh = freshness()
    run = fresh.incremental or fresh.full
    if run is None:
        return _("never")
    return timezone.localtime(run.finished_at).strftime("%Y-%m-%d %H:%M")
