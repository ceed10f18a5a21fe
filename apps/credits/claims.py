"""Claims: a professional asks for an Attachment 3 activity to be credited; the officer of their
jurisdiction approves (recording a ledger entry) or rejects it with an opinion."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps import rules
from apps.accounts.models import User
from apps.accounts.scope import Scope, require
from apps.credits.evidence import CheckedFile
from apps.credits.ledger import entry_value
from apps.credits.models import Claim, Evidence, Source
from apps.credits.permissions import may_review_claim, may_withdraw_claim
from apps.credits.services import EntryDraft, Reviewer, entry_record
from apps.people import crypto
from apps.people.models import Person
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
    today_year: int | None = None,
) -> Claim:
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
    if not files:
        raise ValidationError({"evidence": _("Attach at least one evidence file.")})
    claim = Claim.objects.create(
        person=person,
        year=year,
        kind=kind,
        params=dict(params),
        title=title.strip()[:200],
        description=description.strip(),
        previewed_hours=nominal.hours,
        subject=str(nominal.subject),
    )
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
    return claim


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
    locked = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("person__unit")
        .get(pk=claim.pk)
    )
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
            source_label=_("Claim No. %(number)d") % {"number": locked.pk},
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
    return locked


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
    return locked


@transaction.atomic
def claim_withdraw(*, claim: Claim, person: Person) -> Claim:
    locked = Claim.objects.select_for_update().get(pk=claim.pk, person=person)
    require(may_withdraw_claim(Scope("person", person.pk), locked))
    locked.status = Claim.Status.WITHDRAWN
    locked.save(update_fields=["status"])
    return locked
