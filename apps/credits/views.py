"""The ledger pages, claims and their review. Thin: parse, call a service, render."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps import rules
from apps.accounts.access import OFFICERS, PortalRequest, allow
from apps.accounts.models import Role
from apps.credits.claims import (
    claim_approve,
    claim_preview,
    claim_reject,
    claim_submit,
    claim_withdraw,
    evidence_content,
)
from apps.credits.evidence import EVIDENCE_SUFFIXES, evidence_check
from apps.credits.forms import PARAMETERS, ClaimForm, ReverseForm, ReviewForm
from apps.credits.models import KIND_CHOICES, Claim, LedgerEntry
from apps.credits.permissions import CITY_ONLY_KINDS
from apps.credits.selectors import (
    claim_assess,
    claim_get_for_user,
    draft_credit,
    entry_credit,
    entry_get_for_user,
    ledger_build,
    review_queue,
)
from apps.credits.services import Reviewer, entry_reverse
from apps.people.models import Person
from apps.people.selectors import people_visible_to, person_get_for_user
from apps.rules.table import KIND_LABELS

QUEUE_PAGE_SIZE = 50


def _own_person(request: PortalRequest) -> Person:
    return get_object_or_404(people_visible_to(user=request.user), pk=request.user.person_id)


def _ledger_page(request: PortalRequest, person: Person, *, own: bool) -> HttpResponse:
    return render(
        request,
        "credits/ledger.html",
        {"ledger": ledger_build(person=person), "person": person, "own": own},
    )


@allow(Role.TRAINEE)
def my_ledger(request: PortalRequest) -> HttpResponse:
    return _ledger_page(request, _own_person(request), own=True)


@allow(*OFFICERS)
def person_ledger(request: PortalRequest, pk: int) -> HttpResponse:
    return _ledger_page(request, person_get_for_user(user=request.user, pk=pk), own=False)


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
        {"groups": groups, "city_only": CITY_ONLY_KINDS},
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
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_error(None, exc)  # maps each message to its field
            else:
                form.add_error("evidence", exc)
        else:
            messages.success(
                request,
                _("Claim No. %(number)d is sent to %(office)s for review.")
                % {"number": claim.pk, "office": person.unit.jurisdiction.name},
            )
            return redirect("credits:claim_detail", pk=claim.pk)
    return render(
        request,
        "credits/claim_form.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": KIND_LABELS[kind],
            "preview": preview,
            "city_only": kind in CITY_ONLY_KINDS,
        },
    )


@allow(Role.TRAINEE)
@require_POST
def claim_preview_view(request: PortalRequest, kind: str) -> JsonResponse:
    """The hours the engine would credit, for the form's live preview (no files needed)."""
    kind = _kind_or_404(kind)
    form = ClaimForm(request.POST, kind=kind, with_files=False)
    if not form.is_valid():
        return JsonResponse(
            {
                "errors": [
                    f"{form.fields[f].label if f in form.fields else ''}：{m}"
                    for f, ms in form.errors.items()
                    for m in ms
                ]
            },
            status=200,
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


@allow(Role.TRAINEE, *OFFICERS)
def claim_detail(request: PortalRequest, pk: int) -> HttpResponse:
    claim = claim_get_for_user(user=request.user, pk=pk)
    pending = claim.status == Claim.Status.PENDING
    return render(
        request,
        "credits/claim_detail.html",
        {
            "claim": claim,
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
@require_POST
def claim_withdraw_view(request: PortalRequest, pk: int) -> HttpResponse:
    claim = claim_get_for_user(user=request.user, pk=pk)
    try:
        claim_withdraw(claim=claim, person=_own_person(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The claim is withdrawn."))
    return redirect("credits:claim_detail", pk=claim.pk)


@allow(Role.TRAINEE, *OFFICERS)
def evidence_file(request: PortalRequest, pk: int, evidence_pk: int) -> HttpResponse:
    claim = claim_get_for_user(user=request.user, pk=pk)
    evidence = get_object_or_404(claim.evidence, pk=evidence_pk)
    response = HttpResponse(evidence_content(evidence=evidence), content_type=evidence.content_type)
    suffix = EVIDENCE_SUFFIXES.get(evidence.content_type, "bin")
    response["Content-Disposition"] = f'inline; filename="evidence-{evidence.pk}.{suffix}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@allow(*OFFICERS)
def claim_queue(request: PortalRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in PARAMETERS:
        kind = ""
    scope = request.GET.get("scope", "")
    claims = review_queue(user=request.user, kind=kind, scope=scope)
    page = Paginator(claims, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "credits/claim_queue.html",
        {
            "page": page,
            "kind": kind,
            "scope": scope,
            "kinds": KIND_CHOICES,
        },
    )


def _say_what_was_credited(request: PortalRequest, claim: Claim) -> None:
    """An approval says what it really credited; one that credits nothing says so."""
    credit = entry_credit(entry=claim.entry) if claim.entry is not None else None
    hours = credit.hours if credit is not None else Decimal(0)
    reasons = "；".join(r.note for r in credit.reasons) if credit is not None else ""
    if hours == 0:
        messages.warning(
            request,
            _("Claim No. %(number)d is approved and recorded, but it credits 0 hours: %(why)s")
            % {"number": claim.pk, "why": reasons or _("the rules credit nothing for it.")},
        )
    elif credit is not None and credit.hours < credit.nominal:
        messages.success(
            request,
            _(
                "Claim No. %(number)d is approved; it credits %(hours)s of %(nominal)s hours: "
                "%(why)s"
            )
            % {"number": claim.pk, "hours": hours, "nominal": credit.nominal, "why": reasons},
        )
    else:
        messages.success(
            request,
            _("Claim No. %(number)d is approved and %(hours)s hours are recorded in the ledger.")
            % {"number": claim.pk, "hours": hours},
        )


@allow(*OFFICERS)
@require_POST
def claim_review(request: PortalRequest, pk: int) -> HttpResponse:
    claim = claim_get_for_user(user=request.user, pk=pk)
    form = ReviewForm(request.POST)
    decision = request.POST.get("decision")
    if form.is_valid() and decision in ("approve", "reject"):
        opinion = form.cleaned_data["opinion"]
        try:
            if decision == "approve":
                approved = claim_approve(claim=claim, officer=request.user, opinion=opinion)
                _say_what_was_credited(request, approved)
            else:
                claim_reject(claim=claim, officer=request.user, opinion=opinion)
                messages.success(
                    request, _("Claim No. %(number)d is rejected.") % {"number": claim.pk}
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("credits:claim_detail", pk=claim.pk)
        return redirect("credits:claim_queue")
    messages.error(request, _("Choose to approve or reject."))
    return redirect("credits:claim_detail", pk=claim.pk)
