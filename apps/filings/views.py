from __future__ import annotations

from django.conf import settings
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

from apps.accounts.access import PortalRequest, allow
from apps.accounts.models import Role
from apps.bases.selectors import organiser_of
from apps.filings.forms import PlanForm, ReturnForm
from apps.filings.models import Plan, RosterUpload
from apps.filings.roster import SCHEMA
from apps.filings.selectors import (
    plan_get_for_user,
    plans_visible_to,
    plans_with_roster_counts,
    roster_rows,
    units_awaiting_placement,
    upload_get_for_user,
)
from apps.filings.services import (
    RosterCheck,
    earliest_start,
    plan_acknowledge,
    plan_file,
    plan_return,
    plan_withdraw,
    roster_check,
    roster_confirm,
    roster_export,
    roster_refusal,
    upload_lines,
)
from apps.filings.tasks import ROSTER_CONFIRM_KIND
from apps.jobs.services import job_submit_once
from apps.people import idnumber
from hefei_cpe.downloads import content_disposition
from hefei_cpe.history import history_entries
from hefei_cpe.sheets import UnreadableFile, megabytes, read_bounded
from hefei_cpe.uploads import RowProblem, confirm_in_background
from hefei_cpe.xlsx import CONTENT_TYPE

PAGE_SIZE = 50
PREVIEW_ROWS = 200
XLSX = CONTENT_TYPE


@allow(Role.ORGANISER_STAFF)
def plan_list(request: PortalRequest) -> HttpResponse:
    """The organiser's own plans and where each stands."""
    plans = plans_with_roster_counts(plans=plans_visible_to(user=request.user))
    page = Paginator(plans.order_by("-start_date", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "filings/plan_list.html",
        {
            "page": page,
            "organiser": organiser_of(user=request.user),
            "earliest": earliest_start(),
        },
    )


@allow(Role.CITY_OFFICER)
def plan_queue(request: PortalRequest) -> HttpResponse:
    """The city's view of every organiser's plans, filed ones awaiting acknowledgment first."""
    status = request.GET.get("status", Plan.Status.FILED)
    plans = plans_with_roster_counts(plans=plans_visible_to(user=request.user))
    if status in Plan.Status.values:
        plans = plans.filter(status=status)
    page = Paginator(plans.order_by("start_date", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "filings/plan_queue.html",
        {
            "page": page,
            "status": status,
            "statuses": Plan.Status.choices,
            "unplaced_units": list(units_awaiting_placement()[:50]),
        },
    )


@allow(Role.ORGANISER_STAFF)
def plan_new(request: PortalRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, organiser=organiser_of(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_file(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if plan.status == Plan.Status.REFUSED:
                form.add_error("start_date", plan.refusal_reason)
                messages.error(
                    request, _("The plan was refused; it is kept in your list as refused.")
                )
            else:
                messages.success(
                    request,
                    _("The plan “%(title)s” is filed; the city will acknowledge it.")
                    % {"title": plan.title},
                )
                return redirect("filings:plan_detail", pk=plan.pk)
    return render(request, "filings/plan_form.html", {"form": form})


@allow(Role.ORGANISER_STAFF, Role.CITY_OFFICER)
def plan_detail(request: PortalRequest, pk: int) -> HttpResponse:
    plan = plan_get_for_user(user=request.user, pk=pk)
    rows = roster_rows(plan=plan)
    roster_total = rows.count()
    uploads = plan.uploads.select_related("uploaded_by").order_by("-uploaded_at", "-id")[:20]
    return render(
        request,
        "filings/plan_detail.html",
        {
            "plan": plan,
            "rows": rows[:PREVIEW_ROWS],
            "roster_total": roster_total,
            "roster_hidden": max(roster_total - PREVIEW_ROWS, 0),
            "uploads": uploads,
            "roster_refusal": roster_refusal(plan=plan),
            "return_form": ReturnForm(),
        },
    )


@allow(Role.ORGANISER_STAFF, Role.CITY_OFFICER)
def plan_history(request: PortalRequest, pk: int) -> HttpResponse:
    """修改记录 of a plan: filing, acknowledgement or return, withdrawal; who and when."""
    plan = plan_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "history.html",
        {
            "subject": plan.title,
            "back_url": reverse("filings:plan_detail", args=[plan.pk]),
            "entries": history_entries(plan),
        },
    )


@allow(Role.ORGANISER_STAFF)
@require_POST
def plan_withdraw_view(request: PortalRequest, pk: int) -> HttpResponse:
    plan = plan_get_for_user(user=request.user, pk=pk)
    try:
        plan_withdraw(plan=plan, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The plan is withdrawn."))
    return redirect("filings:plan_detail", pk=plan.pk)


@allow(Role.CITY_OFFICER)
@require_POST
def plan_acknowledge_view(request: PortalRequest, pk: int) -> HttpResponse:
    plan = plan_get_for_user(user=request.user, pk=pk)
    try:
        plan_acknowledge(plan=plan, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The plan is acknowledged."))
    return redirect("filings:plan_detail", pk=plan.pk)


@allow(Role.CITY_OFFICER)
@require_POST
def plan_return_view(request: PortalRequest, pk: int) -> HttpResponse:
    plan = plan_get_for_user(user=request.user, pk=pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the plan is returned."))
        return redirect("filings:plan_detail", pk=plan.pk)
    try:
        plan_return(plan=plan, user=request.user, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The plan is returned to the organiser."))
    return redirect("filings:plan_detail", pk=plan.pk)


@allow(Role.ORGANISER_STAFF)
def roster_upload(request: PortalRequest, pk: int) -> HttpResponse:
    """Upload the Attachment 2 form: checked whole; with problems nothing is kept."""
    plan = plan_get_for_user(user=request.user, pk=pk)
    check: RosterCheck | None = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose the roster file to upload."))
            return redirect("filings:roster_upload", pk=plan.pk)
        try:
            data = read_bounded(upload, SCHEMA.limits())
        except UnreadableFile as exc:
            check = RosterCheck(problems=[RowProblem(0, "", exc.message)])
        else:
            check = roster_check(
                plan=plan, user=request.user, data=data, filename=upload.name or ""
            )
            if check.upload is not None:
                return redirect("filings:roster_preview", pk=check.upload.pk)
    return render(
        request,
        "filings/roster_upload.html",
        {
            "plan": plan,
            "check": check,
            "problems": check.problems[:1000] if check else [],
            "problems_hidden": max(len(check.problems) - 1000, 0) if check else 0,
            "refusal": roster_refusal(plan=plan),
            "max_rows": settings.FILINGS_ROSTER_MAX_ROWS,
            "max_mb": megabytes(settings.FILINGS_ROSTER_MAX_BYTES),
        },
    )


@allow(Role.ORGANISER_STAFF)
def roster_preview(request: PortalRequest, pk: int) -> HttpResponse:
    upload = upload_get_for_user(user=request.user, pk=pk)
    lines = upload_lines(upload=upload)
    shown = [
        {
            "row": line.row,
            "name": line.name,
            "unit": line.unit,
            "id_masked": idnumber.mask(line.id_number),
            "title": line.title,
            "hours": line.hours,
            "result": line.result,
            "passed": line.passed,
            "remark": line.remark,
        }
        for line in lines[:PREVIEW_ROWS]
    ]
    return render(
        request,
        "filings/roster_preview.html",
        {
            "upload": upload,
            "plan": upload.plan,
            "lines": shown,
            "hidden": max(len(lines) - PREVIEW_ROWS, 0),
            "summary": upload.summary,
            "awaiting": upload.status == RosterUpload.Status.CHECKED,
        },
    )


@allow(Role.ORGANISER_STAFF)
@require_POST
def roster_confirm_view(request: PortalRequest, pk: int) -> HttpResponse:
    upload = upload_get_for_user(user=request.user, pk=pk)
    if confirm_in_background(upload.row_count):
        return _roster_confirm_by_job(request, upload)
    try:
        result = roster_confirm(upload=upload, user=request.user)
    except ValidationError as exc:
        for message in exc.messages[:20]:
            messages.error(request, message)
        return redirect("filings:roster_preview", pk=upload.pk)
    messages.success(
        request,
        _(
            "The roster is recorded: %(credited)d trainees credited, %(already)d already on "
            "the roster, %(people)d professionals and %(units)d units newly registered."
        )
        % {
            "credited": result.credited,
            "already": result.already,
            "people": result.created_people,
            "units": result.created_units,
        },
    )
    return redirect("filings:plan_detail", pk=upload.plan_id)


def _roster_confirm_by_job(request: PortalRequest, upload: RosterUpload) -> HttpResponse:
    """A large roster is written by a background job; the organiser watches its progress."""
    with transaction.atomic():
        upload = RosterUpload.objects.select_for_update().get(pk=upload.pk)
        if upload.status != RosterUpload.Status.CHECKED:
            messages.error(
                request,
                _("This upload is no longer awaiting confirmation; upload the file again."),
            )
            return redirect("filings:roster_preview", pk=upload.pk)
        job, new = job_submit_once(
            owner=request.user,
            kind=ROSTER_CONFIRM_KIND,
            label=_("Roster of %(plan)s: %(file)s (%(rows)d rows)")
            % {"plan": upload.plan.title, "file": upload.filename, "rows": upload.row_count},
            params={"upload": upload.pk},
            total=upload.row_count,
        )
    if not new:
        messages.info(request, _("This upload is being confirmed already."))
    return redirect("jobs:detail", pk=job.pk)


@allow(Role.ORGANISER_STAFF, Role.CITY_OFFICER)
def roster_export_view(request: PortalRequest, pk: int) -> HttpResponse:
    """The plan's roster in the Attachment 2 form (the blank form while there is none); the
    full ID numbers in it are logged."""
    plan = plan_get_for_user(user=request.user, pk=pk)
    content = roster_export(
        plan=plan, user=request.user, ip_address=request.META.get("REMOTE_ADDR")
    )
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = content_disposition(
        f"{plan.title}-培训人员名册-{stamp}.xlsx", fallback=f"roster-{plan.pk}-{stamp}.xlsx"
    )
    response["Cache-Control"] = "no-store"
    return response
