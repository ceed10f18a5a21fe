"""Property-based tests: time order, items at most their highest figure, one-place hours.

Time order (DESIGN.md section 4): activities are credited by year, then in input (recorded)
order, and a later activity never changes what an earlier one counts. docs/rules.md used to list
two counterexamples to "adding never lowers a year" (a paper claimed again with a higher credit
moved to the later year; public self-study re-split a year's cap and cost the year before its
make-up). Both now hold as the properties below, and as named tests in test_year.py
(``test_it_never_moves_a_paper_out_of_a_past_year``) and test_make_up.py
(``test_it_no_longer_lets_self_study_of_one_subject_cost_the_previous_years_make_up``).
"""

from __future__ import annotations

import random as random_module
from collections import defaultdict
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.rules import Evaluation, evaluate, evaluation_to_json, item_rules, parse_case

YEARS = st.integers(2014, 2018)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LIGHT = settings(SETTINGS, max_examples=100)


HOURS = st.decimals(0, 80, places=1).map(float)
PAPER_IDS = st.sampled_from(["P1", "P2", "P3"])
NUMBERS = st.one_of(st.none(), st.sampled_from(["N1", "N2", " n1 "]))


def _numbered(name: str) -> dict[str, st.SearchStrategy[Any]]:
    return {name: NUMBERS}


def _kind(kind: str, **params: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"kind": st.just(kind), "year": YEARS, **params})


def _kinds(paper_ids: st.SearchStrategy[str]) -> list[st.SearchStrategy[dict[str, Any]]]:
    """Every kind with valid parameters, drawn from small pools so that activities interact;
    common kinds appear several times so that years get near their 90/60/30 requirement."""
    rank = st.integers(1, 6)
    modules = st.sampled_from(["Word", "Excel"])
    languages = st.sampled_from(["英语", "日语"])
    chars = st.sampled_from([0, 1, 2000, 2001, 5000])
    levels = st.sampled_from(["international", "national", "provincial"])
    public_course = _kind("public_course", topic=st.sampled_from(["t1", "t2"]))
    organized = _kind("organized_training", hours=HOURS)
    self_study = _kind(
        "self_study", hours=HOURS, subject=st.sampled_from(["professional", "public"])
    )
    paper = _kind(
        "paper",
        journal=st.sampled_from(["national", "provincial"]),
        chars=st.integers(0, 12_000),
        indexed=st.booleans(),
        paper_id=st.one_of(st.none(), paper_ids),
    )
    return [
        *[public_course] * 3,
        *[organized] * 3,
        *[self_study] * 4,
        _kind("computer_training", module=modules),
        _kind("computer_exam", module=modules),
        _kind("language_training", language=languages),
        _kind("language_exam", language=languages),
        _kind("ministry_training", hours=HOURS, days=st.integers(0, 30)),
        _kind("base_training", hours=HOURS),
        _kind("degree_course", courses=st.integers(0, 4)),
        _kind("national_conference", paper_chars=chars),
        _kind("provincial_conference", paper_chars=chars),
        _kind(
            "research_project",
            level=st.sampled_from(["national", "provincial", "city"]),
            role=st.sampled_from(["main", "sub"]),
            rank=rank,
            **_numbered("project_no"),
        ),
        _kind("book", chars=st.integers(0, 200_000)),
        paper,
        paper,
        _kind("aid_service"),
        _kind("qualification_cert", **_numbered("cert_no")),
        _kind("teacher_training"),
        _kind("key_teacher", hours=st.sampled_from([40, 72, 120])),
        _kind("principal_training"),
        _kind("invention_patent", rank=rank, **_numbered("patent_no")),
        _kind("utility_patent", rank=rank, **_numbered("patent_no")),
        _kind("provincial_award", grade=st.integers(1, 3), rank=rank, **_numbered("award_no")),
        _kind("city_award", grade=st.integers(1, 3), rank=rank, **_numbered("award_no")),
        _kind("new_technology", level=levels, rank=rank, **_numbered("item_no")),
        _kind("medical_credit", credits=st.decimals(0, 20, places=1).map(float)),
    ]


ANY_ACTIVITY = st.one_of(_kinds(PAPER_IDS))


@st.composite
def case(draw: st.DrawFn) -> dict[str, Any]:
    drawn = draw(st.lists(ANY_ACTIVITY, max_size=24))
    activities = [{"id": f"a{n}", **a} for n, a in enumerate(drawn)]
    start = draw(YEARS)
    return {
        "person": {
            "industry": "general",
            "transferred_in_year": draw(st.one_of(st.none(), YEARS)),
        },
        "activities": activities,
        "cycle": {"start": start, "end": draw(st.integers(start, 2018))},
    }


def evaluated(data: dict[str, Any]) -> Evaluation:
    return evaluate(parse_case(data))


def _credits(result: Evaluation) -> dict[object, Decimal]:
    return {c.id: c.hours for c in result.credits}


@SETTINGS
@given(case(), st.data())
def test_it_never_changes_an_earlier_activity_or_year_when_one_is_appended(
    data: dict[str, Any], more: st.DataObject
) -> None:
    """Appended (recorded last) in year Y: every activity of Y or before keeps its credit,
    every year before Y keeps its hours, and the person's total never drops."""
    extra = {"id": "added", **more.draw(ANY_ACTIVITY)}
    bigger = {**data, "activities": [*data["activities"], extra]}
    before, after = evaluated(data), evaluated(bigger)
    old, new = _credits(before), _credits(after)
    added_year = extra["year"]
    for a in data["activities"]:
        if a["year"] <= added_year:
            assert new[a["id"]] == old[a["id"]], a
    for y, result in before.evaluated.items():
        if y < added_year:
            assert after.evaluated[y].hours == result.hours, y
            assert after.evaluated[y].compliant_before_make_up == result.compliant_before_make_up
            if y < added_year - 1:
                assert after.evaluated[y] == result, y
    assert sum(new.values()) >= sum(old.values())


@SETTINGS
@given(case(), st.data())
def test_it_never_lowers_any_year_when_a_later_activity_is_appended(
    data: dict[str, Any], more: st.DataObject
) -> None:
    """An activity of the latest year (or a later one), recorded last: no credit changes, no
    year loses hours or compliance, the cycle never loses hours or fails a new year."""
    latest = max([a["year"] for a in data["activities"]], default=2014)
    drawn = more.draw(ANY_ACTIVITY)
    extra = {**drawn, "id": "added", "year": more.draw(st.integers(latest, 2018))}
    bigger = {**data, "activities": [*data["activities"], extra]}
    before, after = evaluated(data), evaluated(bigger)
    old, new = _credits(before), _credits(after)
    assert all(new[key] == value for key, value in old.items())
    for y, result in before.evaluated.items():
        changed = after.evaluated[y]
        assert changed.hours.professional >= result.hours.professional, y
        assert changed.hours.public >= result.hours.public, y
        assert changed.compliant or not result.compliant, y
        assert changed.compliant_before_make_up or not result.compliant_before_make_up, y
    assert before.cycle is not None and after.cycle is not None
    assert after.cycle.total >= before.cycle.total
    assert set(after.cycle.failed_years) <= set(before.cycle.failed_years)


@SETTINGS
@given(case())
def test_it_counts_every_item_at_most_its_highest_figure(data: dict[str, Any]) -> None:
    result = evaluated(data)
    groups: dict[tuple[str, ...], list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for c in result.credits:
        for item in item_rules(c.activity):
            groups[item.key].append((c.hours, c.nominal))
    for key, members in groups.items():
        counted = sum((hours for hours, _ in members), Decimal(0))
        assert counted == max(nominal for _, nominal in members), key


def _same_years_other_order(activities: list[dict[str, Any]], rng: Any) -> list[dict[str, Any]]:
    """A permutation that moves activities of different years around each other but keeps the
    order of the activities within each year."""
    by_year: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for a in activities:
        by_year[a["year"]].append(a)
    slots = [a["year"] for a in activities]
    rng.shuffle(slots)
    queues = {y: iter(items) for y, items in by_year.items()}
    return [next(queues[y]) for y in slots]


@LIGHT
@given(case(), st.randoms(use_true_random=False))
def test_it_does_not_depend_on_the_order_of_activities_of_different_years(
    data: dict[str, Any], rng: random_module.Random
) -> None:
    shuffled = _same_years_other_order(list(data["activities"]), rng)
    first = evaluation_to_json(evaluated(data))
    second = evaluation_to_json(evaluated({**data, "activities": shuffled}))
    assert isinstance(first["credits"], list) and isinstance(second["credits"], list)
    by_id = {c["id"]: c for c in first["credits"]}
    assert by_id == {c["id"]: c for c in second["credits"]}
    assert first["years"] == second["years"]
    assert first["cycle"] == second["cycle"]


# A dense pool around the 90/60/30 line: self-study of both subjects, make-up, aid years.
DENSE_YEARS = st.integers(2016, 2018)
DENSE_HOURS = st.integers(0, 60).map(float)
DENSE_ACTIVITY = st.one_of(
    st.fixed_dictionaries(
        {"kind": st.just("public_course"), "year": DENSE_YEARS, "topic": st.just("t")}
    ),
    st.fixed_dictionaries(
        {"kind": st.just("organized_training"), "year": DENSE_YEARS, "hours": DENSE_HOURS}
    ),
    st.fixed_dictionaries(
        {
            "kind": st.just("self_study"),
            "year": DENSE_YEARS,
            "hours": DENSE_HOURS,
            "subject": st.sampled_from(["professional", "public"]),
        }
    ),
    st.fixed_dictionaries({"kind": st.just("aid_service"), "year": DENSE_YEARS}),
)


@SETTINGS
@given(st.lists(DENSE_ACTIVITY, max_size=12), DENSE_ACTIVITY)
def test_it_keeps_compliance_around_the_cap_and_make_up(
    drawn: list[dict[str, Any]], added: dict[str, Any]
) -> None:
    latest = max([a["year"] for a in drawn], default=2016)
    added = {**added, "year": max(added["year"], latest)}
    data: dict[str, Any] = {
        "activities": [{"id": f"a{n}", **a} for n, a in enumerate(drawn)],
        "cycle": {"start": 2016, "end": 2018},
    }
    bigger: dict[str, Any] = {**data, "activities": [*data["activities"], {"id": "added", **added}]}
    before, after = evaluated(data), evaluated(bigger)
    for y, old in before.evaluated.items():
        new = after.evaluated[y]
        assert new.hours.total >= old.hours.total
        assert new.compliant_before_make_up or not old.compliant_before_make_up
        assert new.compliant or not old.compliant


def _one_place(value: Decimal) -> bool:
    return value.as_tuple().exponent == -1 and value >= 0


@LIGHT
@given(case())
def test_it_gives_non_negative_one_place_hours_within_caps(data: dict[str, Any]) -> None:
    result = evaluated(data)
    for c in result.credits:
        assert _one_place(c.hours) and _one_place(c.nominal)
        assert c.hours <= c.nominal
        # A cut always carries its reason.
        assert c.hours == c.nominal or c.reasons
    for r in result.evaluated.values():
        for h in (
            r.hours,
            r.shortfall,
            r.shortfall_before_make_up,
            r.made_up,
            r.surplus,
            r.surplus_used,
        ):
            assert _one_place(h.professional) and _one_place(h.public)
        assert r.compliant == (r.shortfall.is_zero())
        assert (
            r.made_up.professional + r.shortfall.professional
            == r.shortfall_before_make_up.professional
        )
    assert result.cycle is not None and _one_place(result.cycle.total)
    assert _one_place(sum((c.hours for c in result.credits), Decimal("0.0")))
    document = evaluation_to_json(result)
    assert isinstance(document["credits"], list)
    for c in document["credits"]:
        assert c["hours"] >= 0 and round(c["hours"], 1) == c["hours"]
    # The self-study cap holds and each surplus is used once, by the year before only.
    per_year: dict[int, Decimal] = {}
    for c in result.credits:
        if c.activity.kind == "self_study":
            per_year[c.activity.year] = per_year.get(c.activity.year, Decimal(0)) + c.hours
    assert all(total <= 36 for total in per_year.values())
    for y, r in result.evaluated.items():
        following = result.evaluated.get(y + 1)
        if following is None:
            assert r.made_up.is_zero()
        else:
            assert following.surplus_used == r.made_up
            assert r.made_up.professional <= following.surplus.professional
            assert r.made_up.public <= following.surplus.public
