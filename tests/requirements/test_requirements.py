"""Industry requirements: the city sets them, the engine applies them and says so, history is
kept, the people's year totals follow, and bad input writes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.credits.ledger import ledger_evaluate, rule_table
from apps.credits.models import LedgerEntry, PersonYear, Source
from apps.credits.services import EntryDraft, Reviewer, entry_record
from apps.people.models import Industry
from apps.requirements.models import IndustryRequirement
from apps.requirements.services import requirement_reset, requirement_set
from tests.factories import UnitFactory, make_person

REVIEWER = Reviewer(name="刘审核", organisation="蜀山区人力资源和社会保障局")
HEALTH_BASIS = "市卫生健康委规定"


def _record(person, key, *, year, hours=None, kind="base_training"):
    params = {"topic": "2024 年公需课"} if kind == "public_course" else {"hours": hours}
    return entry_record(
        draft=EntryDraft(
            person_id=person.pk,
            year=year,
            kind=kind,
            params=params,
            source=Source.ROSTER,
            source_key=key,
            source_label=f"测试 {key}",
        ),
        reviewer=REVIEWER,
    )


@pytest.fixture
def health(db):
    return Industry.objects.get(code="health")


@pytest.fixture
def doctor(shushan, health):
    person = make_person(unit=UnitFactory(jurisdiction=shushan), name="赵医生")
    person.industry = health
    person.save()
    return person


def _evaluate(person, years=None):
    entries = list(LedgerEntry.objects.filter(person=person))
    return ledger_evaluate(person=person, entries=entries, years=years)


def _set(health, user=None, *, professional="72", public="30", basis=HEALTH_BASIS):
    return requirement_set(
        industry=health,
        public=Decimal(public),
        professional=Decimal(professional),
        basis=basis,
        user=user,
    )


def test_it_applies_the_industry_requirement_and_names_its_basis(doctor, health):
    _record(doctor, "r1", year=2024, hours=65)
    before = _evaluate(doctor).years[2024]
    assert before.requirement.professional == Decimal(60)

    _set(health)

    after = _evaluate(doctor).years[2024]
    assert after.requirement.professional == Decimal(72)
    assert after.requirement.public == Decimal(30)
    notes = " ".join(r.note for r in after.reasons)
    assert "按市卫生健康委规定（公需科目不少于 30、专业科目不少于 72 学时）" in notes
    assert "专业科目 7 学时" in notes  # 72 - 65 short


def test_it_keeps_72_hours_before_2016_whatever_the_industry(doctor, health):
    _set(health, professional="100")
    year = _evaluate(doctor, range(2015, 2016)).years[2015]
    assert year.requirement.total == Decimal(72)
    assert "2016年前按照72学时审核" in " ".join(r.note for r in year.reasons)


def test_it_leaves_other_industries_on_the_default(person, health):
    _set(health)
    assert rule_table().requirement_for(person.industry.code, 2024).professional == Decimal(60)


def test_it_refreshes_the_industry_people_year_totals(
    doctor, person, health, django_capture_on_commit_callbacks
):
    _record(doctor, "r1", year=2024, hours=65)
    _record(doctor, "p1", year=2024, kind="public_course")
    assert PersonYear.objects.get(person=doctor, year=2024).compliant

    with django_capture_on_commit_callbacks(execute=True):
        _set(health)
    assert not PersonYear.objects.get(person=doctor, year=2024).compliant

    with django_capture_on_commit_callbacks(execute=True):
        requirement_reset(industry=health, user=None)
    assert PersonYear.objects.get(person=doctor, year=2024).compliant


def test_it_writes_nothing_and_refreshes_nobody_for_an_unchanged_save(
    doctor, health, django_capture_on_commit_callbacks
):
    first = _set(health)
    with django_capture_on_commit_callbacks() as callbacks:
        again = _set(health)
    assert again.pk == first.pk
    assert first.history.count() == 1
    assert callbacks == []


def test_it_reads_the_requirements_once_and_then_from_the_cache(health, django_assert_num_queries):
    _set(health)  # drops the cached copy
    with django_assert_num_queries(1):
        rule_table()
    with django_assert_num_queries(0):
        assert rule_table().requirement_for("health", 2024).professional == Decimal(72)


# --- pages ---------------------------------------------------------------------------------


def test_it_lists_every_industry_with_the_requirement_applied(
    city_client, health, django_assert_max_num_queries
):
    _set(health)
    with django_assert_max_num_queries(8):
        response = city_client.get(reverse("requirements:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert HEALTH_BASIS in body
    assert body.count("通知默认") == Industry.objects.count() - 1


def test_it_lists_in_a_constant_number_of_queries(city_client, django_assert_num_queries):
    city_client.get(reverse("requirements:list"))  # warm
    with django_assert_num_queries(2) as few:  # user, industries with requirements
        city_client.get(reverse("requirements:list"))
    for code in ("health", "education", "law"):
        _set(Industry.objects.get(code=code), basis=f"{code} 规定")
    rule_table()
    with django_assert_num_queries(len(few.captured_queries)):
        city_client.get(reverse("requirements:list"))


def test_it_sets_a_requirement_through_the_page_with_history(city_client, personas, health):
    url = reverse("requirements:edit", args=[health.pk])
    response = city_client.post(
        url, {"public": "30", "professional": "72", "total": "102", "basis": HEALTH_BASIS}
    )
    assert response.status_code == 302
    requirement = IndustryRequirement.objects.get(industry=health)
    assert (requirement.public, requirement.professional) == (Decimal(30), Decimal(72))
    assert requirement.updated_by == personas["city_officer"]

    city_client.post(
        url, {"public": "30", "professional": "80", "total": "110", "basis": HEALTH_BASIS}
    )
    history = city_client.get(reverse("requirements:history", args=[health.pk]))
    body = history.content.decode()
    assert "72.0" in body and "80.0" in body


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"public": "40", "professional": "72", "total": "102"}, "total", "超过总学时"),
        ({"public": "30", "professional": "60", "total": "100"}, "total", "应等于"),
        ({"public": "-1", "professional": "60", "total": "59"}, "public", "公需"),
        ({"public": "0", "professional": "0", "total": "0"}, "total", "总学时"),
        ({"public": "30", "professional": "60", "total": "90", "basis": " "}, "basis", "依据"),
    ],
)
def test_it_refuses_bad_figures_naming_the_field_and_writes_nothing(
    city_client, health, data, field, message
):
    payload = {"basis": HEALTH_BASIS, **data}
    response = city_client.post(reverse("requirements:edit", args=[health.pk]), payload)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in response.content.decode()
    assert not IndustryRequirement.objects.exists()


def test_it_resets_to_the_default_keeping_the_history(city_client, health):
    _set(health)
    response = city_client.post(reverse("requirements:reset", args=[health.pk]))
    assert response.status_code == 302
    requirement = IndustryRequirement.objects.get(industry=health)
    assert not requirement.in_force
    assert requirement.history.count() == 2
    assert rule_table().requirement_for("health", 2024).professional == Decimal(60)


def test_it_gives_404_for_an_unknown_industry(city_client):
    assert city_client.get(reverse("requirements:edit", args=[99999])).status_code == 404


def test_it_tells_the_trainee_which_requirement_applies(trainee_client, personas, health):
    person = personas["trainee"].person
    person.industry = health
    person.save()
    _set(health)
    body = trainee_client.get(reverse("home")).content.decode()
    assert HEALTH_BASIS in body
    assert "/ 72" in body


def test_it_lets_the_pure_engine_quote_an_industry_basis():
    from dataclasses import replace
    from types import MappingProxyType

    from apps import rules

    table = replace(
        rules.DEFAULT_TABLE,
        requirements=MappingProxyType({"health": rules.Requirement(Decimal(72), Decimal(30))}),
        requirement_basis=MappingProxyType({"health": HEALTH_BASIS}),
    )
    assert table.requirement_rule("health", 2024) == HEALTH_BASIS
    assert "2016年前" in table.requirement_rule("health", 2015)
    assert "每年累计应不少于90学时" in table.requirement_rule("law", 2024)
    # A requirement without a basis quotes the notice's clause on industry authorities.
    bare = replace(table, requirement_basis=MappingProxyType({}))
    assert "按行业主管部门规定执行" in bare.requirement_rule("health", 2024)
