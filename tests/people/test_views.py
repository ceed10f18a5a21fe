from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.models import ActivationCode
from apps.people.models import IdNumberAccess, Industry, Person
from tests.factories import UnitFactory


@pytest.fixture
def form_data(shushan):
    unit = UnitFactory(jurisdiction=shushan)
    return {
        "name": "赵六",
        "id_number": "11010519491231002x",
        "unit": unit.pk,
        "industry": Industry.objects.get(code="health").pk,
        "title": "主治医师",
        "title_level": "intermediate",
        "title_year": "2018",
        "transferred_in_year": "",
    }


def test_it_registers_a_professional(officer_client, form_data):
    response = officer_client.post(reverse("people:create"), form_data)
    person = Person.objects.get(name="赵六")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.id_number_masked == "110105********002X"
    assert person.gender == "F"


def test_it_rejects_a_bad_number_in_chinese_and_writes_nothing(officer_client, form_data):
    before = Person.objects.count()
    form_data["id_number"] = "110105194912310021"
    response = officer_client.post(reverse("people:create"), form_data)
    assert response.status_code == 200
    assert "身份证号码：身份证号码校验位错误（应为 X）。" in response.content.decode()
    assert Person.objects.count() == before


def test_it_rejects_a_duplicate_number(officer_client, form_data):
    officer_client.post(reverse("people:create"), form_data)
    form_data["id_number"] = "11010519491231002X"
    response = officer_client.post(reverse("people:create"), form_data)
    assert "该身份证号码的专业技术人员已登记。" in response.content.decode()
    assert Person.objects.filter(name="赵六").count() == 1


def test_it_names_every_bad_field(officer_client, form_data):
    form_data.update(name="", title_year="2999", title="", unit="")
    response = officer_client.post(reverse("people:create"), form_data)
    page = response.content.decode()
    assert "姓名：这个字段是必填项。" in page
    assert "取得现职称年份：" in page
    assert "单位：这个字段是必填项。" in page


def test_it_offers_only_units_of_the_officers_jurisdiction(officer_client, form_data, baohe):
    foreign = UnitFactory(jurisdiction=baohe, name="包河某单位")
    form_data["unit"] = foreign.pk
    response = officer_client.post(reverse("people:create"), form_data)
    assert response.status_code == 200
    assert not Person.objects.filter(name="赵六").exists()
    assert "包河某单位" not in response.content.decode()


def test_it_corrects_details_but_never_the_number(officer_client, person):
    url = reverse("people:edit", args=[person.pk])
    data = {
        "name": "李四四",
        "unit": person.unit_id,
        "industry": person.industry_id,
        "title": "工程师",
        "title_level": "intermediate",
        "title_year": "2020",
        "transferred_in_year": "2019",
        "id_number": "11010519491231002X",
    }
    officer_client.post(url, data)
    person.refresh_from_db()
    assert (person.name, person.title_year, person.transferred_in_year) == ("李四四", 2020, 2019)
    assert person.id_number_masked != "110105********002X"


@pytest.mark.parametrize("name", ["people:detail", "people:edit"])
def test_it_hides_people_of_other_jurisdictions(officer_client, other_person, name):
    assert officer_client.get(reverse(name, args=[other_person.pk])).status_code == 404


@pytest.mark.parametrize("name", ["people:id_number", "people:issue_code"])
def test_it_refuses_actions_on_other_jurisdictions(officer_client, other_person, name):
    assert officer_client.post(reverse(name, args=[other_person.pk])).status_code == 404
    assert not IdNumberAccess.objects.exists()
    assert not ActivationCode.objects.exists()


def test_it_shows_the_number_masked_until_opened(officer_client, person):
    page = officer_client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert person.id_number_masked in page
    assert person.reveal_id_number() not in page
    response = officer_client.post(reverse("people:id_number", args=[person.pk]))
    assert person.reveal_id_number() in response.content.decode()
    assert {"no-store", "private"} <= set(response["Cache-Control"].split(", "))
    assert IdNumberAccess.objects.filter(person=person).count() == 1


def test_it_lists_the_access_log_of_the_jurisdiction(
    officer_client, city_client, person, other_person
):
    city_client.post(reverse("people:id_number", args=[other_person.pk]))
    officer_client.post(reverse("people:id_number", args=[person.pk]))
    page = officer_client.get(reverse("people:access_log")).content.decode()
    assert person.name in page
    assert other_person.name not in page


def test_it_lists_people_with_a_bounded_number_of_queries(
    officer_client, shushan, django_assert_max_num_queries
):
    unit = UnitFactory(jurisdiction=shushan)
    from tests.factories import make_person

    for i in range(30):
        make_person(unit=unit, name=f"人员{i}")
    with django_assert_max_num_queries(8):
        response = officer_client.get(reverse("people:list"))
    assert response.status_code == 200
    assert response.content.decode().count('name="person"') == 31


def test_it_finds_a_person_by_id_number_without_putting_it_in_a_url(officer_client, person):
    number = person.reveal_id_number()
    response = officer_client.post(reverse("people:list"), {"q": number.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert number not in response["Location"]


def test_it_does_not_find_someone_elses_person_by_id_number(officer_client, other_person):
    response = officer_client.post(reverse("people:list"), {"q": other_person.reveal_id_number()})
    assert response["Location"] == reverse("people:list")
    follow = officer_client.get(response["Location"]).content.decode()
    assert "您的辖区内没有登记该身份证号码的人员。" in follow
    assert other_person.name not in follow


def test_it_turns_a_posted_name_search_into_a_shareable_url(officer_client, person):
    response = officer_client.post(reverse("people:list"), {"q": "李四", "account": "none"})
    assert response["Location"] == reverse("people:list") + "?q=%E6%9D%8E%E5%9B%9B&account=none"
    assert person.name in officer_client.get(response["Location"]).content.decode()


def test_it_issues_bulk_codes_as_excel(officer_client, person, shushan):
    from tests.factories import make_person

    second = make_person(unit=person.unit, name="钱七")
    response = officer_client.post(
        reverse("people:issue_codes"), {"person": [person.pk, second.pk]}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "身份证号码", "单位", "激活码", "有效期至")
    assert {row[0] for row in rows[1:]} == {"李四", "钱七"}
    assert all(len(row[3]) == 14 for row in rows[1:])
    assert person.reveal_id_number() not in str(rows)  # masked in the sheet
    assert ActivationCode.objects.count() == 2


def test_it_refuses_bulk_codes_for_someone_elses_people(officer_client, person, other_person):
    response = officer_client.post(
        reverse("people:issue_codes"), {"person": [person.pk, other_person.pk]}
    )
    assert response.status_code == 302
    assert not ActivationCode.objects.exists()


def test_it_issues_codes_for_everyone_filtered_without_account(
    officer_client, person, personas, shushan
):
    from tests.factories import make_person

    make_person(unit=person.unit, name="孙八")  # no account; `person` has one (trainee persona)
    response = officer_client.post(
        reverse("people:issue_codes") + "?account=none", {"scope": "filter_without_account"}
    )
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["孙八"]


def test_it_refuses_an_oversized_bulk_issue(officer_client, person, monkeypatch):
    from apps.people import views

    monkeypatch.setattr(views, "BULK_LIMIT", 0)
    response = officer_client.post(
        reverse("people:issue_codes") + "?account=none", {"scope": "filter_without_account"}
    )
    assert response.status_code == 302
    assert not ActivationCode.objects.exists()


def test_the_admin_corrects_a_person_through_the_service(city_client, person):
    url = reverse("admin:people_person_change", args=[person.pk])
    data = {
        "name": "李四（更正）",
        "unit": person.unit_id,
        "industry": person.industry_id,
        "title": "",
        "title_level": "",
        "title_year": "",
        "transferred_in_year": "",
    }
    response = city_client.post(url, data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "李四(更正)"  # names are stored as every upload stores them (NFKC)
    data.update(name="改不了", title_level="senior")  # a level without a title name is refused
    response = city_client.post(url, data)
    assert response.status_code == 200
    assert "已选择职称级别，请填写职称名称。" in response.content.decode()
    person.refresh_from_db()
    assert person.name == "李四(更正)"


def test_it_lists_the_people_of_one_unit(officer_client, person, shushan):
    from tests.factories import make_person

    other_unit = UnitFactory(jurisdiction=shushan, name="另一单位")
    make_person(unit=other_unit, name="周十")
    page = officer_client.get(reverse("people:list"), {"unit": person.unit_id}).content.decode()
    assert f"当前显示 {person.unit.name} 的专业技术人员。" in page
    assert person.name in page and "周十" not in page
