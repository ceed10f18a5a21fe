"""Invalid input: every problem is reported at once, in Chinese, naming the field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from apps.rules import InvalidCase, Problem, parse_case, validate_activity

from .support import SAMPLE_PARAMS

# The kinds that take parameters, each with a valid set.
VALID: dict[str, dict[str, Any]] = {
    kind: params for kind, params in SAMPLE_PARAMS.items() if params
}


def problems(activities: list[Any], **case: Any) -> tuple[Problem, ...]:
    with pytest.raises(InvalidCase) as caught:
        parse_case({"person": {"industry": "general"}, "activities": activities, **case})
    return caught.value.problems


def one(activity: dict[str, Any]) -> Problem:
    found = problems([{"id": "a1", "year": 2021, **activity}])
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("kind", "name"), [(kind, name) for kind, params in VALID.items() for name in params]
)
def test_it_rejects_a_missing_parameter(kind: str, name: str) -> None:
    params = {k: v for k, v in VALID[kind].items() if k != name}
    problem = one({"kind": kind, **params})
    assert problem.id == "a1"
    assert problem.field == name
    assert problem.message in {f"缺少参数 {name}"}


@pytest.mark.parametrize("kind", list(VALID))
def test_it_accepts_the_valid_samples(kind: str) -> None:
    assert validate_activity({"kind": kind, "year": 2021, **VALID[kind]}).kind == kind


@pytest.mark.parametrize(
    ("activity", "field", "message"),
    [
        ({"kind": "invention_patent", "rank": 0}, "rank", "参数 rank 必须是不小于 1 的整数"),
        ({"kind": "utility_patent", "rank": -2}, "rank", "参数 rank 必须是不小于 1 的整数"),
        (
            {"kind": "new_technology", "level": "national", "rank": 0},
            "rank",
            "参数 rank 必须是不小于 1 的整数",
        ),
        (
            {"kind": "research_project", "level": "city", "role": "main", "rank": 1.5},
            "rank",
            "参数 rank 必须是不小于 1 的整数",
        ),
        ({"kind": "invention_patent", "rank": True}, "rank", "参数 rank 必须是不小于 1 的整数"),
        ({"kind": "invention_patent", "rank": "1"}, "rank", "参数 rank 必须是不小于 1 的整数"),
        (
            {"kind": "provincial_award", "grade": 0, "rank": 1},
            "grade",
            "参数 grade 必须是 1 到 3 之间的整数",
        ),
        (
            {"kind": "city_award", "grade": 4, "rank": 1},
            "grade",
            "参数 grade 必须是 1 到 3 之间的整数",
        ),
        ({"kind": "organized_training", "hours": -1}, "hours", "参数 hours 不能为负数"),
        ({"kind": "base_training", "hours": -0.5}, "hours", "参数 hours 不能为负数"),
        ({"kind": "self_study", "hours": "10"}, "hours", "参数 hours 必须是不小于 0 的数"),
        (
            {"kind": "self_study", "hours": 10, "subject": "math"},
            "subject",
            "参数 subject 必须是以下之一：professional、public",
        ),
        ({"kind": "medical_credit", "credits": -3}, "credits", "参数 credits 不能为负数"),
        ({"kind": "degree_course", "courses": -1}, "courses", "参数 courses 必须是不小于 0 的整数"),
        ({"kind": "book", "chars": -1}, "chars", "参数 chars 必须是不小于 0 的整数"),
        (
            {"kind": "national_conference", "paper_chars": -5},
            "paper_chars",
            "参数 paper_chars 必须是不小于 0 的整数",
        ),
        (
            {"kind": "ministry_training", "hours": 10, "days": -1},
            "days",
            "参数 days 必须是不小于 0 的整数",
        ),
        ({"kind": "ministry_training", "hours": -10, "days": 1}, "hours", "参数 hours 不能为负数"),
        ({"kind": "key_teacher", "hours": 50}, "hours", "参数 hours 必须是 40、72、120 之一"),
        ({"kind": "key_teacher", "hours": "40"}, "hours", "参数 hours 必须是 40、72、120 之一"),
        (
            {"kind": "research_project", "level": "district", "role": "main", "rank": 1},
            "level",
            "参数 level 必须是以下之一：national、provincial、city",
        ),
        (
            {"kind": "research_project", "level": "city", "role": "lead", "rank": 1},
            "role",
            "参数 role 必须是以下之一：main、sub",
        ),
        (
            {"kind": "paper", "journal": "intl", "chars": 1, "indexed": False, "paper_id": "p"},
            "journal",
            "参数 journal 必须是以下之一：national、provincial",
        ),
        (
            {"kind": "paper", "journal": "national", "chars": 1, "indexed": "yes", "paper_id": "p"},
            "indexed",
            "参数 indexed 必须是 true 或 false",
        ),
        (
            {"kind": "paper", "journal": "national", "chars": 1, "indexed": False, "paper_id": [1]},
            "paper_id",
            "参数 paper_id 必须是非空字符串",
        ),
        (
            {"kind": "invention_patent", "rank": 1, "patent_no": {"no": 1}},
            "patent_no",
            "参数 patent_no 必须是非空字符串",
        ),
        (
            {"kind": "city_award", "grade": 1, "rank": 0},
            "rank",
            "参数 rank 必须是不小于 1 的整数",
        ),
        (
            {"kind": "new_technology", "level": "city", "rank": 1},
            "level",
            "参数 level 必须是以下之一：international、national、provincial",
        ),
        ({"kind": "public_course", "topic": ["x"]}, "topic", "参数 topic 必须是非空字符串"),
        ({"kind": "organized_training", "hours": 1e300}, "hours", "参数 hours 不能大于 1000000"),
        ({"kind": "teleportation"}, "kind", "未知的活动类型 kind：teleportation"),
        ({"kind": 7}, "kind", "未知的活动类型 kind：7"),
        ({"teacher": True}, "kind", "缺少活动类型 kind"),
    ],
)
def test_it_rejects_a_bad_parameter(activity: dict[str, Any], field: str, message: str) -> None:
    problem = one(activity)
    assert (problem.field, problem.message) == (field, message)


@pytest.mark.parametrize("hours", [40, 40.0, Decimal("72.0"), 120])
def test_it_accepts_key_teacher_hours_in_the_list(hours: object) -> None:
    assert validate_activity({"kind": "key_teacher", "year": 2021, "hours": hours})


@pytest.mark.parametrize("bad_year", [None, "2021", 2021.5, True, 1989, 2101, -1, 0])
def test_it_rejects_a_bad_year(bad_year: object) -> None:
    activity: dict[str, Any] = {"id": "a1", "kind": "teacher_training"}
    if bad_year is not None:
        activity["year"] = bad_year
    (problem,) = problems([activity])
    assert problem.field == "year"
    assert problem.id == "a1"
    if bad_year is None:
        assert problem.message == "缺少字段 year"
    else:
        assert problem.message == "字段 year 必须是 1990 到 2100 之间的整数年份"


def test_it_rejects_duplicate_ids() -> None:
    found = problems(
        [
            {"id": "a1", "kind": "teacher_training", "year": 2021},
            {"id": "a1", "kind": "teacher_training", "year": 2022},
        ]
    )
    assert [(p.id, p.code) for p in found] == [("a1", "duplicate_id")]
    assert "a1" in found[0].message


@pytest.mark.parametrize("bad_id", [None, "", True, 1.5, ["a"]])
def test_it_rejects_a_missing_or_bad_id(bad_id: object) -> None:
    activity: dict[str, Any] = {"kind": "teacher_training", "year": 2021}
    if bad_id is not None:
        activity["id"] = bad_id
    (problem,) = problems([activity])
    assert problem.id is None
    assert problem.field == "id"
    assert problem.message.startswith("第 1 项活动：")


def test_it_accepts_integer_ids() -> None:
    case = parse_case({"activities": [{"id": 7, "kind": "teacher_training", "year": 2021}]})
    assert case.activities[0].id == 7


def test_it_accepts_every_kind_without_its_item_number() -> None:
    for kind in ("qualification_cert", "invention_patent", "research_project", "paper"):
        activity = validate_activity({"kind": kind, "year": 2021, **SAMPLE_PARAMS[kind]})
        assert activity.kind == kind
    blank = validate_activity({"kind": "qualification_cert", "year": 2021, "cert_no": "  "})
    assert blank.params == validate_activity({"kind": "qualification_cert", "year": 2021}).params


def test_it_refuses_an_award_without_its_rank() -> None:
    problem = one({"kind": "provincial_award", "grade": 1, "award_no": "X"})
    assert (problem.field, problem.message) == ("rank", "缺少参数 rank")


def test_it_collects_every_problem_at_once() -> None:
    found = problems(
        [
            {"id": "a1", "kind": "invention_patent", "year": 2021, "rank": 0},
            {"id": "a2", "kind": "nope", "year": "2021"},
            {"id": "a3", "kind": "paper", "year": 2021, "journal": "national"},
            "not an object",
            {"id": "a1", "kind": "teacher_training", "year": 2021},
        ],
        years=[2021, "x"],
        cycle={"start": 2022, "end": 2021},
    )
    assert [(p.id, p.field) for p in found] == [
        ("a1", "rank"),
        ("a2", "year"),
        ("a2", "kind"),
        ("a3", "chars"),
        ("a3", "indexed"),
        (None, None),
        ("a1", "id"),
        (None, "years"),
        (None, "cycle.end"),
    ]


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ({}, "activities", "缺少字段 activities"),
        ({"activities": {}}, "activities", "字段 activities 必须是数组"),
        ({"activities": [], "person": []}, "person", "person 必须是 JSON 对象"),
        (
            {"activities": [], "person": {"industry": 3}},
            "person.industry",
            "字段 person.industry 必须是字符串",
        ),
        (
            {"activities": [], "person": {"transferred_in_year": "2019"}},
            "person.transferred_in_year",
            "字段 person.transferred_in_year 必须是 1990 到 2100 之间的整数年份",
        ),
        ({"activities": [], "years": 2021}, "years", "字段 years 必须是年份数组"),
        (
            {"activities": [], "years": [2021, 3000]},
            "years",
            "字段 years 第 2 项必须是 1990 到 2100 之间的整数年份",
        ),
        ({"activities": [], "cycle": [2020, 2021]}, "cycle", "字段 cycle 必须是 JSON 对象"),
        ({"activities": [], "cycle": {"start": 2020}}, "cycle.end", "缺少字段 cycle.end"),
        (
            {"activities": [], "cycle": {"start": 2021, "end": 2020}},
            "cycle.end",
            "字段 cycle.end 不能早于 cycle.start",
        ),
    ],
)
def test_it_rejects_a_bad_case(case: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(InvalidCase) as caught:
        parse_case(case)
    assert [(p.field, p.message) for p in caught.value.problems] == [(field, message)]


def test_it_rejects_a_case_that_is_not_an_object() -> None:
    with pytest.raises(InvalidCase) as caught:
        parse_case([])
    assert caught.value.problems[0].message == "输入必须是 JSON 对象"


def test_it_ignores_unknown_extra_fields() -> None:
    case = parse_case(
        {
            "activities": [{"id": "a", "kind": "teacher_training", "year": 2021, "note": "x"}],
            "comment": "hand-made",
        }
    )
    assert len(case.activities) == 1


def test_it_defaults_person_and_self_study_subject() -> None:
    case = parse_case({"activities": [{"id": "a", "kind": "self_study", "year": 2021, "hours": 3}]})
    assert case.person.industry is None
    assert case.person.transferred_in_year is None
    assert validate_activity({"kind": "self_study", "year": 2021, "hours": 3, "subject": None})
