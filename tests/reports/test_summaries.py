"""The summaries behind the reports: everyone counted, kept current after every change of hours."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.people.models import Unit
from apps.reports.models import (
    ComplianceGroup,
    ComplianceRollup,
    ComplianceUnitYear,
    PersonYearFact,
    SummaryRefresh,
)
from apps.reports.summaries import facts_refresh, report_years, summaries_refresh
from tests.factories import UnitFactory, make_person
from tests.reports.helpers import credit

pytestmark = pytest.mark.django_db


def _fact(person, year):
    return PersonYearFact.objects.get(person=person, year=year)


def test_it_counts_someone_with_no_hours_as_short_in_every_year(person):
    summaries_refresh()
    facts = PersonYearFact.objects.filter(person=person)
    assert [f.year for f in facts.order_by("year")] == report_years()
    fact = _fact(person, 2024)
    assert (fact.compliant, fact.total, fact.shortfall_public, fact.shortfall_professional) == (
        False,
        Decimal(0),
        Decimal(30),
        Decimal(60),
    )
    group = ComplianceGroup.objects.get(year=2024, unit=person.unit)
    assert (group.people, group.compliant, group.no_hours) == (1, 0, 1)
    assert (group.short_public, group.short_professional, group.short_both) == (1, 1, 1)


def test_it_takes_the_year_totals_of_the_ledger(person):
    credit(person, 2024, public=30, professional=60)
    credit(person, 2023, public=30, professional=20)
    summaries_refresh()
    assert _fact(person, 2024).compliant
    short = _fact(person, 2023)
    assert (short.compliant, short.shortfall_professional, short.shortfall) == (
        False,
        Decimal(40),
        Decimal(40),
    )
    assert ComplianceGroup.objects.get(year=2024, unit=person.unit).public_sum == Decimal(30)


def test_it_brings_the_summaries_up_to_date_when_hours_are_recorded(person, other_person):
    summaries_refresh()
    credit(person, 2024, public=30, professional=60)
    assert _fact(person, 2024).compliant
    group = ComplianceGroup.objects.get(year=2024, unit=person.unit)
    assert (group.people, group.compliant, group.no_hours) == (1, 1, 0)
    # Other people's rows are untouched and still there.
    assert not _fact(other_person, 2024).compliant
    assert SummaryRefresh.objects.filter(kind="incremental").count() == 1


def test_it_counts_a_year_made_up_the_year_after(person):
    credit(person, 2023, public=30, professional=40)
    credit(person, 2024, public=30, professional=90)
    summaries_refresh()
    assert _fact(person, 2023).compliant and _fact(person, 2023).made_up
    assert _fact(person, 2024).made_up_previous
    assert ComplianceGroup.objects.get(year=2024, unit=person.unit).made_up_previous == 1


def test_it_keeps_provincial_units_out_of_the_city_scope(shushan):
    unit = UnitFactory(jurisdiction=shushan, affiliation=Unit.Affiliation.PROVINCIAL)
    provincial = make_person(unit=unit)
    summaries_refresh()
    assert not _fact(provincial, 2024).in_scope
    assert not ComplianceGroup.objects.get(year=2024, unit=unit).in_scope


def test_it_moves_a_person_to_the_new_units_groups(person, baohe):
    summaries_refresh()
    old_unit = person.unit
    person.unit = UnitFactory(jurisdiction=baohe)
    person.save()
    assert _fact(person, 2024).jurisdiction_id == baohe.pk
    assert not ComplianceGroup.objects.filter(unit=old_unit).exists()
    assert ComplianceGroup.objects.get(year=2024, unit=person.unit).people == 1


def test_it_follows_a_unit_moved_to_another_jurisdiction(person, baohe):
    summaries_refresh()
    unit = person.unit
    unit.jurisdiction = baohe
    unit.save()
    assert ComplianceGroup.objects.get(year=2024, unit=unit).jurisdiction_id == baohe.pk


def test_it_waits_for_the_first_full_rebuild(person):
    assert facts_refresh(person_ids=[person.pk]) == 0
    assert not PersonYearFact.objects.exists()


def test_it_rebuilds_to_the_same_figures(person, other_person):
    credit(person, 2024, public=30, professional=70)
    summaries_refresh()
    before = list(ComplianceGroup.objects.order_by("year", "unit_id").values_list())
    summaries_refresh()
    after = list(ComplianceGroup.objects.order_by("year", "unit_id").values_list())
    assert [row[1:] for row in before] == [row[1:] for row in after]


def _rollup():
    fields = ("year", "jurisdiction_id", "industry_id", "title_level", "in_scope", "people")
    rest = ("compliant", "no_hours", "short_public", "made_up_previous", "public_sum")
    return sorted(ComplianceRollup.objects.values_list(*fields, *rest))


def test_it_keeps_the_rollup_equal_to_a_full_rebuild(person, other_person, baohe):
    summaries_refresh()
    credit(person, 2024, public=30, professional=60)
    credit(other_person, 2023, public=30, professional=10)
    person.unit = UnitFactory(jurisdiction=baohe)
    person.save()
    kept = _rollup()
    summaries_refresh()
    assert kept == _rollup()
    assert any(row[1] == baohe.pk and row[0] == 2024 and row[6] == 1 for row in kept)


def _units():
    fields = ("year", "unit_id", "jurisdiction_id", "in_scope", "people", "compliant", "short")
    return sorted(ComplianceUnitYear.objects.values_list(*fields, "no_hours", "public_sum"))


def _units_summed_from_groups():
    from django.db.models import Sum

    rows = (
        ComplianceGroup.objects.values("year", "unit_id", "jurisdiction_id", "in_scope")
        .annotate(
            p=Sum("people"),
            c=Sum("compliant"),
            s=Sum("people") - Sum("compliant"),
            n=Sum("no_hours"),
            h=Sum("public_sum"),
        )
        .order_by()
    )
    return sorted(
        (
            *(r["year"], r["unit_id"], r["jurisdiction_id"], r["in_scope"]),
            *(r["p"], r["c"], r["s"], r["n"], Decimal(str(r["h"])).quantize(Decimal("0.1"))),
        )
        for r in rows
    )


def test_it_keeps_the_units_table_equal_to_its_groups_and_to_a_full_rebuild(
    person, other_person, baohe
):
    credit(other_person, 2024, public=30, professional=60)
    summaries_refresh()
    assert _units() == _units_summed_from_groups()
    old_unit = person.unit
    credit(person, 2024, public=30, professional=60)
    person.unit = UnitFactory(jurisdiction=baohe)
    person.save()
    kept = _units()
    assert kept == _units_summed_from_groups()
    assert not ComplianceUnitYear.objects.filter(unit=old_unit).exists()
    moved = ComplianceUnitYear.objects.get(year=2024, unit=person.unit)
    assert (moved.jurisdiction_id, moved.people, moved.short) == (baohe.pk, 1, 0)
    summaries_refresh()
    assert kept == _units()
