"""Every Attachment 3 row on its own, with its boundary values (DESIGN.md section 4)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.rules import DEFAULT_TABLE, Subject, credit_activity, preview_activity, validate_activity

from .support import SAMPLE_PARAMS, act, codes, credit, hours, run


@pytest.mark.parametrize(
    ("activity", "expected", "subject"),
    [
        (act("public_course", topic="“十四五”大战略与2035远景目标"), 30.0, "public"),
        (act("computer_training", module="Word 2007"), 24.0, "professional"),
        (act("computer_exam", module="Word 2007"), 15.0, "professional"),
        (act("language_training", language="英语"), 120.0, "professional"),
        (act("language_exam", language="英语"), 45.0, "professional"),
        (act("organized_training", hours=32), 32.0, "professional"),
        (act("base_training", hours=17.5), 17.5, "professional"),
        (act("degree_course", courses=3), 45.0, "professional"),
        (act("degree_course", courses=0), 0.0, "professional"),
        (act("self_study", hours=20), 20.0, "professional"),
        (act("self_study", hours=20, subject="public"), 20.0, "public"),
        (act("self_study", hours=20, subject="professional"), 20.0, "professional"),
        (act("teacher_training"), 60.0, "professional"),
        (act("principal_training"), 120.0, "professional"),
        (act("key_teacher", hours=40), 40.0, "professional"),
        (act("key_teacher", hours=72), 72.0, "professional"),
        (act("key_teacher", hours=120), 120.0, "professional"),
        (act("medical_credit", credits=10), 30.0, "professional"),
        (act("medical_credit", credits=2.5), 7.5, "professional"),
        (act("paper_booklet", hours=30, subject="public"), 30.0, "public"),
        (act("paper_booklet", hours=62.5, subject="professional"), 62.5, "professional"),
    ],
)
def test_it_credits_the_fixed_rows(
    activity: dict[str, object], expected: float, subject: str
) -> None:
    document = run([activity])
    assert document["credits"][0]["hours"] == expected
    assert document["credits"][0]["subject"] == subject


def test_it_rounds_given_hours_half_up_to_one_place() -> None:
    assert hours(act("organized_training", hours=17.25)) == 17.3
    assert hours(act("organized_training", hours=17.24)) == 17.2
    assert hours(act("base_training", hours=0.05)) == 0.1


@pytest.mark.parametrize(
    ("days", "given", "expected"),
    [(1, 16, 16.0), (20, 100, 100.0), (21, 100, 120.0), (21, 160, 120.0), (45, 0, 120.0)],
)
def test_it_credits_ministry_training_120_from_the_21st_day(
    days: int, given: float, expected: float
) -> None:
    assert hours(act("ministry_training", hours=given, days=days)) == expected


@pytest.mark.parametrize(
    ("kind", "chars", "expected"),
    [
        ("national_conference", 0, 6.0),
        ("national_conference", 1, 11.0),
        ("national_conference", 2000, 11.0),
        ("national_conference", 2001, 14.0),
        ("national_conference", 2500, 14.0),
        ("provincial_conference", 0, 5.0),
        ("provincial_conference", 2000, 8.0),
        ("provincial_conference", 2001, 10.0),
    ],
)
def test_it_adds_the_paper_bonus_by_length(kind: str, chars: int, expected: float) -> None:
    assert hours(act(kind, paper_chars=chars)) == expected


RESEARCH = {
    ("national", "main"): [72, 60, 50, 40, 36],
    ("national", "sub"): [40, 35, 30],
    ("provincial", "main"): [72, 60, 50],
    ("provincial", "sub"): [30, 25, 20],
    ("city", "main"): [60, 50, 40],
    ("city", "sub"): [25, 20, 15],
}


@pytest.mark.parametrize(("level", "role"), list(RESEARCH))
def test_it_credits_research_projects_by_rank_and_nothing_beyond(level: str, role: str) -> None:
    ladder = RESEARCH[(level, role)]
    for rank, expected in enumerate(ladder, start=1):
        assert hours(act("research_project", level=level, role=role, rank=rank)) == expected
    beyond = act("research_project", id="late", level=level, role=role, rank=len(ladder) + 1)
    document = run([beyond])
    assert credit(document, "late")["hours"] == 0.0
    assert codes(document, "late") == ["rank_beyond_credited"]


def test_it_credits_a_research_project_in_every_year_of_work() -> None:
    work = [
        act("research_project", year=y, level="city", role="main", rank=1) for y in (2020, 2021)
    ]
    document = run(work)
    assert [c["hours"] for c in document["credits"]] == [60.0, 60.0]
    assert document["years"]["2020"]["professional"] == 60.0
    assert document["years"]["2021"]["professional"] == 60.0


@pytest.mark.parametrize(
    ("chars", "expected"),
    [(10000, 5.0), (15000, 7.5), (12345, 6.2), (12300, 6.2), (12100, 6.1), (100, 0.1), (99, 0.0)],
)
def test_it_credits_books_proportionally(chars: int, expected: float) -> None:
    # 12345 chars = 6.1725 -> 6.2; 12100 = 6.05 -> 6.1 (half-up); 99 = 0.0495 -> 0.0
    assert hours(act("book", chars=chars)) == expected


@pytest.mark.parametrize(
    ("journal", "chars", "indexed", "expected"),
    [
        ("national", 1000, False, 5.0),
        ("national", 2345, False, 11.7),  # 11.725
        ("national", 2350, False, 11.8),  # 11.75 half-up
        ("provincial", 1000, False, 3.0),
        ("provincial", 2050, False, 6.2),  # 6.15 half-up
        ("national", 2000, True, 40.0),  # 10 < 40
        ("national", 9000, True, 45.0),  # 45 > 40
        ("provincial", 14000, True, 42.0),
        ("national", 8000, True, 40.0),  # equal
    ],
)
def test_it_credits_papers_per_character_or_40_when_indexed(
    journal: str, chars: int, indexed: bool, expected: float
) -> None:
    paper = act("paper", journal=journal, chars=chars, indexed=indexed, paper_id="p")
    assert hours(paper) == expected


@pytest.mark.parametrize(
    ("year", "expected"), [(2014, 72.0), (2015, 72.0), (2016, 90.0), (2021, 90.0)]
)
def test_it_uses_the_pre_2016_value_for_aid_service(year: int, expected: float) -> None:
    document = run([act("aid_service", year=year)])
    assert document["credits"][0]["hours"] == expected
    assert document["years"][str(year)]["compliant"] is True
    assert document["years"][str(year)]["aid_service"] is True


@pytest.mark.parametrize(("year", "expected"), [(2015, 72.0), (2016, 90.0)])
def test_it_uses_the_pre_2016_value_for_qualification_cert(year: int, expected: float) -> None:
    document = run([act("qualification_cert", year=year)])
    assert document["credits"][0]["hours"] == expected
    # Unlike aid_service it does not make the year compliant: public hours are still missing.
    assert document["years"][str(year)]["compliant"] is False
    public = 24.0 if year < 2016 else 30.0  # 2016年前按照72学时审核: 24 public + 48
    assert document["years"][str(year)]["shortfall"] == {"public": public, "professional": 0.0}


@pytest.mark.parametrize(
    ("kind", "ladder"),
    [("invention_patent", [72, 60, 50]), ("utility_patent", [60, 50, 40])],
)
def test_it_credits_patents_by_rank_and_nothing_after_the_third(
    kind: str, ladder: list[int]
) -> None:
    for rank, expected in enumerate(ladder, start=1):
        assert hours(act(kind, rank=rank)) == expected
    document = run([act(kind, id="p4", rank=4)])
    assert credit(document, "p4")["hours"] == 0.0
    assert codes(document, "p4") == ["rank_beyond_credited"]


@pytest.mark.parametrize(
    ("kind", "ladder"),
    [("provincial_award", [72, 60, 40]), ("city_award", [60, 45, 36])],
)
def test_it_credits_awards_by_grade(kind: str, ladder: list[int]) -> None:
    for grade, expected in enumerate(ladder, start=1):
        assert hours(act(kind, grade=grade, rank=1)) == expected


@pytest.mark.parametrize(
    ("kind", "ladder"),
    [("provincial_award", [72, 60, 40]), ("city_award", [60, 45, 36])],
)
def test_it_credits_awards_at_the_lower_of_grade_and_rank(kind: str, ladder: list[int]) -> None:
    for grade in (1, 2, 3):
        for rank in (1, 2, 3):
            expected = min(ladder[grade - 1], ladder[rank - 1])
            assert hours(act(kind, grade=grade, rank=rank)) == expected, (grade, rank)
    document = run([act(kind, id="r4", grade=1, rank=4)])
    assert credit(document, "r4")["hours"] == 0.0
    assert codes(document, "r4") == ["rank_beyond_credited"]
    assert "按照排名顺序" in credit(document, "r4")["note"]


@pytest.mark.parametrize(
    ("level", "expected"), [("international", 60), ("national", 48), ("provincial", 36)]
)
def test_it_credits_new_technology_to_the_first_three_only(level: str, expected: int) -> None:
    for rank in (1, 2, 3):
        assert hours(act("new_technology", level=level, rank=rank)) == expected
    document = run([act("new_technology", id="n4", level=level, rank=4)])
    assert credit(document, "n4")["hours"] == 0.0
    assert codes(document, "n4") == ["rank_beyond_credited"]


def test_it_counts_once_only_kinds_per_item_not_per_person() -> None:
    # "一次性" is a lump sum per certificate / patent / award, not once in a lifetime.
    document = run(
        [
            act("qualification_cert", year=2019),
            act("qualification_cert", year=2021),
            act("invention_patent", year=2021, rank=1),
            act("invention_patent", year=2021, rank=1),
        ]
    )
    assert [c["hours"] for c in document["credits"]] == [90.0, 90.0, 72.0, 72.0]


def test_it_counts_once_per_person_when_the_table_says_so() -> None:
    from dataclasses import replace

    table = replace(DEFAULT_TABLE, once_per_person=frozenset({"qualification_cert"}))
    document = run(
        [
            act("qualification_cert", id="late", year=2021),
            act("qualification_cert", id="early", year=2015),
            act("qualification_cert", id="first", year=2019),
        ],
        table=table,
    )
    # Time order: 2015 counts 72 (the figure before 2016), 2019 tops up to 90, 2021 nothing.
    assert credit(document, "early")["hours"] == 72.0
    assert credit(document, "first")["hours"] == 18.0
    assert credit(document, "late")["hours"] == 0.0
    assert codes(document, "late") == ["once_per_person"]


def test_it_previews_one_claim_for_forms() -> None:
    nominal = preview_activity(
        {
            "kind": "paper",
            "year": 2021,
            "journal": "national",
            "chars": 3000,
            "indexed": False,
            "paper_id": "doi:1",
        }
    )
    assert nominal.hours == Decimal("15.0")
    assert nominal.subject is Subject.PROFESSIONAL
    assert "每 1000 字 5 学时" in nominal.note
    activity = validate_activity(
        {"kind": "self_study", "year": 2021, "hours": 8, "subject": "public"}
    )
    assert credit_activity(activity).subject is Subject.PUBLIC


def test_it_writes_a_chinese_note_for_every_kind() -> None:
    from apps.rules.table import KINDS

    assert set(SAMPLE_PARAMS) == set(KINDS)
    for kind, params in SAMPLE_PARAMS.items():
        nominal = preview_activity({"kind": kind, "year": 2021, **params})
        assert nominal.hours > 0, kind
        assert "学时" in nominal.note, kind
        assert not any(name in nominal.note for name in (kind, *params)), kind
