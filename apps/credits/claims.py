"""Claims: a professional asks for an Attachment 3 activity to be credited and confirms it is
true; the unit's administrator screens it first when the unit has one; the office recorded on
the claim approves (recording a ledger entry), rejects, or returns it for correction. Every step
is a `ClaimStep` (DESIGN §3.4)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps import rules
from apps.accounts.models import Role, User
from apps.accounts.scope import Scope, require
from apps.credits.evidence import CheckedFile
from apps.credits.ledger import entry_value
from apps.credits.models import Claim, ClaimStep, Evidence, Source
from apps.credits.permissions import (
    HEALTH_AUTHORITY_CODE,
    MEDICAL_KINDS,
    may_resubmit_claim,
    may_return_claim,
    may_review_claim,
    may_screen_claim,
    may_withdraw_claim,
)
from apps.credits.services import EntryDraft, Reviewer, entry_record
from apps.people import crypto
from apps.people.models import Jurisdiction, Person
from apps.rules.table import ITEM_NUMBER_FIELDS

FIRST_CLAIM_YEAR = 2000


def claim_preview(*, kind: str, year: int, params: Mapping[str, Any]) -> rules.Nominal:
    """What the engine would credit; raises ValidationError keyed by parameter name."""
    try:
        return entry_value(kind=kind, year=year, params=params)
    except rules.InvalidCase as exc:
        errors: dict[str, list[str]] = {}
        for problem in exc.problems:
            field = problem.field if problem.field in params or problem.field == "year" else None
            errors.setdefault(field or "__all__", []).append(problem.message)
        raise ValidationError(errors) from None


def claim_office(*, person: Person, kind: str) -> Jurisdiction:
    """The office that decides a claim: the city health authority for medical credits, the
    person's jurisdiction otherwise."""
    if kind in MEDICAL_KINDS:
        health = Jurisdiction.objects.filter(code=HEALTH_AUTHORITY_CODE).first()
        if health is not None:
            return health
    return person.unit.jurisdiction


def _first_status(person: Person) -> str:
    """Screened by the unit when it has an active administrator; straight to the office else."""
    screened = User.objects.filter(
        role=Role.UNIT_ADMIN, unit_id=person.unit_id, is_active=True
    ).exists()
    return Claim.Status.SCREENING if screened else Claim.Status.PENDING


def _step(
    claim: Claim, action: str, *, user: User | None, opinion: str = "", person: Person | None = None
) -> ClaimStep:
    if user is not None:
        name, org = user.full_name, user.organisation_name
    else:
        claimant = person or claim.person
        name, org = claimant.name, claimant.unit.name
    return ClaimStep.objects.create(
        claim=claim,
        action=action,
        actor=user,
        actor_name=name[:50],
        actor_org=org[:100],
        opinion=opinion[:500],
    )


def _account(person: Person) -> User | None:
    return User.objects.filter(person=person).first()


def _validate(
    *, kind: str, year: int, params: Mapping[str, Any], today_year: int | None
) -> rules.Nominal:
    current = today_year or timezone.localdate().year
    if not FIRST_CLAIM_YEAR <= year <= current:
        raise ValidationError(
            {
                "year": _("The year must be between %(first)d and %(last)d.")
                % {"first": FIRST_CLAIM_YEAR, "last": current}
            }
        )
    errors: dict[str, list[str]] = {}
    number_field = ITEM_NUMBER_FIELDS.get(kind)
    if number_field and not str(params.get(number_field) or "").strip():
        # The engine accepts an activity without its number; a claim must carry it, or the
        # officer cannot see the same certificate, patent, award, item or paper claimed twice.
        errors[number_field] = [
            _("Give the item's own number: the same item is credited only once.")
        ]
    try:
        nominal = claim_preview(kind=kind, year=year, params=params)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return nominal


def _require_attested(attested: bool) -> None:
    if not attested:
        raise ValidationError(
            {"attested": _("Confirm that the information is true (本人承诺信息属实).")}
        )


@transaction.atomic
def claim_submit(
    *,
    person: Person,
    kind: str,
    year: int,
    params: Mapping[str, Any],
    title: str,
    description: str,
    files: list[CheckedFile],
    attested: bool,
    today_year: int | None = None,
) -> Claim:
    """Files a claim, routed to the unit's screening or straight to its office, with a receipt
    number (申报编号 SB<year>-<id>)."""
    nominal = _validate(kind=kind, year=year, params=params, today_year=today_year)
    if not files:
        raise ValidationError({"evidence": _("Attach at least one evidence file.")})
    _require_attested(attested)
    now = timezone.now()
    claim = Claim.objects.create(
        person=person,
        year=year,
        kind=kind,
        params=dict(params),
        title=title.strip()[:200],
        description=description.strip(),
        previewed_hours=nominal.hours,
        subject=str(nominal.subject),
        status=_first_status(person),
        office=claim_office(person=person, kind=kind),
        submitted_at=now,
        attested_at=now,
    )
    claim.receipt_no = f"SB{timezone.localtime(now).year}-{claim.pk:06d}"
    claim.save(update_fields=["receipt_no"])
    _evidence_store(claim, files)
    _step(claim, ClaimStep.Action.SUBMITTED, user=_account(person), person=person)
    return claim


def _evidence_store(claim: Claim, files: list[CheckedFile]) -> None:
    for checked in files:
        evidence = Evidence(
            claim=claim,
            original_name=checked.name,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=checked.sha256,
        )
        # Evidence holds personal data (certificates, ID scans): kept encrypted at rest.
        evidence.file.save(
            "evidence", ContentFile(crypto.encrypt_bytes(checked.content)), save=False
        )
        evidence.save()


@transaction.atomic
def claim_resubmit(
    *,
    claim: Claim,
    person: Person,
    params: Mapping[str, Any],
    title: str,
    description: str,
    files: list[CheckedFile],
    attested: bool,
    today_year: int | None = None,
) -> Claim:
    """The professional corrects a returned claim and sends it round again (same receipt
    number). New files are added to the evidence already attached."""
    locked = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk, person=person)
    require(may_resubmit_claim(Scope("person", person.pk), locked))
    nominal = _validate(kind=locked.kind, year=locked.year, params=params, today_year=today_year)
    _require_attested(attested)
    locked.params = dict(params)
    locked.title = title.strip()[:200]
    locked.description = description.strip()
    locked.previewed_hours = nominal.hours
    locked.subject = str(nominal.subject)
    locked.status = _first_status(person)
    locked.attested_at = timezone.now()
    locked.save(
        update_fields=[
            "params",
            "title",
            "description",
            "previewed_hours",
            "subject",
            "status",
            "attested_at",
        ]
    )
    _evidence_store(locked, files)
    _step(locked, ClaimStep.Action.RESUBMITTED, user=_account(person), person=person)
    return locked


def _lock(claim: Claim) -> Claim:
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("person__unit")
        .get(pk=claim.pk)
    )


@transaction.atomic
def claim_forward(*, claim: Claim, user: User, opinion: str = "") -> Claim:
    """单位初审 passed: the unit's administrator sends the claim on to its office."""
    locked = _lock(claim)
    require(may_screen_claim(user.scope, locked))
    locked.status = Claim.Status.PENDING
    locked.save(update_fields=["status"])
    _step(
        locked,
        ClaimStep.Action.FORWARDED,
        user=user,
        opinion=opinion.strip() or _("Screened; forwarded to the office."),
    )
    return locked


@transaction.atomic
def claim_return(*, claim: Claim, user: User, opinion: str) -> Claim:
    """退回修改: back to the professional with the reason, for correction."""
    opinion = opinion.strip()
    if not opinion:
        raise ValidationError({"opinion": _("Say what the professional must correct.")})
    locked = _lock(claim)
    require(may_return_claim(user.scope, locked))
    locked.status = Claim.Status.RETURNED
    locked.save(update_fields=["status"])
    _step(locked, ClaimStep.Action.RETURNED, user=user, opinion=opinion)
    return locked


def evidence_content(*, evidence: Evidence) -> bytes:
    """The clear content of a stored evidence file. Callers must have fetched the evidence
    through the asker's scope (claim_get_for_user); this is the only place that decrypts."""
    with evidence.file.open("rb") as stored:
        data = stored.read()
    # Files stored before evidence was encrypted are encrypted in place by migration
    # credits.0004; until it has run on a copy, read them as they are.
    content = crypto.decrypt_bytes(data) if crypto.is_encrypted(data) else data
    if hashlib.sha256(content).hexdigest() != evidence.sha256:
        raise ValueError(f"Evidence {evidence.pk}: stored content does not match its SHA-256.")
    return content


def _lock_pending(claim: Claim, user: User) -> Claim:
    locked = _lock(claim)
    require(may_review_claim(user.scope, locked))
    return locked


@transaction.atomic
def claim_approve(*, claim: Claim, officer: User, opinion: str) -> Claim:
    """Records the entry and marks the claim approved, once: the row lock serialises two
    officers clicking together, and the entry's unique source key refuses a second credit."""
    locked = _lock_pending(claim, officer)
    reviewer = Reviewer.of(officer)
    entry = entry_record(
        draft=EntryDraft(
            person_id=locked.person_id,
            year=locked.year,
            kind=locked.kind,
            params=locked.params,
            source=Source.CLAIM,
            source_key=f"claim:{locked.pk}",
            title=locked.title,
            # What the professional was given when they submitted it, not the internal id.
            source_label=_("Receipt number %(receipt)s") % {"receipt": locked.receipt_no}
            if locked.receipt_no
            else "",
        ),
        reviewer=reviewer,
    )
    if entry is None:
        raise ValidationError(_("This claim has already been credited."))
    opinion = opinion.strip() or _("Approved.")
    updated = Claim.objects.filter(pk=locked.pk, status=Claim.Status.PENDING).update(
        status=Claim.Status.APPROVED,
        entry=entry,
        reviewed_by=officer,
        reviewer_name=reviewer.name,
        reviewer_org=reviewer.organisation,
        opinion=opinion[:500],
        reviewed_at=entry.recorded_at,
    )
    if updated != 1:  # pragma: no cover - the lock above makes this unreachable
        raise ValidationError(_("This claim has already been credited."))
    locked.refresh_from_db()
    _step(locked, ClaimStep.Action.APPROVED, user=officer, opinion=opinion)
    return locked


def _needs_its_own_review(claim: Claim) -> str:
    """Why a claim may not be approved among many, unseen: what the officer's claim page shows
    before approval (the same item already on the ledger or in another claim, a credit cut
    below the claimed hours or to 0, an earlier entry it would lower, the number held by
    someone else at the same rank, a missing number) must be seen and decided on its own."""
    from apps.credits.selectors import claim_assess

    assessment = claim_assess(claim=claim)
    credit = assessment.credit
    if credit is None:
        return "；".join(assessment.problems)
    reasons = []
    if assessment.missing_number:
        reasons.append(_("the claim gives no item number"))
    if assessment.same_item:
        reasons.append(_("the same item is already on this person's ledger"))
    if assessment.twins:
        reasons.append(_("another claim of this person is for the same item"))
    if credit.hours < credit.nominal or credit.hours == 0:
        reasons.append(
            _("approval would credit %(hours)s of the %(nominal)s hours claimed")
            % {"hours": credit.hours, "nominal": credit.nominal}
        )
    if assessment.lowered:
        reasons.append(_("approval would lower hours already credited"))
    if assessment.others_at_same_rank:
        reasons.append(_("another person holds the same number at the same rank"))
    if not reasons:
        return ""
    return _("Open the claim and decide it on its own: %(why)s.") % {"why": "；".join(reasons)}


@dataclass(frozen=True)
class BulkOutcome:
    approved: list[Claim]
    failed: list[tuple[str, str]]  # (the claim's receipt number, or the id sent; reason)


def claims_approve_bulk(*, claim_ids: list[int], officer: User, opinion: str) -> BulkOutcome:
    """Approves several screened claims, each in its own transaction: one that cannot be
    approved (decided meanwhile, invalid, another office's) or that needs to be seen on its own
    (`_needs_its_own_review`: a duplicate, a credit below the claim, ...) is listed with the
    reason and the others go through. Each is credited once (the entry's source key)."""
    from apps.credits.selectors import claims_visible_to

    approved: list[Claim] = []
    failed: list[tuple[str, str]] = []
    visible = {
        claim.pk: claim for claim in claims_visible_to(user=officer).filter(pk__in=claim_ids)
    }
    for pk in dict.fromkeys(claim_ids):
        claim = visible.get(pk)
        if claim is None:
            failed.append((str(pk), _("No such claim in your jurisdiction.")))
            continue
        if claim.status == Claim.Status.PENDING:
            why = _needs_its_own_review(claim)
            if why:
                failed.append((claim.receipt_no or str(pk), why))
                continue
        try:
            approved.append(claim_approve(claim=claim, officer=officer, opinion=opinion))
        except ValidationError as exc:
            failed.append((claim.receipt_no or str(pk), "；".join(exc.messages)))
    return BulkOutcome(approved=approved, failed=failed)


@transaction.atomic
def claim_reject(*, claim: Claim, officer: User, opinion: str) -> Claim:
    opinion = opinion.strip()
    if not opinion:
        raise ValidationError({"opinion": _("Say why the claim is rejected.")})
    locked = _lock_pending(claim, officer)
    reviewer = Reviewer.of(officer)
    Claim.objects.filter(pk=locked.pk, status=Claim.Status.PENDING).update(
        status=Claim.Status.REJECTED,
        reviewed_by=officer,
        reviewer_name=reviewer.name,
        reviewer_org=reviewer.organisation,
        opinion=opinion[:500],
        reviewed_at=timezone.now(),
    )
    locked.refresh_from_db()
    _step(locked, ClaimStep.Action.REJECTED, user=officer, opinion=opinion)
    return locked


@transaction.atomic
def claim_withdraw(*, claim: Claim, person: Person) -> Claim:
    locked = Claim.objects.select_for_update().get(pk=claim.pk, person=person)
    require(may_withdraw_claim(Scope("person", person.pk), locked))
    locked.status = Claim.Status.WITHDRAWN
    locked.save(update_fields=["status"])
    _step(locked, ClaimStep.Action.WITHDRAWN, user=_account(person), person=person)
    return locked
