"""The officers' people list with this year's hours and compliance (issue 16 part 4): filters by
unit, title level, industry and compliance, search by name or full ID number (never in the URL),
Excel export of the filtered list, scoped by the officer's jurisdiction, and a fixed number of
queries whatever the number of people. The unit administrator's list is the same page."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.accounts.models import Role
from apps.credits.selectors import Compliance, PeopleHoursFilter, people_with_hours
from apps.jobs.models import Job
from apps.people.models import Industry, Person
from tests.conftest import client_for
from tests.factories import UnitFactory, make_person, make_user
from tests.verification.support import give_ledger

pytestmark = pytest.mark.django_db

URL = reverse("credits:people_hours")


def _names(html: str) -> list[str]:
    table = html.split('id="people-hours"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/ledger/people/\d+/">([^<]+)</a>', table)


@pytest.fixture
def people(person, shushan):
    """李四 (compliant this year) and two colleagues in another unit of the district, one short
    with some hours, one with none; a teacher with a senior title level."""
    this_year = timezone.localdate().year
    give_ledger(person, [this_year])
    other_unit = UnitFactory(jurisdiction=shushan, name="蜀山区实验学校")
    some = make_person(unit=other_unit, name="周部分")
    give_ledger(some, [this_year], short={this_year: 20})
    none = make_person(unit=other_unit, name="吴零时")
    teacher = Industry.objects.exclude(code="general").first()
    Person.objects.filter(pk=none.pk).update(
        title="正高级教师", title_level=Person.TitleLevel.SENIOR, industry=teacher
    )
    return {"compliant": person, "some": some, "none": none, "unit": other_unit, "teacher": teacher}


def test_it_lists_this_years_hours_and_compliance(officer_client, people, other_person):
    html = officer_client.get(URL).content.decode()
    assert sorted(_names(html)) == sorted(["李四", "周部分", "吴零时"])
    assert other_person.name not in html  # another district
    assert "达标" in html and "未达标" in html
    row = html.split("周部分", 1)[1].split("</tr>", 1)[0]
    assert ">20.0<" in row  # professional hours credited
    assert "专业科目 40.0" in row  # still short


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"compliance": "compliant"}, ["李四"]),
        ({"compliance": "short"}, ["周部分", "吴零时"]),
        ({"title_level": "senior"}, ["吴零时"]),
        ({"title_level": "none"}, ["李四", "周部分"]),
        ({"q": "部分"}, ["周部分"]),
    ],
)
def test_it_filters(officer_client, people, query, expected):
    assert sorted(_names(officer_client.get(URL, query).content.decode())) == sorted(expected)


def test_it_filters_by_unit_and_industry(officer_client, people):
    by_unit = officer_client.get(URL, {"unit": people["unit"].pk}).content.decode()
    assert sorted(_names(by_unit)) == ["吴零时", "周部分"]
    by_industry = officer_client.get(URL, {"industry": people["teacher"].pk}).content.decode()
    assert _names(by_industry) == ["吴零时"]


def test_the_unit_is_typed_by_name_part_of_it_or_credit_code(officer_client, people, shushan):
    """A district has thousands of units and the city ~50,000: the unit is typed, not picked
    from a list of them all."""
    unit = people["unit"]
    unit.credit_code = "91110108551385082Q"
    unit.save(update_fields=["credit_code"])
    UnitFactory(jurisdiction=shushan, name="蜀山区实验学校分校")
    for typed in (unit.name, f"  {unit.name} ", unit.credit_code, unit.credit_code.lower()):
        html = officer_client.get(URL, {"unit": typed}).content.decode()
        assert sorted(_names(html)) == ["吴零时", "周部分"], typed
        assert "<select" not in html.split('name="unit"', 1)[0].rsplit("<label", 1)[1]
    # Part of a name: every unit in scope whose name contains it.
    assert sorted(_names(officer_client.get(URL, {"unit": "实验"}).content.decode())) == [
        "吴零时",
        "周部分",
    ]


def test_a_small_scope_suggests_its_units_names_a_large_one_does_not(
    officer_client, people, monkeypatch
):
    from apps.credits.forms import PeopleHoursForm

    html = officer_client.get(URL).content.decode()
    assert 'list="unit-suggestions"' in html and "<datalist" in html
    assert f'<option value="{people["unit"].name}">' in html
    monkeypatch.setattr(PeopleHoursForm, "SUGGESTED_UNITS", 1)
    html = officer_client.get(URL).content.decode()
    assert "<datalist" not in html and people["unit"].name not in html.split("<table", 1)[0]


def test_another_districts_unit_code_or_name_is_not_found(officer_client, people, other_person):
    other_person.unit.credit_code = "91110108551385082Q"
    other_person.unit.save(update_fields=["credit_code"])
    for typed in (other_person.unit.credit_code, other_person.unit.name, str(other_person.unit_id)):
        html = officer_client.get(URL, {"unit": typed}).content.decode()
        assert "筛选条件有误" in html and other_person.name not in html


@pytest.mark.parametrize(
    "query",
    [{"unit": "999999"}, {"unit": "x"}, {"year": "1850"}, {"compliance": "maybe"}],
)
def test_a_bad_filter_is_named_and_everyone_is_shown(officer_client, people, query):
    response = officer_client.get(URL, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "筛选条件有误" in html and len(_names(html)) == 3


def test_another_districts_unit_is_not_a_choice(officer_client, people, other_person):
    html = officer_client.get(URL, {"unit": other_person.unit_id}).content.decode()
    assert "筛选条件有误" in html and other_person.name not in html


def test_a_full_id_number_is_searched_by_post_and_never_lands_in_the_url(officer_client, people):
    from apps.people import crypto

    number = crypto.decrypt(people["some"].id_number_encrypted)
    response = officer_client.post(URL, {"q": number})
    assert response.status_code == 302
    assert response["Location"] == reverse("credits:person_ledger", args=[people["some"].pk])
    assert number not in response["Location"]
    filtered = officer_client.post(URL, {"q": "李", "compliance": "compliant"})
    assert filtered["Location"] == URL + "?q=%E6%9D%8E&compliance=compliant"


def test_an_id_number_outside_the_district_finds_nobody(officer_client, people, other_person):
    from apps.people import crypto

    number = crypto.decrypt(other_person.id_number_encrypted)
    response = officer_client.post(URL, {"q": number}, follow=True)
    assert "您的辖区内没有登记该身份证号码的人员" in response.content.decode()


def test_the_export_holds_the_filtered_list_under_a_chinese_name(officer_client, people):
    response = officer_client.get(URL, {"compliance": "short", "format": "xlsx"})
    assert response.status_code == 200
    name = unquote(response["Content-Disposition"].split("filename*=UTF-8''", 1)[1])
    assert name.startswith(f"专业技术人员学时-{timezone.localdate().year}年度-")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == (
        "姓名",
        "身份证号码",
        "单位",
        "行业",
        "职称级别",
        "公需科目学时",
        "专业科目学时",
        "总学时",
        "公需科目尚缺",
        "专业科目尚缺",
        "达标",
    )
    assert sorted(r[0] for r in rows[1:]) == ["吴零时", "周部分"]
    assert all(r[10] == "否" for r in rows[1:])
    assert all("*" in r[1] for r in rows[1:])  # masked ID numbers only


def test_a_large_export_runs_as_a_job(
    officer_client, people, monkeypatch, django_capture_on_commit_callbacks
):
    from apps.credits import views

    monkeypatch.setattr(views, "EXPORT_INLINE_LIMIT", 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.get(URL, {"format": "xlsx", "compliance": "short"})
    job = Job.objects.get(kind="credits.people_hours_export")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    with job.result_file.open("rb") as stored:
        rows = list(load_workbook(io.BytesIO(stored.read())).active.iter_rows(values_only=True))
    assert sorted(r[0] for r in rows[1:]) == ["吴零时", "周部分"]


def test_the_page_and_the_export_cost_the_same_queries_for_3_or_40_people(
    officer_client, people, django_assert_num_queries
):
    officer_client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as few:
        officer_client.get(URL, {"compliance": "short"})
    with CaptureQueriesContext(connection) as few_export:
        officer_client.get(URL, {"compliance": "short", "format": "xlsx"})
    for n in range(37):
        make_person(unit=people["unit"], name=f"新人{n}")
    with django_assert_num_queries(len(few)):
        html = officer_client.get(URL, {"compliance": "short"}).content.decode()
    assert len(_names(html)) == 39
    with django_assert_num_queries(len(few_export)):
        officer_client.get(URL, {"compliance": "short", "format": "xlsx"})


def test_the_city_sees_everyone_and_a_unit_administrator_their_unit(people, other_person):
    city = client_for(make_user(Role.CITY_OFFICER))
    assert other_person.name in city.get(URL).content.decode()
    admin = client_for(make_user(Role.UNIT_ADMIN, unit=people["unit"]))
    html = admin.get(URL).content.decode()
    assert sorted(_names(html)) == ["吴零时", "周部分"]


def test_the_compliance_filter_matches_the_rows_verdict(personas, people):
    officer = personas[Role.DISTRICT_OFFICER]
    year = timezone.localdate().year
    from apps.credits.selectors import hours_of

    for verdict in Compliance.CHOICES:
        chosen = people_with_hours(
            user=officer, filters=PeopleHoursFilter(year=year, compliance=verdict)
        )
        rows = hours_of(people=chosen, year=year)
        assert rows and all(row.compliant == (verdict == Compliance.COMPLIANT) for row in rows)


def test_the_people_list_leads_to_the_hours_of_the_same_unit(officer_client, people):
    html = officer_client.get(reverse("people:list"), {"unit": people["unit"].pk}).content.decode()
    assert f'href="{URL}?unit={people["unit"].pk}">学时达标情况</a>' in html
