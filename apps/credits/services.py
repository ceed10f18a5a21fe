"""Writes on the ledger. Rosters, the public course, claims and corrections all record through
`entries_record`, so hours always come from the rules engine and nothing is credited twice."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps import rules
from apps.accounts.models import User
from apps.credits.ledger import entry_value, person_years_refresh
from apps.credits.models import LedgerEntry, Source
from apps.people.models import Person


@dataclass(frozen=True)
class EntryDraft:
    """One item to credit. `source_key` names the item (a roster row, an exam result, a claim),
    so recording the same item twice credits it once."""

    person_id: int
    year: int
    kind: str
    source: str
    source_key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""
    source_label: str = ""
    occurred_on: date | None = None  # when the activity took place, where known


@dataclass(frozen=True)
class Reviewer:
    """Who recorded the entries, as the booklet shows them (审核人, 审核单位)."""

    name: str
    organisation: str
    user: User | None = None

    @classmethod
    def of(cls, user: User) -> Reviewer:
        return cls(name=user.full_name, organisation=user.organisation_name, user=user)


def _problems_message(exc: rules.InvalidCase) -> str:
    return "；".join(problem.message for problem in exc.problems)


@transaction.atomic
def entries_record(*, drafts: Sequence[EntryDraft], reviewer: Reviewer) -> list[LedgerEntry]:
    """Values every draft with the rules engine and appends the new ones; returns those created.

    Drafts whose `source_key` is already in the ledger are skipped (idempotent re-imports).
    Invalid drafts raise `ValidationError` naming the draft, and nothing is written.
    """
    keys = [d.source_key for d in drafts]
    if len(set(keys)) != len(keys):
        raise ValidationError(_("The same item appears twice in one recording."))
    known = set(
        LedgerEntry.objects.filter(source_key__in=keys).values_list("source_key", flat=True)
    )
    now = timezone.now()
    new: list[LedgerEntry] = []
    problems: list[str] = []
    for draft in drafts:
        if draft.source_key in known:
            continue
        try:
            nominal = entry_value(kind=draft.kind, year=draft.year, params=draft.params)
        except rules.InvalidCase as exc:
            problems.append(f"{draft.source_label or draft.source_key}：{_problems_message(exc)}")
            continue
        new.append(
            LedgerEntry(
                person_id=draft.person_id,
                year=draft.year,
                kind=draft.kind,
                subject=str(nominal.subject),
                params=dict(draft.params),
                hours=nominal.hours,
                note=nominal.note[:300],
                title=draft.title[:200],
                source=draft.source,
                source_key=draft.source_key,
                source_label=draft.source_label[:200],
                reviewer_name=reviewer.name,
                reviewer_org=reviewer.organisation,
                recorded_by=reviewer.user,
                occurred_on=draft.occurred_on,
                recorded_at=now,
            )
        )
    if problems:
        raise ValidationError(problems)
    # A concurrent recording of the same key loses quietly to the unique index.
    created = LedgerEntry.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    person_years_refresh(person_ids={entry.person_id for entry in new})
    return created


def entry_record(*, draft: EntryDraft, reviewer: Reviewer) -> LedgerEntry | None:
    """Records one item; returns None when it was already recorded."""
    created = entries_record(drafts=[draft], reviewer=reviewer)
    if not created:
        return None
    return LedgerEntry.objects.get(source_key=draft.source_key)


@transaction.atomic
def entry_reverse(*, entry: LedgerEntry, reason: str, reviewer: Reviewer) -> LedgerEntry:
    """Takes an entry's hours back with a correcting entry; the original stays as it was."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    # Lock the person so two corrections of one entry queue up; the one-to-one
    # `reverses` column refuses the second anyway.
    Person.objects.select_for_update().filter(pk=entry.person_id).first()
    if entry.is_correction:
        raise ValidationError(_("A correction cannot itself be reversed."))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been reversed."))
    correction = LedgerEntry.objects.create(
        person_id=entry.person_id,
        year=entry.year,
        kind=entry.kind,
        subject=entry.subject,
        params=entry.params,
        hours=-entry.hours,
        note=entry.note,
        title=entry.title,
        occurred_on=entry.occurred_on,
        source=Source.CORRECTION,
        source_label=entry.source_label,
        reviewer_name=reviewer.name,
        reviewer_org=reviewer.organisation,
        recorded_by=reviewer.user,
        reverses=entry,
        reason=reason[:300],
    )
    person_years_refresh(person_ids=[entry.person_id])
    return correction
