"""The year totals in the background: after a large write (once it has committed) and every
night; both idempotent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction

from apps.credits.ledger import person_years_refresh
from apps.credits.models import PersonYear, Source
from apps.credits.services import EntryDraft, Reviewer, entries_record
from apps.credits.tasks import person_years_refresh_all, person_years_refresh_task
from tests.factories import UnitFactory, make_person

REVIEWER = Reviewer(name="测试", organisation="测试单位")


def draft(person, year=2025, hours=40, key=""):
    return EntryDraft(
        person_id=person.pk,
        year=year,
        kind="organized_training",
        params={"hours": hours},
        source=Source.DEMO,
        source_key=f"tasks:{person.pk}:{year}:{key}",
    )


def rows():
    return sorted(PersonYear.objects.values_list("person_id", "year", "professional", "compliant"))


@pytest.fixture
def people(shushan):
    unit = UnitFactory(jurisdiction=shushan)
    return [make_person(unit=unit, name=f"甲{i}") for i in range(3)]


def test_it_refreshes_a_large_write_after_the_commit(
    people, settings, django_capture_on_commit_callbacks
):
    settings.CREDITS_REFRESH_INLINE_MAX = 2
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        assert entries_record(drafts=[draft(p) for p in people], reviewer=REVIEWER) == 3
    assert not PersonYear.objects.exists()  # not inside the write's transaction
    assert len(callbacks) == 1
    callbacks[0]()
    assert [r[2] for r in rows()] == [Decimal("40.0")] * 3


def test_it_refreshes_nothing_for_a_write_that_rolled_back(
    people, settings, django_capture_on_commit_callbacks
):
    settings.CREDITS_REFRESH_INLINE_MAX = 2
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        entries_record(drafts=[draft(p) for p in people], reviewer=REVIEWER)
        raise RuntimeError("the import fails later")
    assert callbacks == []
    assert not PersonYear.objects.exists()


def test_it_keeps_small_writes_in_their_own_transaction(people):
    entries_record(drafts=[draft(people[0])], reviewer=REVIEWER)
    assert [r[2] for r in rows()] == [Decimal("40.0")]


def test_it_changes_nothing_when_run_twice(people):
    entries_record(
        drafts=[draft(p, year=y, key=str(y)) for p in people for y in (2024, 2025)],
        reviewer=REVIEWER,
    )
    before = rows()
    assert person_years_refresh_task([p.pk for p in people]) == 6
    assert person_years_refresh_task([p.pk for p in people]) == 6
    assert rows() == before


def test_it_mends_every_total_at_night(people):
    entries_record(drafts=[draft(p) for p in people], reviewer=REVIEWER)
    expected = rows()
    PersonYear.objects.filter(person=people[1]).delete()
    PersonYear.objects.filter(person=people[2]).update(professional=Decimal("1.0"))
    assert person_years_refresh_all() == 3
    assert rows() == expected
    assert person_years_refresh_all() == 3
    assert rows() == expected


def test_it_rebuilds_all_or_nothing(people, monkeypatch):
    """A refresh that fails half-way leaves the totals as they were (one transaction)."""
    entries_record(drafts=[draft(p) for p in people], reviewer=REVIEWER)
    before = rows()
    from apps.credits import ledger

    def broken_insert(*args, **kwargs):
        raise RuntimeError("the database went away mid-write")

    monkeypatch.setattr(ledger, "insert_rows", broken_insert)
    with pytest.raises(RuntimeError):
        person_years_refresh(person_ids=[p.pk for p in people])
    assert rows() == before
