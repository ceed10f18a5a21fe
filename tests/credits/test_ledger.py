"""The ledger: hours from the engine, idempotent recording, append-only in the database itself,
and year totals that always agree with a rebuild from the entries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from apps.credits.ledger import person_years_expected, person_years_refresh
from apps.credits.models import LedgerEntry, PersonYear, Source
from apps.credits.services import EntryDraft, Reviewer, entries_record, entry_record, entry_reverse
from tests.dbowner import owner_credentials

REVIEWER = Reviewer(name="刘审核", organisation="蜀山区人力资源和社会保障局")


def draft(person, key, *, year=2024, kind="base_training", **params) -> EntryDraft:
    if kind == "base_training" and not params:
        params = {"hours": 40}
    return EntryDraft(
        person_id=person.pk,
        year=year,
        kind=kind,
        params=params,
        source=Source.ROSTER,
        source_key=key,
        source_label=f"测试 {key}",
    )


def test_it_takes_the_hours_from_the_rules_engine(person):
    entry = entry_record(
        draft=draft(person, "c1", kind="national_conference", paper_chars=2500), reviewer=REVIEWER
    )
    assert entry.hours == Decimal("14.0")
    assert entry.subject == "professional"
    assert entry.reviewer_name == "刘审核"
    assert entry.reviewer_org == "蜀山区人力资源和社会保障局"


def test_it_credits_an_item_once_however_often_it_is_recorded(person):
    entries_record(drafts=[draft(person, "r1"), draft(person, "r2", hours=8)], reviewer=REVIEWER)
    again = entries_record(
        drafts=[draft(person, "r1"), draft(person, "r2", hours=8)], reviewer=REVIEWER
    )
    assert again == 0
    assert LedgerEntry.objects.filter(person=person).count() == 2
    assert PersonYear.objects.get(person=person, year=2024).professional == Decimal("48.0")


def test_it_refuses_invalid_items_and_writes_nothing(person):
    with pytest.raises(ValidationError) as caught:
        entries_record(
            drafts=[draft(person, "ok"), draft(person, "bad", kind="invention_patent", rank=0)],
            reviewer=REVIEWER,
        )
    assert "测试 bad" in caught.value.messages[0]
    assert not LedgerEntry.objects.exists()


def test_it_keeps_year_totals_with_caps_and_make_up(person):
    entries_record(
        drafts=[
            draft(person, "a", year=2023, kind="public_course", topic="t1"),
            draft(person, "b", year=2023, hours=50),
            draft(person, "c", year=2024, kind="public_course", topic="t2"),
            draft(person, "d", year=2024, hours=70),
            draft(person, "e", year=2024, kind="self_study", hours=30),
            draft(person, "f", year=2024, kind="self_study", hours=30),
        ],
        reviewer=REVIEWER,
    )
    y2023 = PersonYear.objects.get(person=person, year=2023)
    y2024 = PersonYear.objects.get(person=person, year=2024)
    assert (y2023.public, y2023.professional) == (Decimal("30.0"), Decimal("50.0"))
    assert not y2023.compliant_before_make_up
    assert y2023.compliant and y2023.made_up  # 2024's surplus (106 - 60) makes up 10
    assert y2024.professional == Decimal("106.0")  # self-study capped at 36
    assert y2024.compliant


def test_it_agrees_with_a_rebuild_from_the_entries(person):
    entries_record(
        drafts=[
            draft(person, "a", year=2021, hours=61),
            draft(
                person,
                "b",
                year=2023,
                kind="paper",
                journal="national",
                chars=3000,
                indexed=False,
                paper_id="p1",
            ),
            draft(
                person,
                "c",
                year=2023,
                kind="paper",
                journal="provincial",
                chars=3000,
                indexed=False,
                paper_id="p1",
            ),
        ],
        reviewer=REVIEWER,
    )
    stored = [
        (y.year, y.public, y.professional, y.compliant)
        for y in PersonYear.objects.filter(person=person).order_by("year")
    ]
    assert stored == person_years_expected(person=person)
    assert [row[0] for row in stored] == [2021, 2022, 2023]  # the empty year between counts
    PersonYear.objects.all().delete()
    person_years_refresh(person_ids=[person.pk])
    rebuilt = [
        (y.year, y.public, y.professional, y.compliant)
        for y in PersonYear.objects.filter(person=person).order_by("year")
    ]
    assert rebuilt == stored


def test_a_correction_takes_the_hours_back_and_keeps_the_original(person):
    entry = entry_record(draft=draft(person, "r1"), reviewer=REVIEWER)
    correction = entry_reverse(entry=entry, reason="花名册重复登记", reviewer=REVIEWER)
    assert correction.hours == Decimal("-40.0")
    assert correction.reverses == entry
    assert LedgerEntry.objects.get(pk=entry.pk).hours == Decimal("40.0")
    assert PersonYear.objects.filter(person=person).count() == 0
    with pytest.raises(ValidationError):
        entry_reverse(entry=entry, reason="again", reviewer=REVIEWER)
    with pytest.raises(ValidationError):
        entry_reverse(entry=correction, reason="again", reviewer=REVIEWER)


def test_a_correction_needs_a_reason(person):
    entry = entry_record(draft=draft(person, "r1"), reviewer=REVIEWER)
    with pytest.raises(ValidationError):
        entry_reverse(entry=entry, reason="  ", reviewer=REVIEWER)


# --- the database refuses changes, whatever Django does ----------------------------------------


@pytest.fixture
def entry(person):
    return entry_record(draft=draft(person, "r1"), reviewer=REVIEWER)


def _refused(sql: str, params=()) -> None:
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)
    assert "append-only" in str(caught.value)


def test_the_database_refuses_an_update(entry):
    _refused("UPDATE credits_ledgerentry SET hours = 90 WHERE id = %s", [entry.pk])
    _refused("UPDATE credits_ledgerentry SET reviewer_name = 'x'")


def test_the_database_refuses_a_delete(entry):
    _refused("DELETE FROM credits_ledgerentry WHERE id = %s", [entry.pk])
    _refused("DELETE FROM credits_ledgerentry")


def test_the_database_refuses_a_truncate(entry):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite's DELETE FROM is covered above")
    with connection.cursor() as cursor:  # the test's own inserts leave deferred FK checks
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # The owner meets the trigger; the portal's role (CI) is not even granted TRUNCATE.
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cur:
        cur.execute("TRUNCATE credits_ledgerentry CASCADE")
    refusal = "permission denied" if owner_credentials() else "append-only"
    assert refusal in str(caught.value)


def test_django_cannot_change_an_entry_either(entry):
    entry.hours = Decimal("90.0")
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(reviewer_name="x")
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).hours == Decimal("40.0")


def test_the_database_refuses_a_malformed_correction(entry):
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            person=entry.person,
            year=2024,
            kind="base_training",
            subject="professional",
            hours=Decimal("-5.0"),
            source=Source.ROSTER,
            reviewer_name="x",
            reviewer_org="y",
        )


# --- the stored year totals always equal a rebuild from the entries ------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ITEMS = st.one_of(
    st.builds(lambda h: ("base_training", {"hours": h}), st.integers(1, 80)),
    st.builds(lambda h: ("self_study", {"hours": h}), st.integers(1, 40)),
    st.builds(lambda t: ("public_course", {"topic": t}), st.sampled_from(["甲", "乙"])),
    st.builds(
        lambda c, j: ("paper", {"journal": j, "chars": c, "indexed": False, "paper_id": "p"}),
        st.integers(1000, 9000),
        st.sampled_from(["national", "provincial"]),
    ),
    st.just(("aid_service", {})),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    items=st.lists(st.tuples(st.integers(2019, 2024), _ITEMS), max_size=12), reverse=st.booleans()
)
def test_year_totals_always_match_a_rebuild(person, items, reverse):
    token = f"h{LedgerEntry.objects.count()}"
    drafts = [
        draft(person, f"{token}:{n}", year=year, kind=kind, **params)
        for n, (year, (kind, params)) in enumerate(items)
    ]
    created = entries_record(drafts=drafts, reviewer=REVIEWER)
    if reverse and created:
        entry_reverse(
            entry=LedgerEntry.objects.get(source_key=drafts[0].source_key),
            reason="测试更正",
            reviewer=REVIEWER,
        )
    stored = [
        (y.year, y.public, y.professional, y.compliant)
        for y in PersonYear.objects.filter(person=person).order_by("year")
    ]
    assert stored == person_years_expected(person=person)


# --- recording under concurrency and item by item ------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_recordings_of_the_same_items_at_once_credit_once(person):
    import threading

    from django.db import connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    drafts = [draft(person, f"same:{n}", hours=10 + n) for n in range(50)]
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def record():
        try:
            barrier.wait()
            counts.append(entries_record(drafts=drafts, reviewer=REVIEWER))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 50
    assert LedgerEntry.objects.filter(person=person).count() == 50


def test_many_single_recordings_in_one_transaction(person):
    with transaction.atomic():
        for n in range(300):
            entry_record(draft=draft(person, f"one:{n}", hours=1), reviewer=REVIEWER)
    assert PersonYear.objects.get(person=person, year=2024).professional == Decimal("300.0")
