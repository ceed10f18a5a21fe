"""Writes on the ledger. Rosters, the public course, claims and corrections all record through
`entries_record`, so hours always come from the rules engine and nothing is credited twice."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps import rules
from apps.accounts.models import User
from apps.credits.ledger import entry_value, person_years_refresh
from apps.credits.models import LedgerEntry, Source
from apps.credits.tasks import person_years_refresh_later
from apps.people.models import Person
from hefei_cpe.bulk import insert_rows, values_in


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


# The columns `entries_record` writes, in order (COPY on PostgreSQL, see hefei_cpe.bulk).
ENTRY_FIELDS = (
    "person_id",
    "year",
    "kind",
    "subject",
    "params",
    "hours",
    "note",
    "title",
    "source",
    "source_key",
    "source_label",
    "reviewer_name",
    "reviewer_org",
    "recorded_by_id",
    "occurred_on",
    "recorded_at",
    "reason",
)


def _params_key(params: Mapping[str, Any]) -> str:
    return json.dumps(params, sort_keys=True, ensure_ascii=False)


@transaction.atomic
def entries_record(*, drafts: Sequence[EntryDraft], reviewer: Reviewer) -> int:
    """Values every draft with the rules engine and appends the new ones; returns how many.

    Drafts whose `source_key` is already in the ledger are skipped (idempotent re-imports),
    also when another transaction records the same key at the same moment. Invalid drafts
    raise `ValidationError` naming the draft, and nothing is written. Built for a whole
    roster at once: each distinct (kind, year, parameters) is valued once, the rows go in by
    COPY, and the year totals of everyone concerned are rebuilt in one pass.
    """
    keys = [d.source_key for d in drafts]
    if len(set(keys)) != len(keys):
        raise ValidationError(_("The same item appears twice in one recording."))
    known = {key for (key,) in values_in(LedgerEntry, "source_key", keys, ("source_key",))}
    now = timezone.now()
    values: dict[tuple[str, int, str], rules.Nominal | str] = {}
    rows: list[tuple[Any, ...]] = []
    problems: list[str] = []
    recorded_by = reviewer.user.pk if reviewer.user is not None else None
    for draft in drafts:
        if draft.source_key in known:
            continue
        key = (draft.kind, draft.year, _params_key(draft.params))
        if key not in values:
            try:
                values[key] = entry_value(kind=draft.kind, year=draft.year, params=draft.params)
            except rules.InvalidCase as exc:
                values[key] = _problems_message(exc)
        nominal = values[key]
        if isinstance(nominal, str):
            problems.append(f"{draft.source_label or draft.source_key}：{nominal}")
            continue
        rows.append(
            (
                draft.person_id,
                draft.year,
                draft.kind,
                str(nominal.subject),
                dict(draft.params),
                nominal.hours,
                nominal.note[:300],
                draft.title[:200],
                draft.source,
                draft.source_key,
                draft.source_label[:200],
                reviewer.name,
                reviewer.organisation,
                recorded_by,
                draft.occurred_on,
                now,
                "",
            )
        )
    if problems:
        raise ValidationError(problems)
    created = insert_rows(LedgerEntry, ENTRY_FIELDS, rows, skip_conflicts_on="source_key")
    if created:
        touched = {row[0] for row in rows}
        if len(touched) > settings.CREDITS_REFRESH_INLINE_MAX:
            # A large import: its totals are rebuilt by a worker after commit (reports lag by
            # seconds), so the upload's transaction stays short.
            person_years_refresh_later(person_ids=touched)
        else:
            person_years_refresh(person_ids=touched)
    return created


def entry_record(*, draft: EntryDraft, reviewer: Reviewer) -> LedgerEntry | None:
    """Records one item; returns None when it was already recorded."""
    if not entries_record(drafts=[draft], reviewer=reviewer):
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
