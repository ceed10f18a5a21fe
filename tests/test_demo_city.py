"""`demo_city` (PostgreSQL only): a small generated city is consistent with the rules engine and
its constraints, though it was loaded with the foreign keys' triggers off."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection

from apps.credits.ledger import person_years_refresh
from apps.credits.models import LedgerEntry, PersonYear
from apps.demo.city import city_build
from apps.people.models import Person
from apps.reports.models import ComplianceRollup, PersonYearFact
from tests.dbowner import as_owner

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="demo_city writes with COPY"),
]

YEAR_FIELDS = [f.name for f in PersonYear._meta.fields if f.name not in ("id", "refreshed_at")]


def _rows(ids):
    return sorted(PersonYear.objects.filter(person_id__in=ids).values_list(*YEAR_FIELDS))


def test_it_builds_a_city_whose_year_totals_the_engine_agrees_with():
    with as_owner():  # like `manage.py demo_city`: the tables' owner rebuilds indexes and keys
        timings = city_build(people=300, years=[2023, 2024, 2025], units=20)
    assert timings["total_s"] > 0
    assert Person.objects.count() == 300
    assert LedgerEntry.objects.count() > 300 * 3
    # Every year total copied from a profile is what the engine computes from the entries.
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True)[:40])
    stored = _rows(ids)
    person_years_refresh(person_ids=ids)
    assert _rows(ids) == stored
    # The summaries were built: one fact per person and reporting year.
    years = PersonYearFact.objects.values("year").distinct().count()
    assert PersonYearFact.objects.count() == 300 * years
    assert ComplianceRollup.objects.exists()


def test_it_leaves_the_constraints_valid_and_the_triggers_on():
    with as_owner():
        city_build(people=120, years=[2024, 2025], units=10)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE contype = 'f' AND NOT convalidated "
            "AND conrelid::regclass::text IN "
            "('people_person', 'credits_ledgerentry', 'credits_personyear')"
        )
        assert cursor.fetchall() == []
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"
        # No ledger entry or year total points at a missing person.
        cursor.execute(
            "SELECT count(*) FROM credits_ledgerentry l "
            "LEFT JOIN people_person p ON p.id = l.person_id WHERE p.id IS NULL"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT count(*) FROM credits_personyear y "
            "LEFT JOIN people_person p ON p.id = y.person_id WHERE p.id IS NULL"
        )
        assert cursor.fetchone()[0] == 0
    # The append-only trigger is back: changing an entry is refused.
    entry = LedgerEntry.objects.first()
    with pytest.raises(IntegrityError, match="append-only"):
        LedgerEntry.objects.filter(pk=entry.pk).update(note="x")
