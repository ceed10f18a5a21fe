"""The ledger pages, claims and their review. Thin: parse, call a service, render."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, astuple
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps import rules
from apps.accounts.access import OFFICERS, PortalRequest, allow
from apps.accounts.models import Role
from apps.credits.claims import (
    claim_approve,
    claim_forward,
    claim_preview,
    claim_reject,
    claim_resubmit,
    claim_return,
    claim_submit,
    claim_withdraw,
    claims_approve_bulk,
    evidence_content,
)
from apps.credits.evidence import EVIDENCE_SUFFIXES, evidence_check
from apps.credits.export import claims_queue_write, people_hours_file_name, people_hours_write
from apps.credits.forms import (
    NO_TITLE_LEVEL,
    PARAMETERS,
    ClaimForm,
    ClaimQueueForm,
    PeopleHoursForm,
    ReverseForm,
    ReviewForm,
)
from apps.credits.ledger import rule_table_version
from apps.credits.models import KIND_CHOICES, Claim, ClaimStep, LedgerEntry
from apps.credits.permissions import MEDICAL_KINDS, may_resubmit_claim
from apps.credits.selectors import (
    Compliance,
    PeopleHoursFilter,
    claim_assess,
    claim_get_for_user,
    claim_steps,
    draft_credit,
    entry_credit,
    entry_get_for_user,
    evidence_download_name,
    hours_of,
    ledger_build,
    ledger_person_get,
    ledger_version,
    my_claims,
    people_with_hours,
    review_queue,
    units_in_queue,
)
from apps.credits.services import Reviewer, entry_reverse
from apps.credits.tasks import PEOPLE_HOURS_EXPORT_KIND
from apps.jobs.services import job_submit_once
from apps.people import idnumber
from apps.people.models import Industry, Person
from apps.people.selectors import (
    people_search,
    people_visible_to,
    units_visible_to,
)
from apps.rules.table import KIND_LABELS
from hefei_cpe.downloads import content_disposition
from hefei_cpe.pagecache import not_cached, page_cached
from hefei_cpe.xlsx import CONTENT_TYPE as XLSX_TYPE

QUEUE_PAGE_SIZE = 50
# Who reads a claim: its professional, their unit's administrator, the deciding office.
CLAIM_READERS = (Role.TRAINEE, Role.UNIT_ADMIN, *OFFICERS)


def _own_person(request: PortalRequest) -> Person:
    return get_object_or_404(people_visible_to(user=request.user), pk=request.user.person_id)


def _ledger_person(request: PortalRequest, pk: int | None) -> Person:
    """The person of a ledger page, through the user's scope (404 outside it), read with the
    version of their entries and claims in the same query."""
    return ledger_person_get(user=request.user, pk=pk)


LEDGER_CONTENT_TEMPLATES = ("credits/_ledger_content.html", "credits/_ledger_years.html")


@lru_cache(maxsize=1)
def _ledger_code_version() -> str:
    """A digest of what renders a ledger page (its templates, the rules engine, the
    selectors), so a cached rendering never outlives a deployment that changes them."""
    app = Path(__file__).resolve().parent
    sources = [
        *(app / "templates" / name for name in LEDGER_CONTENT_TEMPLATES),
        app / "ledger.py",
        app / "selectors.py",
        *sorted((app.parent / "rules").rglob("*.py")),
    ]
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def _ledger_content(person: Person, *, own: bool, asked: str) -> tuple[str, bool]:
    """The content of the ledger page rendered (the whole ledger, or the year `asked` for:
    the year picker), and whether it may be cached (not when `asked` is no year of it)."""
    ledger = ledger_build(person=person)
    chosen = None
    year_problem = ""
    if asked:
        chosen = ledger.year(int(asked)) if asked.isdigit() and len(asked) == 4 else None
        if chosen is None:
            year_problem = _(
                "There is no year “%(year)s” on this ledger (years %(first)s–%(last)s); every "
                "year is shown."
            ) % {"year": asked[:12], "first": ledger.years[-1].year, "last": ledger.years[0].year}
    context = {
        "ledger": ledger,
        "years": [chosen] if chosen is not None else ledger.years,
        "chosen_year": chosen.year if chosen is not None else None,
        "year_problem": year_problem,
        "person": person,
        "own": own,
    }
    return render_to_string(LEDGER_CONTENT_TEMPLATES[0], context), not year_problem


def _ledger_content_key(person: Person, *, own: bool, asked: str) -> str:
    """What the content of a ledger page depends on: the version of the person's entries and
    claims (`ledger_version`), the person's details shown and those the rules read (industry,
    transfer year, registration), the requirements in force, the current year, the language,
    whose page it is, the year picked, and the code that renders it. Costs no query when the
    person was read through `with_ledger_version`."""
    shown = (
        person.name,
        person.id_number_masked,
        person.unit.name,
        person.unit.jurisdiction.name,
        person.title,
        person.title_year,
        person.industry_id,
        person.transferred_in_year,
        person.created_at,
    )
    return ":".join(
        str(part)
        for part in (
            "credits.ledger-page",
            _ledger_code_version(),
            rule_table_version(),
            person.pk,
            *astuple(ledger_version(person=person)),
            hashlib.sha256(repr(shown).encode()).hexdigest()[:16],
            timezone.localdate().year,
            get_language(),
            "own" if own else "other",
            asked if asked.isdigit() and len(asked) == 4 else "all" if not asked else "?",
        )
    )


def _ledger_content_html(person: Person, *, own: bool, asked: str, key: str) -> tuple[str, bool]:
    """The content of the person's ledger page (their details, open claims, the year picker
    and every year evaluated by the rules engine), rendered, and cached
    (CREDITS_LEDGER_CACHE_SECONDS) under `key` (`_ledger_content_key`); and whether it may be
    cached (not for a year that is no year of the ledger)."""
    html = cache.get(key)
    cacheable = True
    if html is None:
        html, cacheable = _ledger_content(person, own=own, asked=asked)
        if cacheable and settings.CREDITS_LEDGER_CACHE_SECONDS:
            cache.set(key, html, settings.CREDITS_LEDGER_CACHE_SECONDS)
    return mark_safe(html), cacheable  # noqa: S308 (our own templates' output, escaped when rendered)


def _ledger_page(request: PortalRequest, person: Person, *, own: bool) -> HttpResponse:
    """The whole ledger, or one year of it (?year=2025: the year picker). A year that is not a
    year of this ledger shows every year, saying why. The whole page is kept in the cache
    (hefei_cpe.pagecache) under the content's key: a repeat visit renders nothing."""
    if own:
        # The page's person is the signed-in professional, already read with their unit:
        # the header (user.organisation_name) reuses it instead of reading both again.
        request.user.person = person
    asked = request.GET.get("year", "").strip()
    key = _ledger_content_key(person, own=own, asked=asked)

    def page() -> HttpResponse:
        content, cacheable = _ledger_content_html(person, own=own, asked=asked, key=key)
        response = render(
            request, "credits/ledger.html", {"person": person, "own": own, "content": content}
        )
        return (
            response
            if cacheable and settings.CREDITS_LEDGER_CACHE_SECONDS
            else not_cached(response)
        )

    return page_cached(request, [key], page)


@allow(Role.TRAINEE)
def my_ledger(request: PortalRequest) -> HttpResponse:
    return _ledger_page(request, _ledger_person(request, request.user.person_id), own=True)


@allow(Role.UNIT_ADMIN, *OFFICERS)
def person_ledger(request: PortalRequest, pk: int) -> HttpResponse:
    return _ledger_page(request, _ledger_person(request, pk), own=False)


@allow(*OFFICERS)
def entry_reverse_view(request: PortalRequest, pk: int) -> HttpResponse:
    entry = entry_get_for_user(user=request.user, pk=pk)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry_reverse(
                entry=entry, reason=form.cleaned_data["reason"], reviewer=Reviewer.of(request.user)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The entry is reversed; the original stays on record."))
            return redirect("credits:person_ledger", pk=entry.person_id)
    return render(request, "credits/entry_reverse.html", {"entry": entry, "form": form})


# --- claims ------------------------------------------------------------------------------------

# The kinds as the claim page groups them (Attachment 3's order).
KIND_GROUPS = [
    (
        _("Training and study"),
        [
            "organized_training",
            "ministry_training",
            "base_training",
            "public_course",
            "degree_course",
            "self_study",
            "computer_training",
            "computer_exam",
            "language_training",
            "language_exam",
            "teacher_training",
            "key_teacher",
            "principal_training",
            "medical_credit",
        ],
    ),
    (
        _("Academic work"),
        ["national_conference", "provincial_conference", "paper", "book", "research_project"],
    ),
    (
        _("Results and awards"),
        [
            "invention_patent",
            "utility_patent",
            "provincial_award",
            "city_award",
            "new_technology",
            "qualification_cert",
            "aid_service",
        ],
    ),
]


@allow(Role.TRAINEE)
def claim_new(request: PortalRequest) -> HttpResponse:
    groups = [
        (title, [(kind, KIND_LABELS[kind]) for kind in kinds]) for title, kinds in KIND_GROUPS
    ]
    return render(
        request,
        "credits/claim_kinds.html",
        {"groups": groups, "city_only": MEDICAL_KINDS},
    )


def _kind_or_404(kind: str) -> str:
    if kind not in PARAMETERS:
        raise Http404
    return kind


@allow(Role.TRAINEE)
def claim_create(request: PortalRequest, kind: str) -> HttpResponse:
    kind = _kind_or_404(kind)
    person = _own_person(request)
    form = ClaimForm(request.POST or None, request.FILES or None, kind=kind)
    preview: rules.Nominal | None = None
    if request.method == "POST" and form.is_valid():
        try:
            files = evidence_check(form.cleaned_data["evidence"])
            claim = claim_submit(
                person=person,
                kind=kind,
                year=form.cleaned_data["year"],
                params=form.params(),
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                files=files,
                attested=form.cleaned_data["attested"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_error(None, exc)  # maps each message to its field
            else:
                form.add_error("evidence", exc)
        else:
            _say_where_it_went(request, claim)
            return redirect("credits:claim_detail", pk=claim.pk)
    return render(
        request,
        "credits/claim_form.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": KIND_LABELS[kind],
            "preview": preview,
            "city_only": kind in MEDICAL_KINDS,
        },
    )


def _say_where_it_went(request: PortalRequest, claim: Claim) -> None:
    if claim.status == Claim.Status.SCREENING:
        where = _("your unit's administrator for screening")
    else:
        where = claim.office.name if claim.office else ""
    messages.success(
        request,
        _("Claim %(receipt)s is sent to %(where)s.")
        % {"receipt": claim.receipt_no, "where": where},
    )


@allow(Role.TRAINEE)
def claim_mine(request: PortalRequest) -> HttpResponse:
    """我的申报: every claim of the professional with where it stands."""
    status = request.GET.get("status", "")
    if status not in Claim.Status.values:
        status = ""
    claims = my_claims(user=request.user, status=status)
    page = Paginator(claims, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "credits/claim_mine.html",
        {"page": page, "status": status, "statuses": Claim.Status.choices},
    )


@allow(Role.TRAINEE)
def claim_correct(request: PortalRequest, pk: int) -> HttpResponse:
    """退回修改: the professional corrects a returned claim and sends it round again."""
    claim = claim_get_for_user(user=request.user, pk=pk)
    person = _own_person(request)
    verdict = may_resubmit_claim(request.user.scope, claim)
    if not verdict:
        messages.error(request, verdict.reason)
        return redirect("credits:claim_detail", pk=claim.pk)
    initial = {"year": claim.year, "title": claim.title, "description": claim.description}
    initial.update(claim.params)
    form = ClaimForm(
        request.POST or None,
        request.FILES or None,
        kind=claim.kind,
        files_required=False,
        initial=initial,
    )
    form.fields["year"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            uploads = form.cleaned_data["evidence"]
            files = evidence_check(uploads) if uploads else []
            claim = claim_resubmit(
                claim=claim,
                person=person,
                params=form.params(),
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                files=files,
                attested=form.cleaned_data["attested"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_error(None, exc)
            else:
                form.add_error("evidence", exc)
        else:
            _say_where_it_went(request, claim)
            return redirect("credits:claim_detail", pk=claim.pk)
    return render(
        request,
        "credits/claim_correct.html",
        {
            "form": form,
            "claim": claim,
            "steps": list(claim_steps(claim=claim)),
            "evidence": list(claim.evidence.all()),
        },
    )


@allow(Role.TRAINEE)
@require_POST
def claim_preview_view(request: PortalRequest, kind: str) -> JsonResponse:
    """The hours the engine would credit, for the form's live preview (no files needed)."""
    kind = _kind_or_404(kind)
    form = ClaimForm(request.POST, kind=kind, with_files=False)
    if not form.is_valid():
        # A field not filled in yet is no error while the person is still typing: the preview
        # waits for it instead of greeting an empty form with "这个字段是必填项。".
        errors = [
            f"{form.fields[f].label if f in form.fields else ''}：{m}"
            for f, problems in form.errors.as_data().items()
            for problem in problems
            if problem.code != "required"
            for m in problem.messages
        ]
        if errors:
            return JsonResponse({"errors": errors}, status=200)
        return JsonResponse(
            {"incomplete": True, "note": _("Fill in the form to see the hours expected.")}
        )
    try:
        claim_preview(kind=kind, year=form.cleaned_data["year"], params=form.params())
    except ValidationError as exc:
        return JsonResponse({"errors": exc.messages})
    # On the person's own ledger: the same paper or number already there counts only once.
    credit = draft_credit(
        person=_own_person(request),
        kind=kind,
        year=form.cleaned_data["year"],
        params=form.params(),
    )
    return JsonResponse(
        {
            "hours": f"{credit.hours:.1f}",
            "nominal": f"{credit.nominal:.1f}",
            "subject": _("Public subjects")
            if credit.subject == "public"
            else _("Professional subjects"),
            "note": credit.note,
        }
    )


@allow(*CLAIM_READERS)
def claim_detail(request: PortalRequest, pk: int) -> HttpResponse:
    claim = claim_get_for_user(user=request.user, pk=pk)
    pending = claim.status in (Claim.Status.PENDING, Claim.Status.SCREENING)
    steps = list(claim_steps(claim=claim))
    return render(
        request,
        "credits/claim_detail.html",
        {
            "claim": claim,
            "steps": steps,
            "last_return": next(
                (step for step in reversed(steps) if step.action == ClaimStep.Action.RETURNED),
                None,
            ),
            "evidence": list(claim.evidence.all()),
            "params": _params_display(claim),
            # Before the decision: what approval would really credit, and any duplicate.
            "assessment": claim_assess(claim=claim) if pending else None,
            "entry_credit": entry_credit(entry=claim.entry) if claim.entry is not None else None,
            "review_form": ReviewForm(),
            # The approved entry may have been taken back later by a correction.
            "reversal": LedgerEntry.objects.filter(reverses_id=claim.entry_id).first()
            if claim.entry_id
            else None,
        },
    )


def _params_display(claim: Claim) -> list[tuple[str, str]]:
    form = ClaimForm(kind=claim.kind, with_files=False)
    shown = []
    for name, value in claim.params.items():
        field = form.fields.get(name)
        label = str(field.label) if field else name
        choices = dict(getattr(field, "choices", []) or [])
        if isinstance(value, bool):
            text = _("Yes") if value else _("No")
        else:
            text = str(choices.get(str(value), value))
        shown.append((label, text))
    return shown


@allow(Role.TRAINEE)
@require_http_methods(["GET", "POST"])
def claim_withdraw_view(request: PortalRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (nothing changes); POST withdraws."""
    claim = claim_get_for_user(user=request.user, pk=pk)
    if request.method == "GET":
        if claim.status != Claim.Status.PENDING:
            return redirect("credits:claim_detail", pk=claim.pk)
        return render(request, "credits/claim_withdraw.html", {"claim": claim})
    try:
        claim_withdraw(claim=claim, person=_own_person(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The claim is withdrawn."))
    return redirect("credits:claim_detail", pk=claim.pk)


@allow(*CLAIM_READERS)
def evidence_file(request: PortalRequest, pk: int, evidence_pk: int) -> HttpResponse:
    claim = claim_get_for_user(user=request.user, pk=pk)
    evidence = get_object_or_404(claim.evidence, pk=evidence_pk)
    response = HttpResponse(evidence_content(evidence=evidence), content_type=evidence.content_type)
    response["Content-Disposition"] = content_disposition(
        evidence_download_name(claim=claim, evidence=evidence),
        fallback=f"evidence-{evidence.pk}.{EVIDENCE_SUFFIXES.get(evidence.content_type, 'bin')}",
        inline=True,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@allow(Role.UNIT_ADMIN, *OFFICERS)
def claim_queue(request: PortalRequest) -> HttpResponse:
    """What waits on this user: claims to screen (unit administrator) or to decide (office),
    filtered by kind, unit and submission dates; `?format=xlsx` exports the filtered queue."""
    waiting = review_queue(user=request.user)
    form = ClaimQueueForm(request.GET, kinds=KIND_CHOICES, units=units_in_queue(claims=waiting))
    claims = waiting
    if form.is_valid():
        data = form.cleaned_data
        claims = review_queue(
            user=request.user,
            kind=data["kind"],
            unit_id=data["unit"].pk if data["unit"] else None,
            submitted_from=data["submitted_from"],
            submitted_to=data["submitted_to"],
        )
    if request.GET.get("format") == "xlsx":
        with claims_queue_write(claims=claims) as out:
            response = HttpResponse(out.read(), content_type=XLSX_TYPE)
        today = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = content_disposition(
            _("Claims to review %(date)s.xlsx") % {"date": today},
            fallback=f"claims-queue-{today}.xlsx",
        )
        return response
    page = Paginator(claims, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "credits/claim_queue.html",
        {
            "page": page,
            "form": form,
            "querystring": query.urlencode(),
            "one_unit": request.user.scope.unit_id is not None,
            "bulk_form": ReviewForm(),
        },
    )


@allow(*OFFICERS)
@require_POST
def claim_approve_bulk(request: PortalRequest) -> HttpResponse:
    """Approves the ticked screened claims; each is credited once, failures are listed."""
    form = ReviewForm(request.POST)
    ids = []
    for value in request.POST.getlist("claim"):
        try:
            ids.append(int(value))
        except ValueError:
            continue
    if not ids or not form.is_valid():
        messages.error(request, _("Tick the claims to approve."))
        return redirect("credits:claim_queue")
    outcome = claims_approve_bulk(
        claim_ids=ids, officer=request.user, opinion=form.cleaned_data["opinion"]
    )
    if outcome.approved:
        messages.success(
            request,
            _("%(count)d claims approved and recorded: %(receipts)s")
            % {
                "count": len(outcome.approved),
                "receipts": "、".join(_receipt(c) for c in outcome.approved),
            },
        )
    for receipt, reason in outcome.failed:
        messages.error(
            request,
            _("Claim %(receipt)s was not approved: %(why)s") % {"receipt": receipt, "why": reason},
        )
    return redirect("credits:claim_queue")


def _receipt(claim: Claim) -> str:
    """How messages name a claim: the receipt number its professional was given (SB…)."""
    return claim.receipt_no or str(claim.pk)


def _say_what_was_credited(request: PortalRequest, claim: Claim) -> None:
    """An approval says what it really credited; one that credits nothing says so."""
    credit = entry_credit(entry=claim.entry) if claim.entry is not None else None
    hours = credit.hours if credit is not None else Decimal(0)
    reasons = "；".join(r.note for r in credit.reasons) if credit is not None else ""
    if hours == 0:
        messages.warning(
            request,
            _("Claim %(receipt)s is approved and recorded, but it credits 0 hours: %(why)s")
            % {"receipt": _receipt(claim), "why": reasons or _("the rules credit nothing for it.")},
        )
    elif credit is not None and credit.hours < credit.nominal:
        messages.success(
            request,
            _("Claim %(receipt)s is approved; it credits %(hours)s of %(nominal)s hours: %(why)s")
            % {
                "receipt": _receipt(claim),
                "hours": hours,
                "nominal": credit.nominal,
                "why": reasons,
            },
        )
    else:
        messages.success(
            request,
            _("Claim %(receipt)s is approved and %(hours)s hours are recorded in the ledger.")
            % {"receipt": _receipt(claim), "hours": hours},
        )


@allow(Role.UNIT_ADMIN, *OFFICERS)
@require_POST
def claim_review(request: PortalRequest, pk: int) -> HttpResponse:
    """One decision on a claim: forward (unit screening), approve, reject, or return for
    correction. The services ask the claim's rules, so a decision out of turn is refused."""
    claim = claim_get_for_user(user=request.user, pk=pk)
    form = ReviewForm(request.POST)
    decision = request.POST.get("decision")
    if form.is_valid() and decision in ("approve", "reject", "return", "forward"):
        opinion = form.cleaned_data["opinion"]
        number = {"receipt": _receipt(claim)}
        try:
            if decision == "approve":
                approved = claim_approve(claim=claim, officer=request.user, opinion=opinion)
                _say_what_was_credited(request, approved)
            elif decision == "reject":
                claim_reject(claim=claim, officer=request.user, opinion=opinion)
                messages.success(request, _("Claim %(receipt)s is rejected.") % number)
            elif decision == "return":
                claim_return(claim=claim, user=request.user, opinion=opinion)
                messages.success(
                    request,
                    _("Claim %(receipt)s is returned to the professional for correction.") % number,
                )
            else:
                claim_forward(claim=claim, user=request.user, opinion=opinion)
                messages.success(
                    request, _("Claim %(receipt)s is forwarded to the office.") % number
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("credits:claim_detail", pk=claim.pk)
        return redirect("credits:claim_queue")
    messages.error(request, _("Choose a decision."))
    return redirect("credits:claim_detail", pk=claim.pk)


# Up to this many rows an export is written during the request; more go to a job (我的任务).
EXPORT_INLINE_LIMIT = 2000
PEOPLE_PAGE_SIZE = 50


def _people_hours_form(request: PortalRequest, data: QueryDict) -> PeopleHoursForm:
    return PeopleHoursForm(
        data,
        units=units_visible_to(user=request.user).order_by("name", "id"),
        industries=Industry.objects.order_by("code"),
    )


def _people_hours_filters(form: PeopleHoursForm) -> PeopleHoursFilter:
    """The filters of a valid form; of an invalid one, only this year (everyone)."""
    if not form.is_valid():
        return PeopleHoursFilter(year=timezone.localdate().year)
    data = form.cleaned_data
    level = data["title_level"]
    return PeopleHoursFilter(
        year=data["year"],
        query=data["q"],
        unit_id=data["unit"][0],
        unit_name=data["unit"][1],
        title_level=None if not level else ("" if level == NO_TITLE_LEVEL else level),
        industry_id=data["industry"].pk if data["industry"] else None,
        compliance=data["compliance"],
    )


def _people_hours_search(request: PortalRequest) -> HttpResponse:
    """The search posts, so a full ID number never lands in a URL (browser history, logs): an ID
    number goes straight to that person's ledger; everything else comes back as GET filters."""
    query = request.POST.get("q", "").strip()
    try:
        number = idnumber.parse(query).number
    except ValidationError:
        number = None
    if number is not None:
        found = people_search(people=people_visible_to(user=request.user), query=number).first()
        if found is None:
            messages.error(
                request, _("Nobody with this ID number is registered in your jurisdiction.")
            )
            return redirect("credits:people_hours")
        return redirect("credits:person_ledger", pk=found.pk)
    params = {
        key: request.POST.get(key, "").strip()
        for key in ("year", "q", "unit", "title_level", "industry", "compliance")
    }
    return redirect(
        reverse("credits:people_hours") + "?" + urlencode({k: v for k, v in params.items() if v})
    )


@allow(Role.UNIT_ADMIN, *OFFICERS)
def people_hours_view(request: PortalRequest) -> HttpResponse:
    """专业技术人员学时达标情况: the people this user answers for with the year's public,
    professional and total hours and compliance, filtered by unit, title level, industry and
    compliance, searched by name or full ID number; `?format=xlsx` exports the filtered list
    (a large one as a job). A fixed number of queries, whatever the number of people."""
    if request.method == "POST":
        return _people_hours_search(request)
    form = _people_hours_form(request, request.GET)
    filters = _people_hours_filters(form)
    people = people_with_hours(user=request.user, filters=filters)
    if request.GET.get("format") == "xlsx":
        return _people_hours_export(request, people, filters)
    page = Paginator(people, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "credits/people_hours.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "rows": hours_of(people=page.object_list, year=filters.year),
            "querystring": query.urlencode(),
            "one_unit": request.user.scope.unit_id is not None,
        },
    )


def _people_hours_export(
    request: PortalRequest, people: QuerySet[Person], filters: PeopleHoursFilter
) -> HttpResponse:
    total = people.count()
    if total > EXPORT_INLINE_LIMIT:
        with transaction.atomic():
            job, _new = job_submit_once(
                owner=request.user,
                kind=PEOPLE_HOURS_EXPORT_KIND,
                label=_("Hours of %(n)d professionals (Excel)") % {"n": total},
                params={"filters": asdict(filters)},
                total=total,
            )
        return redirect("jobs:detail", pk=job.pk)
    with people_hours_write(people=people, filters=filters) as out:
        response = HttpResponse(out.read(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(
        people_hours_file_name(filters), fallback=f"people-hours-{filters.year}.xlsx"
    )
    return response


@allow(Role.UNIT_ADMIN, *OFFICERS)
def unit_people(request: PortalRequest) -> HttpResponse:
    """The unit administrator's list moved to the shared people-with-hours page; old links
    (with ?year= and ?short=1) still land on the same people."""
    query = {}
    if request.GET.get("year", "").isdigit():
        query["year"] = request.GET["year"]
    if request.GET.get("short") == "1":
        query["compliance"] = Compliance.SHORT
    if request.GET.get("format") == "xlsx":
        query["format"] = "xlsx"
    return redirect(reverse("credits:people_hours") + ("?" + urlencode(query) if query else ""))
