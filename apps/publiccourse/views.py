from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.access import OFFICERS, PortalRequest, allow
from apps.accounts.models import Role
from apps.credits.ledger import entry_value
from apps.jobs.services import job_submit_once
from apps.publiccourse.forms import ResultsImportForm, TopicForm
from apps.publiccourse.importing import import_template
from apps.publiccourse.models import ImportBatch
from apps.publiccourse.selectors import (
    batch_get_for_user,
    batch_planned_rows,
    batch_results,
    batches_visible_to,
    planned_results,
    topic_get_for_user,
    topic_years,
    topics_of_year,
)
from apps.publiccourse.services import (
    batch_cancel,
    batch_confirm,
    batch_warnings,
    results_preview,
    topic_create,
    topic_update,
)
from apps.publiccourse.tasks import BATCH_CONFIRM_KIND
from hefei_cpe.downloads import content_disposition
from hefei_cpe.uploads import confirm_in_background

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year_param(request: PortalRequest, years: list[int]) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[0] if years else timezone.localdate().year


def _hours_per_pass(year: int) -> object:
    return entry_value(kind="public_course", year=year, params={"topic": "-"}).hours


@allow(*OFFICERS)
def topic_list(request: PortalRequest) -> HttpResponse:
    years = topic_years(user=request.user)
    year = _year_param(request, years)
    return render(
        request,
        "publiccourse/topic_list.html",
        {
            "years": years,
            "year": year,
            "topics": topics_of_year(user=request.user, year=year),
            "hours_per_pass": _hours_per_pass(year),
        },
    )


def _topics_url(year: int) -> str:
    return f"{reverse('publiccourse:topics')}?year={year}"


@allow(Role.CITY_OFFICER)
def topic_create_view(request: PortalRequest) -> HttpResponse:
    initial_year = request.GET.get("year", "")
    form = TopicForm(
        request.POST or None,
        initial={"year": int(initial_year) if initial_year.isdigit() else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            topic = topic_create(
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
                sort_order=form.cleaned_data.get("sort_order"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The topic %(topic)s is added.") % {"topic": topic})
            return redirect(_topics_url(topic.year))
    return render(request, "publiccourse/topic_form.html", {"form": form, "topic": None})


@allow(Role.CITY_OFFICER)
def topic_edit(request: PortalRequest, pk: int) -> HttpResponse:
    topic = topic_get_for_user(user=request.user, pk=pk)
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        try:
            topic = topic_update(
                topic=topic,
                title=form.cleaned_data["title"],
                sort_order=form.cleaned_data["sort_order"],
                is_active=form.cleaned_data["is_active"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The topic %(topic)s is saved.") % {"topic": topic})
            return redirect(_topics_url(topic.year))
    return render(request, "publiccourse/topic_form.html", {"form": form, "topic": topic})


@allow(Role.CITY_OFFICER)
def results_import_view(request: PortalRequest) -> HttpResponse:
    """Upload → the whole file is checked → a preview to confirm (see batch_detail)."""
    years = topic_years(user=request.user)
    check = None
    if request.method == "POST":
        form = ResultsImportForm(request.POST, request.FILES, years=years)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            check, batch = results_preview(
                officer=request.user,
                year=form.cleaned_data["year"],
                file=upload,
                filename=upload.name or "",
                skip_unknown=form.cleaned_data["skip_unknown"],
            )
            if batch is not None:
                return redirect("publiccourse:batch", pk=batch.pk)
    else:
        form = ResultsImportForm(initial={"year": _year_param(request, years)}, years=years)
    return render(request, "publiccourse/import.html", {"form": form, "check": check})


@allow(Role.CITY_OFFICER)
def results_import_template(request: PortalRequest) -> HttpResponse:
    years = topic_years(user=request.user)
    year = _year_param(request, years)
    topics = list(topics_of_year(user=request.user, year=year).filter(is_active=True))
    response = HttpResponse(import_template(year=year, topics=topics), content_type=XLSX)
    response["Content-Disposition"] = content_disposition(
        f"{year}年度公需课考试成绩导入模板.xlsx",
        fallback=f"public-course-results-{year}-template.xlsx",
    )
    return response


@allow(Role.CITY_OFFICER)
def batch_list(request: PortalRequest) -> HttpResponse:
    batches = batches_visible_to(user=request.user).order_by("-uploaded_at", "-id")
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "publiccourse/batch_list.html", {"page": page})


@allow(Role.CITY_OFFICER)
def batch_detail(request: PortalRequest, pk: int) -> HttpResponse:
    batch = batch_get_for_user(user=request.user, pk=pk)
    page: Any
    if batch.is_pending:
        # The preview names each row (masked ID number), not only the counts.
        rows = batch_planned_rows(batch=batch)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = planned_results(list(page.object_list))
    else:
        page = Paginator(batch_results(batch=batch), PAGE_SIZE).get_page(request.GET.get("page"))
    hours = _hours_per_pass(batch.year)
    return render(
        request,
        "publiccourse/batch_detail.html",
        {
            "batch": batch,
            "warnings": batch_warnings(batch),
            "page": page,
            "hours_per_pass": hours,
            "hours_total": hours * batch.passes_credited,  # type: ignore[operator]
        },
    )


@allow(Role.CITY_OFFICER)
@require_POST
def batch_confirm_view(request: PortalRequest, pk: int) -> HttpResponse:
    batch = batch_get_for_user(user=request.user, pk=pk)
    if confirm_in_background(batch.rows):
        return _batch_confirm_by_job(request, batch)
    try:
        batch = batch_confirm(batch=batch, officer=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        still = batches_visible_to(user=request.user).filter(pk=pk).first()
        if still is None or still.is_pending:
            return redirect("publiccourse:import")
        return redirect("publiccourse:batch", pk=pk)
    messages.success(
        request,
        _("Imported: %(credited)d passes credited, %(known)d already credited.")
        % {"credited": batch.passes_credited, "known": batch.passes_known},
    )
    return redirect("publiccourse:batch", pk=batch.pk)


def _batch_confirm_by_job(request: PortalRequest, batch: ImportBatch) -> HttpResponse:
    """A large results file is written by a background job; the officer watches its
    progress."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not batch.is_pending:
            messages.error(request, _("This file has been imported already."))
            return redirect("publiccourse:batch", pk=batch.pk)
        job, new = job_submit_once(
            owner=request.user,
            kind=BATCH_CONFIRM_KIND,
            label=_("Public course results %(year)d: %(file)s (%(rows)d rows)")
            % {"year": batch.year, "file": batch.file_name, "rows": batch.rows},
            params={"batch": batch.pk},
            total=batch.rows,
        )
    if not new:
        messages.info(request, _("This upload is being confirmed already."))
    return redirect("jobs:detail", pk=job.pk)


@allow(Role.CITY_OFFICER)
@require_POST
def batch_cancel_view(request: PortalRequest, pk: int) -> HttpResponse:
    batch = batch_get_for_user(user=request.user, pk=pk)
    if batch.is_pending:
        batch_cancel(batch=batch)
        messages.success(request, _("The preview is discarded; nothing was imported."))
        return redirect("publiccourse:import")
    return redirect("publiccourse:batch", pk=pk)
