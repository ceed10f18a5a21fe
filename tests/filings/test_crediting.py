"""The roster's own ledger writer agrees with the ledger's: same entries as `entries_record`,
same year totals as `person_years_refresh`, whatever else the people have on their ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.credits.ledger import person_years_expected, person_years_refresh
from apps.credits.models import LedgerEntry, PersonYear, Source
from apps.credits.services import EntryDraft, Reviewer, entries_record
from apps.filings.crediting import roster_entries_record
from apps.filings.services import roster_check, roster_confirm
from apps.people.models import Person
from tests.factories import make_person, new_id_number
from tests.filings.support import TODAY, make_plan, row, xlsx_bytes

FIELDS = (
    "year",
    "kind",
    "subject",
    "params",
    "hours",
    "note",
    "title",
    "source",
    "source_label",
    "reviewer_name",
    "reviewer_org",
    "recorded_by_id",
    "occurred_on",
)


def _years(person_id):
    return list(
        PersonYear.objects.filter(person_id=person_id)
        .order_by("year")
        .values_list("year", "public", "professional", "compliant", "made_up")
    )


def _draft(person, key, kind, **params):
    return EntryDraft(
        person_id=person.pk,
        year=params.pop("year", 2026),
        kind=kind,
        source=Source.DEMO,
        source_key=key,
        params=params,
    )


@pytest.mark.parametrize("fast", [True, False], ids=["roster writer", "entries_record"])
def test_its_year_totals_are_the_ledgers_own(staff, fast):
    busy = make_person(name="忙碌")
    entries_record(
        drafts=[
            _draft(busy, "t:1", "public_course", topic="x", year=2025),
            _draft(busy, "t:2", "self_study", hours=40),
        ],
        reviewer=Reviewer(name="某", organisation="某局"),
    )
    plan = make_plan(staff=staff, hours="36")
    data = xlsx_bytes(
        [row(1, "忙碌", busy.reveal_id_number(), hours=36)]
        + [row(i, f"新人{i}", new_id_number(), hours=12 + i % 3) for i in range(2, 8)]
    )
    check = roster_check(plan=plan, user=staff, data=data, filename="a", today=TODAY)
    roster_confirm(upload=check.upload, user=staff, today=TODAY, fast_ledger=fast)
    people = list(plan.roster.values_list("person_id", flat=True))
    assert len(people) == 7
    totals = {pk: _years(pk) for pk in people}
    for person in Person.objects.filter(pk__in=people):
        expected = person_years_expected(person=person)
        assert [(y, pub, pro, ok) for y, pub, pro, ok, _made_up in totals[person.pk]] == expected
    assert [year for year, *_ in totals[busy.pk]] == [2025, 2026]
    person_years_refresh(person_ids=people)  # the ledger's own refresh changes nothing
    assert {pk: _years(pk) for pk in people} == totals


def test_both_writers_make_the_same_entries(staff):
    person_a, person_b = make_person(name="甲"), make_person(name="乙")
    reviewer = Reviewer.of(staff)

    def drafts(prefix, person):
        return [
            EntryDraft(
                person_id=person.pk,
                year=2026,
                kind="base_training",
                params={"hours": 17.5},
                source=Source.ROSTER,
                source_key=f"{prefix}:{person.pk}",
                title="培训",
                source_label="基地：培训",
                occurred_on=dt.date(2026, 5, 12),
            )
        ]

    assert roster_entries_record(drafts=drafts("fast", person_a), reviewer=reviewer) == 1
    entries_record(drafts=drafts("slow", person_b), reviewer=reviewer)
    fast = LedgerEntry.objects.filter(person=person_a).values(*FIELDS).get()
    slow = LedgerEntry.objects.filter(person=person_b).values(*FIELDS).get()
    assert fast == slow and fast["hours"] == Decimal("17.5")
    assert _years(person_a.pk) == _years(person_b.pk)
    # recorded again: skipped, as entries_record does
    assert roster_entries_record(drafts=drafts("fast", person_a), reviewer=reviewer) == 0


def test_it_refuses_invalid_drafts_and_writes_nothing(staff):
    person = make_person()
    bad = EntryDraft(
        person_id=person.pk,
        year=2026,
        kind="base_training",
        params={},
        source=Source.ROSTER,
        source_key="bad:1",
        source_label="某",
    )
    with pytest.raises(ValidationError):
        roster_entries_record(drafts=[bad], reviewer=Reviewer.of(staff))
    assert not LedgerEntry.objects.exists()
