"""Small helpers shared by the rules tests (no Django, no database)."""

from __future__ import annotations

import itertools
from typing import Any

from apps.rules import DEFAULT_TABLE, RuleTable, evaluate, evaluation_to_json, parse_case

_ids = itertools.count(1)

# One valid set of required parameters for every kind (an empty dict: the kind takes none).
# Item numbers (cert_no, patent_no, award_no, item_no, project_no, paper_id) are optional.
SAMPLE_PARAMS: dict[str, dict[str, Any]] = {
    "public_course": {"topic": "t"},
    "computer_training": {"module": "m"},
    "computer_exam": {"module": "m"},
    "language_training": {"language": "英语"},
    "language_exam": {"language": "英语"},
    "ministry_training": {"hours": 10, "days": 3},
    "organized_training": {"hours": 10},
    "base_training": {"hours": 10},
    "degree_course": {"courses": 1},
    "self_study": {"hours": 10},
    "national_conference": {"paper_chars": 0},
    "provincial_conference": {"paper_chars": 0},
    "research_project": {"level": "city", "role": "sub", "rank": 1},
    "book": {"chars": 20000},
    "paper": {"journal": "provincial", "chars": 1000, "indexed": False},
    "aid_service": {},
    "qualification_cert": {},
    "teacher_training": {},
    "key_teacher": {"hours": 72},
    "principal_training": {},
    "invention_patent": {"rank": 1},
    "utility_patent": {"rank": 1},
    "provincial_award": {"grade": 1, "rank": 1},
    "city_award": {"grade": 3, "rank": 1},
    "new_technology": {"level": "national", "rank": 1},
    "medical_credit": {"credits": 1},
    "paper_booklet": {"hours": 24, "subject": "public"},
}


def act(kind: str, year: int = 2021, id: str | None = None, **params: Any) -> dict[str, Any]:
    """One activity as in the JSON contract; ids are unique unless given."""
    return {"id": id or f"x{next(_ids)}", "kind": kind, "year": year, **params}


def run(
    activities: list[dict[str, Any]],
    *,
    years: list[int] | None = None,
    cycle: tuple[int, int] | None = None,
    industry: str | None = "general",
    transferred_in_year: int | None = None,
    table: RuleTable = DEFAULT_TABLE,
) -> dict[str, Any]:
    """Parses and evaluates a case, returning the JSON document as the command prints it."""
    data: dict[str, Any] = {
        "person": {"industry": industry, "transferred_in_year": transferred_in_year},
        "activities": activities,
    }
    if years is not None:
        data["years"] = years
    if cycle is not None:
        data["cycle"] = {"start": cycle[0], "end": cycle[1]}
    return evaluation_to_json(evaluate(parse_case(data, table), table))


def hours(activity: dict[str, Any], **kw: Any) -> float:
    """The final hours of a single activity evaluated on its own."""
    return float(run([activity], **kw)["credits"][0]["hours"])


def credit(document: dict[str, Any], activity_id: str) -> dict[str, Any]:
    return next(c for c in document["credits"] if c["id"] == activity_id)


def codes(document: dict[str, Any], activity_id: str) -> list[str]:
    return [r["code"] for r in credit(document, activity_id)["reasons"]]


def year(document: dict[str, Any], y: int) -> dict[str, Any]:
    return document["years"][str(y)]  # type: ignore[no-any-return]
