"""Make-up from the next year (顺延补学) and the tenure cycle."""

from __future__ import annotations

from .support import act, credit, run, year


def public(y: int, courses: int = 1) -> list[dict[str, object]]:
    return [act("public_course", year=y, topic=f"t{n}") for n in range(courses)]


def professional(y: int, hours: float) -> dict[str, object]:
    return act("organized_training", year=y, hours=hours)


def test_it_makes_up_a_shortfall_from_the_next_years_surplus_of_the_same_subject() -> None:
    document = run([*public(2020), professional(2020, 50), *public(2021), professional(2021, 80)])
    y2020, y2021 = year(document, 2020), year(document, 2021)
    assert y2020["compliant_before_make_up"] is False
    assert y2020["shortfall_before_make_up"] == {"public": 0.0, "professional": 10.0}
    assert y2020["made_up"] == {"public": 0.0, "professional": 10.0}
    assert y2020["shortfall"] == {"public": 0.0, "professional": 0.0}
    assert y2020["compliant"] is True
    assert [r["code"] for r in y2020["reasons"]] == ["shortfall", "made_up"]
    assert "可顺延至下一年度补学" in y2020["reasons"][1]["note"]
    # The hours stay where they were earned; 2021 stays compliant on its own.
    assert y2020["professional"] == 50.0
    assert y2021["professional"] == 80.0
    assert y2021["surplus"] == {"public": 0.0, "professional": 20.0}
    assert y2021["surplus_used"] == {"public": 0.0, "professional": 10.0}
    assert y2021["compliant"] is True


def test_it_makes_up_only_with_the_same_subject() -> None:
    document = run([professional(2020, 60), *public(2021), professional(2021, 200)])
    assert year(document, 2020)["compliant"] is False
    assert year(document, 2020)["shortfall"] == {"public": 30.0, "professional": 0.0}


def test_it_makes_up_only_what_the_surplus_covers() -> None:
    document = run([*public(2020), professional(2020, 30), *public(2021), professional(2021, 70)])
    assert year(document, 2020)["made_up"] == {"public": 0.0, "professional": 10.0}
    assert year(document, 2020)["shortfall"] == {"public": 0.0, "professional": 20.0}
    assert year(document, 2020)["compliant"] is False


def test_it_never_carries_a_surplus_forward() -> None:
    document = run([*public(2020), professional(2020, 200), *public(2021), professional(2021, 10)])
    assert year(document, 2020)["surplus_used"] == {"public": 0.0, "professional": 0.0}
    assert year(document, 2021)["compliant"] is False
    assert year(document, 2021)["shortfall"] == {"public": 0.0, "professional": 50.0}


def test_it_never_reaches_two_years_back() -> None:
    document = run(
        [
            *public(2019),
            professional(2019, 40),
            *public(2020),
            professional(2020, 60),
            *public(2021),
            professional(2021, 200),
        ]
    )
    assert year(document, 2019)["compliant"] is False
    assert year(document, 2019)["made_up"] == {"public": 0.0, "professional": 0.0}
    assert year(document, 2021)["surplus_used"] == {"public": 0.0, "professional": 0.0}


def test_it_counts_only_hours_beyond_the_next_years_own_requirement() -> None:
    # 2021 has 60 professional hours: exactly its own requirement, no surplus to lend.
    document = run([*public(2020), professional(2020, 59), *public(2021), professional(2021, 60)])
    assert year(document, 2020)["compliant"] is False
    assert year(document, 2021)["surplus"] == {"public": 0.0, "professional": 0.0}


def test_it_uses_each_surplus_once_along_a_chain_of_years() -> None:
    document = run(
        [
            *public(2019),
            professional(2019, 50),  # short 10, made up by 2020
            *public(2020),
            professional(2020, 70),  # surplus 10, all used by 2019
            *public(2021),
            professional(2021, 40),  # short 20: 2020's surplus is gone (and never goes forward)
            *public(2022),
            professional(2022, 75),  # surplus 15 -> 2021 still short 5
        ]
    )
    assert year(document, 2019)["compliant"] is True
    assert year(document, 2020)["surplus_used"]["professional"] == 10.0
    assert year(document, 2021)["made_up"]["professional"] == 15.0
    assert year(document, 2021)["shortfall"]["professional"] == 5.0
    assert year(document, 2021)["compliant"] is False


def test_it_lends_a_subjects_surplus_even_when_the_next_year_fails_the_other_subject() -> None:
    document = run([*public(2020), professional(2020, 40), professional(2021, 100)])
    assert year(document, 2020)["compliant"] is True
    assert year(document, 2021)["compliant"] is False


def test_it_lends_nothing_from_an_aid_service_years_aid_hours() -> None:
    # The aid year counts 90 professional hours: they fill 2021's own requirement only.
    document = run([*public(2020), professional(2020, 30), act("aid_service", year=2021)])
    assert year(document, 2021)["compliant"] is True
    assert year(document, 2021)["surplus"] == {"public": 0.0, "professional": 0.0}
    assert year(document, 2020)["made_up"]["professional"] == 0.0
    assert year(document, 2020)["compliant"] is False


def test_it_lends_the_other_hours_of_an_aid_service_year() -> None:
    # The aid hours fill 2021's professional requirement, so 2021's other professional hours
    # are all beyond it; its public hours lend what exceeds 30.
    document = run(
        [
            *public(2020),
            professional(2020, 30),
            act("aid_service", year=2021),
            professional(2021, 25),
            *public(2021, courses=2),
        ]
    )
    assert year(document, 2021)["surplus"] == {"public": 30.0, "professional": 25.0}
    assert year(document, 2020)["made_up"] == {"public": 0.0, "professional": 25.0}
    assert year(document, 2020)["shortfall"] == {"public": 0.0, "professional": 5.0}
    assert year(document, 2021)["surplus_used"] == {"public": 0.0, "professional": 25.0}


def test_it_lends_nothing_from_a_pre_2016_aid_year_either() -> None:
    document = run([act("organized_training", year=2014, hours=48), act("aid_service", year=2015)])
    assert year(document, 2015)["professional"] == 72.0
    assert year(document, 2014)["shortfall"] == {"public": 24.0, "professional": 0.0}


def test_it_no_longer_lets_self_study_of_one_subject_cost_the_previous_years_make_up() -> None:
    """docs/rules.md used to list this as a known limit: adding public self-study to 2021 made
    the engine re-split 2021's cap and 2020 lost its make-up.  Now the earlier self-study keeps
    its hours, and the public self-study counts only what is left of the cap."""
    before = [
        *public(2020),
        professional(2020, 40),
        professional(2021, 60),
        act("self_study", id="pro", year=2021, hours=30),
    ]
    document = run(before)
    assert year(document, 2020)["compliant"] is True
    after = run([*before, act("self_study", id="pub", year=2021, hours=36, subject="public")])
    assert credit(after, "pro")["hours"] == 30.0
    assert credit(after, "pub")["hours"] == 6.0
    assert year(after, 2020)["compliant"] is True


# --- tenure cycle ---------------------------------------------------------------------------


def test_it_sums_the_cycle_and_lists_its_failed_years() -> None:
    document = run(
        [*public(2019), professional(2019, 60), *public(2020), professional(2020, 10)],
        cycle=(2019, 2021),
    )
    assert document["cycle"]["total"] == 130.0
    assert document["cycle"]["compliant"] is False
    assert document["cycle"]["failed_years"] == [2020, 2021]


def test_it_lets_the_cycle_end_use_make_up_from_the_year_after() -> None:
    document = run(
        [
            *public(2020),
            professional(2020, 60),
            *public(2021),
            professional(2021, 50),
            *public(2022),
            professional(2022, 70),
        ],
        years=[2020, 2021],
        cycle=(2020, 2021),
    )
    assert document["cycle"]["compliant"] is True
    assert document["cycle"]["made_up_years"] == [2021]
    # 2022 lends its surplus but is not part of the cycle total nor of the years asked for.
    assert document["cycle"]["total"] == 170.0
    assert list(document["years"]) == ["2020", "2021"]


def test_it_counts_exempt_years_in_the_cycle_as_compliant() -> None:
    document = run(
        [act("organized_training", year=2018, hours=5), *public(2019), professional(2019, 60)],
        cycle=(2017, 2019),
        transferred_in_year=2019,
    )
    assert document["cycle"]["compliant"] is True
    assert document["cycle"]["failed_years"] == []
    assert document["cycle"]["total"] == 95.0


def test_it_counts_an_aid_service_year_in_the_cycle_as_compliant() -> None:
    document = run(
        [act("aid_service", year=2020), *public(2021), professional(2021, 60)], cycle=(2020, 2021)
    )
    assert document["cycle"]["compliant"] is True
    assert document["cycle"]["total"] == 180.0


def test_it_fails_a_cycle_year_without_any_activity() -> None:
    document = run([*public(2020), professional(2020, 60)], cycle=(2020, 2021))
    assert document["cycle"]["failed_years"] == [2021]
    assert year(document, 2021)["shortfall"] == {"public": 30.0, "professional": 60.0}
