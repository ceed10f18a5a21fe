"""The crediting table is data: a setting change is a new RuleTable, not a code change."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from types import MappingProxyType

import pytest

from apps.rules import DEFAULT_TABLE, InvalidCase, RuleTable, parse_case, validate_activity
from apps.rules.table import DatedHours, Requirement

from .support import act, hours, run, year


def test_it_ships_the_numbers_of_design_section_4() -> None:
    t = DEFAULT_TABLE

    def ints(*values: Decimal | int) -> tuple[int, ...]:
        return tuple(int(v) for v in values)

    assert ints(t.public_course, t.computer_training, t.computer_exam) == (30, 24, 15)
    assert ints(t.language_training, t.language_exam, t.degree_course) == (120, 45, 15)
    assert ints(t.ministry_long_days, t.ministry_long_hours, t.self_study_cap) == (20, 120, 36)
    assert ints(*t.research_project["national"]["main"]) == (72, 60, 50, 40, 36)
    aid = t.aid_service
    assert ints(aid.hours, aid.hours_before, aid.before_year) == (90, 72, 2016)
    assert ints(*t.key_teacher_hours) == (40, 72, 120)
    assert t.default_requirement == Requirement(Decimal(60), Decimal(30))
    assert int(t.default_requirement.total) == 90
    assert t.once_per_person == frozenset()


def test_it_follows_a_changed_cap_and_pre_2016_value() -> None:
    table = replace(
        DEFAULT_TABLE,
        self_study_cap=Decimal(40),
        aid_service=DatedHours(Decimal(90), Decimal(80), 2016),
    )
    assert hours(act("self_study", hours=50), table=table) == 40.0
    assert hours(act("aid_service", year=2015), table=table) == 80.0


def test_it_validates_against_the_table_it_is_given() -> None:
    research = dict(DEFAULT_TABLE.research_project)
    research["district"] = MappingProxyType({"main": (Decimal(20),)})
    table: RuleTable = replace(DEFAULT_TABLE, research_project=MappingProxyType(research))
    claim = {
        "kind": "research_project",
        "year": 2021,
        "level": "district",
        "role": "main",
        "rank": 1,
    }
    with pytest.raises(InvalidCase):
        validate_activity(claim)
    assert validate_activity(claim, table)
    document = run([act("research_project", level="district", role="main", rank=1)], table=table)
    assert document["credits"][0]["hours"] == 20.0
    # A role the level does not have earns nothing, with the rank-beyond reason.
    document = run([act("research_project", level="district", role="sub", rank=1)], table=table)
    assert document["credits"][0]["hours"] == 0.0


def test_it_accepts_years_only_within_the_tables_range() -> None:
    table = replace(DEFAULT_TABLE, first_year=2010)
    case = {"activities": [{"id": "a", "kind": "teacher_training", "year": 2005}]}
    assert parse_case(case)
    with pytest.raises(InvalidCase):
        parse_case(case, table)


def test_it_takes_the_requirement_per_industry_from_the_table() -> None:
    table = replace(
        DEFAULT_TABLE, requirements={"construction": Requirement(Decimal(72), Decimal(30))}
    )
    activities = [act("public_course", topic="t"), act("organized_training", hours=70)]
    assert year(run(activities, industry="construction", table=table), 2021)["compliant"] is False
    assert year(run(activities, industry="general", table=table), 2021)["compliant"] is True
