"""The year: self-study cap, either-or, paper dedupe, per-year kinds, exempt years, requirement."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from apps.rules import DEFAULT_TABLE, Requirement

from .support import act, codes, credit, run, year


def full_year(y: int = 2021, professional: float = 60) -> list[dict[str, object]]:
    return [
        act("public_course", year=y, topic="t"),
        act("organized_training", year=y, hours=professional),
    ]


# --- self-study cap -------------------------------------------------------------------------


def test_it_caps_all_self_study_of_a_year_at_36() -> None:
    document = run(
        [
            act("self_study", id="s1", hours=20),
            act("self_study", id="s2", hours=20),
            act("self_study", id="s3", hours=10),
        ]
    )
    assert [c["hours"] for c in document["credits"]] == [20.0, 16.0, 0.0]
    assert codes(document, "s1") == []
    assert codes(document, "s2") == ["self_study_cap"]
    assert codes(document, "s3") == ["self_study_cap"]
    assert year(document, 2021)["professional"] == 36.0


def test_it_caps_self_study_exactly_at_36_without_a_reason() -> None:
    document = run([act("self_study", id="s1", hours=36)])
    assert credit(document, "s1")["hours"] == 36.0
    assert codes(document, "s1") == []
    document = run([act("self_study", id="s1", hours=36.1)])
    assert credit(document, "s1")["hours"] == 36.0
    assert codes(document, "s1") == ["self_study_cap"]


def test_it_caps_self_study_per_year_not_over_years() -> None:
    document = run([act("self_study", year=2020, hours=36), act("self_study", year=2021, hours=36)])
    assert [c["hours"] for c in document["credits"]] == [36.0, 36.0]


def test_it_caps_both_subjects_together() -> None:
    document = run(
        [
            act("self_study", id="p", hours=30),
            act("self_study", id="q", hours=20, subject="public"),
        ]
    )
    assert year(document, 2021)["total"] == 36.0
    # Neither subject can be completed; the cap goes professional first.
    assert credit(document, "p")["hours"] == 30.0
    assert credit(document, "q")["hours"] == 6.0


def test_it_spends_the_cap_where_the_year_needs_it() -> None:
    # Professional is already complete, so public self-study is counted before professional.
    document = run(
        [
            act("organized_training", hours=60),
            act("self_study", id="a1", hours=30),
            act("self_study", id="a2", hours=30, subject="public"),
        ]
    )
    assert credit(document, "a2")["hours"] == 30.0
    assert credit(document, "a1")["hours"] == 6.0
    assert year(document, 2021)["compliant"] is True


def test_it_cuts_self_study_in_id_order_within_a_subject() -> None:
    document = run(
        [
            act("self_study", id="a10", hours=20),
            act("self_study", id="a2", hours=20),
        ]
    )
    # Natural order: a2 before a10.
    assert credit(document, "a2")["hours"] == 20.0
    assert credit(document, "a10")["hours"] == 16.0


# --- either-or ------------------------------------------------------------------------------


def test_it_counts_only_the_training_when_training_and_exam_of_one_module_meet() -> None:
    document = run(
        [
            act("computer_exam", id="e", module="Excel"),
            act("computer_training", id="t", module="Excel"),
        ]
    )
    assert credit(document, "t")["hours"] == 24.0
    assert credit(document, "e")["hours"] == 0.0
    assert codes(document, "e") == ["either_or"]


def test_it_keeps_different_modules_apart() -> None:
    document = run([act("computer_exam", module="Excel"), act("computer_training", module="Word")])
    assert [c["hours"] for c in document["credits"]] == [15.0, 24.0]


def test_it_keeps_either_or_within_one_year() -> None:
    document = run(
        [
            act("computer_training", year=2020, module="Excel"),
            act("computer_exam", year=2021, module="Excel"),
        ]
    )
    assert [c["hours"] for c in document["credits"]] == [24.0, 15.0]


def test_it_counts_one_module_once_a_year_even_for_two_trainings() -> None:
    document = run(
        [
            act("computer_training", id="b", module="Excel"),
            act("computer_training", id="a", module=" excel "),
        ]
    )
    assert credit(document, "a")["hours"] == 24.0
    assert credit(document, "b")["hours"] == 0.0
    assert codes(document, "b") == ["either_or"]


def test_it_applies_either_or_to_foreign_languages_per_language() -> None:
    document = run(
        [
            act("language_exam", id="en-exam", language="英语"),
            act("language_training", id="en", language="英语"),
            act("language_exam", id="ja", language="日语"),
        ]
    )
    assert credit(document, "en")["hours"] == 120.0
    assert credit(document, "en-exam")["hours"] == 0.0
    assert credit(document, "ja")["hours"] == 45.0
    assert year(document, 2021)["professional"] == 165.0


def test_it_keeps_the_higher_one_whichever_the_table_makes_higher() -> None:
    table = replace(DEFAULT_TABLE, computer_exam=Decimal(30))
    document = run(
        [act("computer_training", id="t", module="m"), act("computer_exam", id="e", module="m")],
        table=table,
    )
    assert credit(document, "e")["hours"] == 30.0
    assert credit(document, "t")["hours"] == 0.0


# --- the same paper -------------------------------------------------------------------------


def paper(**kw: Any) -> dict[str, Any]:
    defaults: dict[str, Any] = {"journal": "national", "chars": 2000, "indexed": False}
    return act("paper", **{**defaults, **kw})


def test_it_counts_the_same_paper_once_at_its_highest_credit() -> None:
    document = run(
        [
            paper(id="translation", journal="provincial", chars=3000, paper_id="P1"),
            paper(id="indexed", chars=3000, indexed=True, paper_id="P1"),
            paper(id="other", chars=3000, paper_id="P2"),
        ]
    )
    assert credit(document, "indexed")["hours"] == 40.0
    assert credit(document, "translation")["hours"] == 0.0
    assert codes(document, "translation") == ["same_paper"]
    assert credit(document, "other")["hours"] == 15.0


def test_it_lands_a_deduplicated_paper_in_the_year_of_its_highest_credit() -> None:
    document = run(
        [
            paper(id="first", year=2020, chars=2000, paper_id="P1"),
            paper(id="later", year=2021, chars=2000, indexed=True, paper_id="P1"),
        ]
    )
    assert year(document, 2020)["professional"] == 0.0
    assert year(document, 2021)["professional"] == 40.0


def test_it_lands_equal_credits_of_one_paper_in_the_earliest_year() -> None:
    document = run(
        [
            paper(id="z", year=2021, paper_id="P1"),
            paper(id="a", year=2020, paper_id="P1"),
            paper(id="b", year=2020, paper_id="P1"),
        ]
    )
    assert credit(document, "a")["hours"] == 10.0
    assert credit(document, "b")["hours"] == 0.0
    assert credit(document, "z")["hours"] == 0.0


# --- per-year kinds -------------------------------------------------------------------------


def test_it_counts_aid_service_once_a_year() -> None:
    document = run(
        [
            act("aid_service", id="b", year=2021),
            act("aid_service", id="a", year=2021),
            act("aid_service", id="c", year=2022),
        ]
    )
    assert credit(document, "a")["hours"] == 90.0
    assert credit(document, "b")["hours"] == 0.0
    assert codes(document, "b") == ["once_per_year"]
    assert credit(document, "c")["hours"] == 90.0


def test_it_makes_an_aid_service_year_compliant_without_public_hours() -> None:
    document = run([act("aid_service", year=2015)])
    result = year(document, 2015)
    assert result["professional"] == 72.0
    assert result["public"] == 0.0
    assert result["compliant"] is True
    assert result["shortfall"] == {"public": 0.0, "professional": 0.0}
    assert [r["code"] for r in result["reasons"]] == ["aid_service_year"]


# --- exempt years ---------------------------------------------------------------------------


def test_it_does_not_assess_years_before_the_transfer_into_hefei() -> None:
    document = run([], years=[2018, 2019, 2020], transferred_in_year=2019)
    assert year(document, 2018)["compliant"] is True
    assert year(document, 2018)["exempt"] is True
    assert year(document, 2018)["shortfall"] == {"public": 0.0, "professional": 0.0}
    assert year(document, 2019)["exempt"] is False
    assert year(document, 2019)["compliant"] is False
    assert year(document, 2020)["compliant"] is False


def test_it_still_credits_hours_in_exempt_years() -> None:
    document = run([act("organized_training", year=2018, hours=20)], transferred_in_year=2019)
    assert year(document, 2018)["total"] == 20.0
    assert year(document, 2018)["compliant"] is True


# --- requirement and shortfall --------------------------------------------------------------


def test_it_requires_30_public_and_60_professional() -> None:
    assert year(run(full_year()), 2021)["compliant"] is True
    short = year(run(full_year(professional=59.9)), 2021)
    assert short["compliant"] is False
    assert short["shortfall"] == {"public": 0.0, "professional": 0.1}


def test_it_does_not_let_extra_professional_hours_replace_public_ones() -> None:
    result = year(run([act("organized_training", hours=200)]), 2021)
    assert result["total"] == 200.0
    assert result["compliant"] is False
    assert result["shortfall"] == {"public": 30.0, "professional": 0.0}


def test_it_uses_the_requirement_of_the_industry_and_the_default_otherwise() -> None:
    table = replace(DEFAULT_TABLE, requirements={"health": Requirement(Decimal(80), Decimal(30))})
    health = year(run(full_year(), industry="health", table=table), 2021)
    assert health["compliant"] is False
    assert health["shortfall"] == {"public": 0.0, "professional": 20.0}
    assert health["requirement"] == {"public": 30.0, "professional": 80.0, "total": 110.0}
    for other in ("general", "unknown-industry", None):
        assert year(run(full_year(), industry=other, table=table), 2021)["compliant"] is True


def test_it_reports_the_years_asked_for_or_else_the_years_of_the_activities() -> None:
    activities = [act("organized_training", year=2019, hours=1), act("book", year=2022, chars=1)]
    assert list(run(activities)["years"]) == ["2019", "2022"]
    assert list(run(activities, years=[2022, 2020])["years"]) == ["2020", "2022"]
    assert list(run(activities, cycle=(2020, 2021))["years"]) == ["2019", "2020", "2021", "2022"]
    assert run(activities)["cycle"] is None


def test_it_writes_hours_with_one_decimal_place() -> None:
    document = run([act("book", chars=12345)])
    assert document["credits"][0]["hours"] == 6.2
    assert year(document, 2021)["total"] == 6.2
