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


def test_it_credits_self_study_first_recorded_first_credited() -> None:
    # One 36-hour cap for both subjects; no optimiser: the earlier claim keeps its hours even
    # though the year would be better served by the public one.
    document = run(
        [
            act("organized_training", hours=60),
            act("self_study", id="a1", hours=30),
            act("self_study", id="a2", hours=30, subject="public"),
        ]
    )
    assert credit(document, "a1")["hours"] == 30.0
    assert credit(document, "a2")["hours"] == 6.0
    assert "此前已计入自学 30 学时" in credit(document, "a2")["note"]
    assert year(document, 2021)["compliant"] is False


def test_it_cuts_self_study_in_input_order_within_a_year() -> None:
    document = run(
        [
            act("self_study", id="a10", hours=20),
            act("self_study", id="a2", hours=20),
        ]
    )
    # Recorded order, whatever the ids say.
    assert credit(document, "a10")["hours"] == 20.0
    assert credit(document, "a2")["hours"] == 16.0


# --- either-or ------------------------------------------------------------------------------


def test_it_gives_a_later_training_only_what_the_exam_left() -> None:
    document = run(
        [
            act("computer_exam", id="e", module="Excel"),
            act("computer_training", id="t", module="Excel"),
        ]
    )
    assert credit(document, "e")["hours"] == 15.0
    assert credit(document, "t")["hours"] == 9.0
    assert codes(document, "t") == ["either_or"]
    assert year(document, 2021)["professional"] == 24.0


def test_it_gives_a_later_exam_nothing_after_the_training() -> None:
    document = run(
        [
            act("computer_training", id="t", module="Excel"),
            act("computer_exam", id="e", module="Excel"),
        ]
    )
    assert credit(document, "t")["hours"] == 24.0
    assert credit(document, "e")["hours"] == 0.0
    assert codes(document, "e") == ["either_or"]
    assert "按照二选一核定" in credit(document, "e")["note"]


def test_it_keeps_different_modules_apart() -> None:
    document = run([act("computer_exam", module="Excel"), act("computer_training", module="Word")])
    assert [c["hours"] for c in document["credits"]] == [15.0, 24.0]


def test_it_applies_either_or_for_good_across_years() -> None:
    document = run(
        [
            act("computer_training", year=2020, module="Excel"),
            act("computer_exam", year=2021, module="Excel"),
        ]
    )
    assert [c["hours"] for c in document["credits"]] == [24.0, 0.0]
    assert "2020 年度" in document["credits"][1]["note"]


def test_it_credits_by_year_before_input_order() -> None:
    # The 2021 exam is listed first but the 2020 training comes first in time.
    document = run(
        [
            act("computer_exam", id="e", year=2021, module="Excel"),
            act("computer_training", id="t", year=2020, module="Excel"),
        ]
    )
    assert credit(document, "t")["hours"] == 24.0
    assert credit(document, "e")["hours"] == 0.0


def test_it_counts_one_module_once_even_for_two_trainings() -> None:
    document = run(
        [
            act("computer_training", id="b", module="Excel"),
            act("computer_training", id="a", module=" excel "),
        ]
    )
    assert credit(document, "b")["hours"] == 24.0
    assert credit(document, "a")["hours"] == 0.0
    assert codes(document, "a") == ["either_or"]


def test_it_applies_either_or_to_foreign_languages_per_language() -> None:
    document = run(
        [
            act("language_exam", id="en-exam", language="英语"),
            act("language_training", id="en", language="英语"),
            act("language_exam", id="ja", language="日语"),
        ]
    )
    assert credit(document, "en-exam")["hours"] == 45.0
    assert credit(document, "en")["hours"] == 75.0
    assert credit(document, "ja")["hours"] == 45.0
    assert year(document, 2021)["professional"] == 165.0


def test_it_tops_up_to_the_higher_figure_whichever_the_table_makes_higher() -> None:
    table = replace(DEFAULT_TABLE, computer_exam=Decimal(30))
    document = run(
        [act("computer_training", id="t", module="m"), act("computer_exam", id="e", module="m")],
        table=table,
    )
    assert credit(document, "t")["hours"] == 24.0
    assert credit(document, "e")["hours"] == 6.0


# --- the same paper -------------------------------------------------------------------------


def paper(**kw: Any) -> dict[str, Any]:
    defaults: dict[str, Any] = {"journal": "national", "chars": 2000, "indexed": False}
    return act("paper", **{**defaults, **kw})


def test_it_counts_the_same_paper_at_most_its_highest_credit() -> None:
    document = run(
        [
            paper(id="translation", journal="provincial", chars=3000, paper_id="P1"),
            paper(id="indexed", chars=3000, indexed=True, paper_id="P1"),
            paper(id="again", chars=3000, paper_id="P1"),
            paper(id="other", chars=3000, paper_id="P2"),
        ]
    )
    assert credit(document, "translation")["hours"] == 9.0
    assert credit(document, "indexed")["hours"] == 31.0
    assert codes(document, "indexed") == ["same_paper"]
    assert credit(document, "again")["hours"] == 0.0
    assert credit(document, "other")["hours"] == 15.0
    assert year(document, 2021)["professional"] == 55.0


def test_it_never_moves_a_paper_out_of_a_past_year() -> None:
    document = run(
        [
            paper(id="first", year=2020, chars=4000, paper_id="P1"),
            paper(id="later", year=2021, chars=2000, indexed=True, paper_id="P1"),
        ]
    )
    assert year(document, 2020)["professional"] == 20.0
    assert year(document, 2021)["professional"] == 20.0
    note = credit(document, "later")["note"]
    assert "学分不可累计" in note and "P1" not in note and "paper_id" not in note


def test_it_accepts_a_paper_without_an_identifier_and_cannot_see_its_twin() -> None:
    document = run([paper(id="a"), paper(id="b")])
    assert [c["hours"] for c in document["credits"]] == [10.0, 10.0]


# --- item numbers ---------------------------------------------------------------------------


def test_it_credits_a_certificate_number_once() -> None:
    document = run(
        [
            act("qualification_cert", id="c1", year=2020, cert_no="0012345"),
            act("qualification_cert", id="c2", year=2021, cert_no=" 0012345"),
            act("qualification_cert", id="c3", year=2021, cert_no="0099999"),
            act("qualification_cert", id="c4", year=2021),
        ]
    )
    assert [c["hours"] for c in document["credits"]] == [90.0, 0.0, 90.0, 90.0]
    assert codes(document, "c2") == ["same_item"]
    assert "一次性认定" in credit(document, "c2")["note"]


def test_it_counts_a_patent_number_once_across_patent_kinds_at_its_highest_figure() -> None:
    document = run(
        [
            act("utility_patent", id="u", year=2020, rank=2, patent_no="ZL 2019 2 0001"),
            act("invention_patent", id="i", year=2021, rank=1, patent_no="zl201920001"),
            act("invention_patent", id="j", year=2022, rank=1, patent_no="ZL201920001"),
        ]
    )
    assert credit(document, "u")["hours"] == 50.0
    assert credit(document, "i")["hours"] == 22.0
    assert credit(document, "j")["hours"] == 0.0


def test_it_counts_an_award_and_a_new_technology_item_once() -> None:
    document = run(
        [
            act("city_award", id="a1", grade=1, rank=1, award_no="A-1"),
            act("city_award", id="a2", grade=1, rank=1, award_no="A-1"),
            act("provincial_award", id="p1", grade=1, rank=1, award_no="A-1"),
            act("new_technology", id="n1", level="national", rank=1, item_no="N-1"),
            act("new_technology", id="n2", level="national", rank=2, item_no="N-1"),
        ]
    )
    assert [c["hours"] for c in document["credits"]] == [60.0, 0.0, 72.0, 48.0, 0.0]


def test_it_counts_a_project_once_per_year() -> None:
    project = {"level": "city", "role": "main", "project_no": "HF-2020-7"}
    document = run(
        [
            act("research_project", id="a", year=2020, rank=1, **project),
            act("research_project", id="b", year=2020, rank=1, **project),
            act("research_project", id="c", year=2021, rank=1, **project),
            act("research_project", id="d", year=2021, rank=1, **{**project, "level": "national"}),
        ]
    )
    assert [c["hours"] for c in document["credits"]] == [60.0, 0.0, 60.0, 72.0]
    assert "每年" in credit(document, "b")["note"]


# --- per-year kinds -------------------------------------------------------------------------


def test_it_counts_aid_service_once_a_year() -> None:
    document = run(
        [
            act("aid_service", id="b", year=2021),
            act("aid_service", id="a", year=2021),
            act("aid_service", id="c", year=2022),
        ]
    )
    assert credit(document, "b")["hours"] == 90.0
    assert credit(document, "a")["hours"] == 0.0
    assert codes(document, "a") == ["once_per_year"]
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


def test_it_requires_72_hours_before_2016_split_24_and_48() -> None:
    result = year(
        run(
            [*full_year(2015, professional=48)[:1], act("organized_training", year=2015, hours=48)]
        ),
        2015,
    )
    assert result["requirement"] == {"public": 24.0, "professional": 48.0, "total": 72.0}
    assert result["compliant"] is True
    assert "2016年前按照72学时审核" in result["reasons"][0]["note"]
    assert year(run(full_year(2016, professional=48)), 2016)["compliant"] is False


def test_it_names_the_notice_rule_in_every_years_reason() -> None:
    met = year(run(full_year()), 2021)["reasons"]
    assert [r["code"] for r in met] == ["requirement_met"]
    assert "每年累计应不少于90学时" in met[0]["note"]
    short = year(run([act("organized_training", hours=10)]), 2021)["reasons"]
    assert [r["code"] for r in short] == ["shortfall"]
    assert "尚缺公需科目 30 学时、专业科目 50 学时" in short[0]["note"]


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
