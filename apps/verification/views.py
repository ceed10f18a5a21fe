from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.access import OFFICERS, PortalRequest, allow, public
from apps.accounts.models import Role, User
from apps.accounts.scope import Scope
from apps.jobs.services import job_submit
from apps.people.models import Person
from apps.people.selectors import people_visible_to, person_get_for_user
from apps.verification.backfill import backfill_scan, booklet_backfill
from apps.verification.forms import (
    BackfillForm,
    CheckForm,
    CycleSettingForm,
    OpinionForm,
    ReasonForm,
    TitleYearForm,
    VerificationForm,
)
from apps.verification.models import CycleSetting, Verification
from apps.verification.permissions import may_check_unlimited
from apps.verification.selectors import (
    backfill_get_for_user,
    backfills_of,
    refusals_of,
    related_verifications,
    review_queue,
    verification_by_code,
    verification_get_for_user,
    verifications_in_booklet,
    verifications_visible_to,
)
from apps.verification.services import (
    cycle_cap,
    cycle_explanation,
    cycle_setting_change,
    derived_cycle_check,
    person_verifiable,
    site_url,
    standing_verification,
    title_year_correct,
    verification_confirm,
    verification_issue,
    verification_return,
    verification_revoke,
)
from apps.verification.tasks import ZIP_KIND
from hefei_cpe import pdf
from hefei_cpe.downloads import content_disposition
from hefei_cpe.ratelimit import client_address, rate_limit_hit

logger = logging.getLogger(__name__)

PAGE_SIZE = 50


def _filtered(request: PortalRequest) -> tuple[QuerySet[Verification], dict[str, str]]:
    return _filtered_by(request.user, request.GET)


def _filtered_by(user: User, data: QueryDict) -> tuple[QuerySet[Verification], dict[str, str]]:
    verifications = verifications_visible_to(user=user)
    filters = {k: data.get(k, "").strip() for k in ("status", "year", "q", "person")}
    if filters["status"] in Verification.Status.values:
        verifications = verifications.filter(status=filters["status"])
    if filters["year"].isdigit():
        verifications = verifications.filter(application_year=int(filters["year"]))
    if filters["person"].isdigit():
        verifications = verifications.filter(person_id=int(filters["person"]))
    if filters["q"]:
        verifications = verifications.filter(person_name__icontains=filters["q"])
    return verifications, filters


@allow(*OFFICERS)
def verification_list(request: PortalRequest) -> HttpResponse:
    verifications, filters = _filtered(request)
    page = Paginator(verifications.order_by("-issued_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "verification/list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": Verification.Status.choices,
            "total": verifications.filter(code__isnull=False).count(),
        },
    )


def _form_errors(form: Any) -> str:
    """Every error of a form in one message, each naming its field."""
    return "；".join(
        f"{form.fields[f].label}：{e}" if f in form.fields else str(e)
        for f, errs in form.errors.items()
        for e in errs
    )


def _posted_cycle(data: Any) -> tuple[int | None, int | None] | None:
    """A cycle a client sent anyway (the form has no such fields): passed on to be refused."""
    values = [data.get(k, "").strip() for k in ("cycle_start", "cycle_end")]
    if not any(values):
        return None
    return tuple(int(v) if v.lstrip("-").isdigit() else -1 for v in values)  # type: ignore[return-value]


def _issue_errors(exc: ValidationError, *, form: Any, opinion_form: OpinionForm) -> None:
    """The service's refusal on the forms: the opinion's problem beside the opinion, the rest
    above the application."""
    errors = dict(exc.error_dict) if hasattr(exc, "error_dict") else {}
    if "opinion" in errors:
        opinion_form.add_error("opinion", errors.pop("opinion"))
        if errors:
            form.add_error(None, ValidationError(errors))
        return
    form.add_error(None, exc)


@allow(Role.DISTRICT_OFFICER)
def verification_start(request: PortalRequest, person_pk: int) -> HttpResponse:
    """Choose year and title; see the derived cycle and the engine's verdict; issue it or
    record the refusal. The cycle is derived from the title year, never typed."""
    person = person_get_for_user(user=request.user, pk=person_pk)
    out_of_scope = None
    try:
        person_verifiable(person=person)
    except ValidationError as exc:
        out_of_scope = exc.messages[0]
    # The officer's opinion is written with the issue or the refusal, not for the evaluation.
    opinion_form = OpinionForm(
        request.POST if request.method == "POST" else None, auto_id="opinion_%s"
    )
    if request.method == "POST":
        form = VerificationForm(request.POST)
    elif "application_year" in request.GET:
        form = VerificationForm(request.GET)
    else:
        form = VerificationForm(initial=VerificationForm.initial_for(person))
    check = None
    standing = None
    cycle_problem = None
    if form.is_bound and form.is_valid() and out_of_scope is None:
        data = form.cleaned_data
        standing = standing_verification(person=person, application_year=data["application_year"])
        if request.method == "POST" and opinion_form.is_valid():
            try:
                verification = verification_issue(
                    officer=request.user,
                    person=person,
                    application_year=data["application_year"],
                    title_applied=data["title_applied"],
                    title_level=data["title_level"],
                    opinion=opinion_form.cleaned_data["opinion"],
                    base_url=site_url(request),
                    cycle_posted=_posted_cycle(request.POST),
                )
            except ValidationError as exc:
                _issue_errors(exc, form=form, opinion_form=opinion_form)
            else:
                if verification.status == Verification.Status.REFUSED:
                    messages.error(
                        request, _("The verification is refused; the reasons are recorded.")
                    )
                elif verification.needs_review:
                    messages.success(
                        request,
                        _("The verification is issued and sent to the city for re-review."),
                    )
                else:
                    messages.success(request, _("The verification is issued."))
                return redirect("verification:detail", pk=verification.pk)
    if form.is_bound and not form.errors and out_of_scope is None:
        data = form.cleaned_data
        try:
            check = derived_cycle_check(
                person=person,
                application_year=data["application_year"],
                title_level=data["title_level"],
            )
        except ValidationError as exc:
            cycle_problem = exc.messages[0]
    return render(
        request,
        "verification/start.html",
        {
            "person": person,
            "form": form,
            "opinion_form": opinion_form,
            "check": check,
            "cycle_problem": cycle_problem,
            "out_of_scope": out_of_scope,
            "standing": standing,
            "earlier": person.verifications.order_by("-issued_at", "-id")[:10],
            "title_year_form": TitleYearForm(
                initial={"year": person.title_year}, auto_id="title_year_%s"
            ),
            "title_year_changes": person.title_year_changes.all()[:20],
            "backfills": backfills_of(person=person),
            "backfill_form": BackfillForm(auto_id="backfill_%s"),
        },
    )


@allow(Role.DISTRICT_OFFICER)
@require_POST
def title_year_correct_view(request: PortalRequest, person_pk: int) -> HttpResponse:
    person = person_get_for_user(user=request.user, pk=person_pk)
    form = TitleYearForm(request.POST)
    if form.is_valid():
        try:
            title_year_correct(
                officer=request.user,
                person=person,
                year=form.cleaned_data["year"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request,
                _("The title year is corrected; the tenure cycle is derived from it again."),
            )
    else:
        messages.error(
            request,
            _form_errors(form),
        )
    return redirect("verification:start", person_pk=person.pk)


@allow(Role.DISTRICT_OFFICER)
@require_POST
def backfill_create_view(request: PortalRequest, person_pk: int) -> HttpResponse:
    """历史学时补录: one year's totals from the paper booklet, with the scan of its page."""
    person = person_get_for_user(user=request.user, pk=person_pk)
    form = BackfillForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request,
            _form_errors(form),
        )
        return redirect("verification:start", person_pk=person.pk)
    try:
        backfill = booklet_backfill(
            officer=request.user,
            person=person,
            year=form.cleaned_data["year"],
            public_hours=form.cleaned_data["public_hours"],
            professional_hours=form.cleaned_data["professional_hours"],
            scan=form.cleaned_data["scan"],
            booklet_number=form.cleaned_data["booklet_number"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request,
            _("The %(year)s totals from the paper booklet are on the ledger, with the scan.")
            % {"year": backfill.year},
        )
    return redirect("verification:start", person_pk=person.pk)


@allow(*OFFICERS)
def backfill_scan_view(request: PortalRequest, pk: int) -> HttpResponse:
    backfill = backfill_get_for_user(user=request.user, pk=pk)
    response = HttpResponse(backfill_scan(backfill=backfill), content_type=backfill.scan_type)
    response["Content-Disposition"] = f'inline; filename="booklet-{backfill.year}-{backfill.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@allow(Role.CITY_OFFICER)
def cycle_settings_view(request: PortalRequest) -> HttpResponse:
    """The city's cap on the tenure cycle per title level, and its history."""
    form = CycleSettingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle_setting_change(officer=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The tenure cycle setting is saved."))
            return redirect("verification:cycle_settings")
    levels = [
        (value, label, cycle_cap(title_level=value)) for value, label in Person.TitleLevel.choices
    ]
    return render(
        request,
        "verification/cycle_settings.html",
        {
            "form": form,
            "levels": levels,
            "history": CycleSetting.objects.order_by("-changed_at", "-id")[:100],
            "default_years": CycleSetting.DEFAULT_YEARS,
        },
    )


@allow(*OFFICERS)
def verification_detail(request: PortalRequest, pk: int) -> HttpResponse:
    verification = verification_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "verification/detail.html",
        {
            "v": verification,
            "derivation": cycle_explanation(
                start=verification.cycle_start,
                end=verification.cycle_end,
                title_year=verification.title_year_used,
                cap=verification.cycle_cap,
            ),
            "related": related_verifications(verification=verification)[:20],
            "title_year_changes": verification.person.title_year_changes.all()[:20],
            "backfills": backfills_of(person=verification.person).filter(
                year__in=[row["year"] for row in verification.years]
            ),
            "return_form": ReasonForm(auto_id="return_%s"),
            "revoke_form": ReasonForm(auto_id="revoke_%s"),
        },
    )


@allow(Role.TRAINEE)
def verification_mine(request: PortalRequest) -> HttpResponse:
    """A professional's own verifications as the electronic booklet registers them (the same
    selector as the booklet PDF), with the PDFs; refusals and their reasons apart."""
    person = get_object_or_404(people_visible_to(user=request.user), pk=request.user.person_id)
    return render(
        request,
        "verification/mine.html",
        {
            "verifications": list(verifications_in_booklet(person=person)),
            "refusals": list(refusals_of(person=person)),
        },
    )


@allow(*OFFICERS, Role.TRAINEE)
def verification_pdf(request: PortalRequest, pk: int) -> HttpResponse:
    """The stored PDF, as stored (with the city's re-review once there is one)."""
    verification = verification_get_for_user(user=request.user, pk=pk)
    if not verification.code:
        raise Http404("a refusal has no PDF")
    original = request.GET.get("original") == "1"
    stored = (
        verification.pdf if original or not verification.reviewed_pdf else verification.reviewed_pdf
    )
    expected = (
        verification.pdf_sha256
        if stored.name == verification.pdf.name
        else verification.reviewed_pdf_sha256
    )
    with stored.open("rb") as handle:
        data = handle.read()
    if pdf.sha256(data) != expected:
        logger.error("Stored PDF of verification %s does not match its hash", verification.pk)
        raise SuspiciousFileOperation("stored verification PDF altered")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        f"{verification.person_name}-学时验证-{verification.code_display}.pdf",
        fallback=f"verification-{verification.code_display}.pdf",
        inline=True,
    )
    return response


@allow(*OFFICERS)
@require_POST
def verification_zip(request: PortalRequest) -> HttpResponse:
    """The ticked PDFs, or every PDF the current filter finds (`all`), zipped by a worker; the
    officer watches the job's page and downloads the zip from there (or from 我的任务)."""
    if request.POST.get("all") == "1":
        verifications, _filters = _filtered_by(request.user, request.POST)
    else:
        ids = [int(i) for i in request.POST.getlist("verification") if i.isdigit()]
        if not ids:
            messages.error(request, _("Tick the verifications whose PDFs you want to download."))
            return redirect("verification:list")
        verifications = verifications_visible_to(user=request.user).filter(pk__in=ids)
    ids = list(verifications.filter(code__isnull=False).values_list("pk", flat=True))
    if not ids:
        messages.error(request, _("None of the chosen verifications has a PDF."))
        return redirect("verification:list")
    with transaction.atomic():
        job = job_submit(
            owner=request.user,
            kind=ZIP_KIND,
            label=_("Zip of %(n)d verification PDFs") % {"n": len(ids)},
            params={"ids": sorted(ids)},
            total=len(ids),
        )
    return redirect("jobs:detail", pk=job.pk)


@allow(Role.CITY_OFFICER)
def verification_review_queue(request: PortalRequest) -> HttpResponse:
    page = Paginator(review_queue(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "verification/review_queue.html", {"page": page})


@allow(Role.CITY_OFFICER)
@require_POST
def verification_confirm_view(request: PortalRequest, pk: int) -> HttpResponse:
    verification = verification_get_for_user(user=request.user, pk=pk)
    try:
        verification_confirm(
            verification=verification, officer=request.user, base_url=site_url(request)
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("The re-review is confirmed; the PDF now carries it."))
    return redirect("verification:detail", pk=verification.pk)


def _with_reason(request: PortalRequest, pk: int, action: str) -> HttpResponse:
    verification = verification_get_for_user(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            if action == "return":
                verification_return(
                    verification=verification,
                    officer=request.user,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("The verification is returned to the district."))
            else:
                verification_revoke(
                    verification=verification,
                    officer=request.user,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("The verification is revoked."))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, _("Give the reason."))
    return redirect("verification:detail", pk=verification.pk)


@allow(Role.CITY_OFFICER)
@require_POST
def verification_return_view(request: PortalRequest, pk: int) -> HttpResponse:
    return _with_reason(request, pk, "return")


@allow(*OFFICERS)
@require_POST
def verification_revoke_view(request: PortalRequest, pk: int) -> HttpResponse:
    return _with_reason(request, pk, "revoke")


def mask_name(name: str) -> str:
    """The surname only: 李*, 欧阳**."""
    name = name.strip()
    if len(name) <= 1:
        return name
    keep = 2 if len(name) >= 4 else 1  # 复姓 in four-character names
    return name[:keep] + "*" * (len(name) - keep)


def _check_facts(verification: Verification) -> dict[str, Any]:
    """What the public check shows of a verification: what its PDF says, names masked."""
    replacement = verification.replaced_by
    return {
        "code": verification.code_display,
        "status": verification.status,
        "status_label": str(verification.get_status_display()),
        "valid": verification.status == Verification.Status.VALID,
        "name": mask_name(verification.person_name),
        "id_number": verification.id_number_masked,
        "title_applied": verification.title_applied,
        "title_level": str(verification.get_title_level_display()),
        "application_year": verification.application_year,
        "cycle": {
            "start": verification.cycle_start,
            "end": verification.cycle_end,
            "title_year": verification.title_year_used,
            "cap": verification.cycle_cap,
            "derivation": cycle_explanation(
                start=verification.cycle_start,
                end=verification.cycle_end,
                title_year=verification.title_year_used,
                cap=verification.cycle_cap,
            ),
        },
        "years": [
            {
                "year": row["year"],
                "public": row["public"],
                "professional": row["professional"],
                "total": row["total"],
                "paper_booklet": bool(row.get("backfilled")),
            }
            for row in verification.years
        ],
        "total_hours": str(verification.total_hours),
        "public_hours": str(verification.public_hours),
        "professional_hours": str(verification.professional_hours),
        "issued_by": verification.officer_org,
        "issued_on": timezone.localtime(verification.issued_at).date().isoformat(),
        "re_review": {
            "needed": verification.needs_review,
            "by": verification.reviewer_org if verification.reviewed_at else "",
            "on": (
                timezone.localtime(verification.reviewed_at).date().isoformat()
                if verification.reviewed_at
                else ""
            ),
        },
        "revoked_on": (
            timezone.localtime(verification.revoked_at).date().isoformat()
            if verification.revoked_at
            else ""
        ),
        "replaced_by": replacement.code_display if replacement and replacement.code else "",
    }


@public
def verification_check(request: HttpRequest) -> HttpResponse:
    """Anyone: is this verification genuine, and what does it say? Masked name and ID.
    `?format=json` answers the same for machines. Signed-in officers are not rate limited
    (an HR office checks a season's applicants); everyone else is, per client address."""
    form = CheckForm(request.GET if "code" in request.GET else None)
    as_json = request.GET.get("format") == "json"
    verification = None
    status = 200
    looked_up = False
    if form.is_bound:
        unlimited = bool(may_check_unlimited(Scope.of(request.user)))
        allowed = unlimited or rate_limit_hit(
            scope="verification-check",
            key=client_address(request),
            limit=settings.VERIFICATION_CHECK_LIMIT,
            window=settings.VERIFICATION_CHECK_WINDOW_SECONDS,
        )
        if not allowed:
            response: HttpResponse
            if as_json:
                response = JsonResponse(
                    {
                        "error": _(
                            "Too many checks from your address. Wait a few minutes and try again."
                        )
                    },
                    status=429,
                    json_dumps_params={"ensure_ascii": False},
                )
            else:
                response = render(
                    request, "verification/check.html", {"form": CheckForm(), "too_many": True}
                )
                response.status_code = 429
            response["Retry-After"] = str(settings.VERIFICATION_CHECK_WINDOW_SECONDS)
            return _private(response)
        if form.is_valid():
            looked_up = True
            verification = verification_by_code(code=form.cleaned_data["code"])
            if verification is None:
                status = 404
    facts = _check_facts(verification) if verification is not None else None
    if as_json:
        if not form.is_bound:
            payload: dict[str, Any] = {"error": _("Give the verification code.")}
            status = 400
        elif not looked_up:
            payload = {"error": "；".join(str(e) for e in form.errors.get("code", []))}
            status = 400
        elif facts is None:
            payload = {"error": _("No verification has this code.")}
        else:
            payload = {"verification": facts}
        return _private(
            JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})
        )
    page = render(
        request,
        "verification/check.html",
        {
            "form": form,
            "looked_up": looked_up,
            "v": verification,
            "facts": facts,
            "masked_name": mask_name(verification.person_name) if verification else "",
        },
    )
    page.status_code = status
    return _private(page)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
