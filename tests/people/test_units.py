from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.people import creditcode
from apps.people.models import Jurisdiction, Unit
from tests.factories import UnitFactory


@pytest.mark.parametrize("code", ["91110108551385082Q", "9144030071526726XG", "914403001922038216"])
def test_it_accepts_real_credit_codes(code):
    assert creditcode.parse(code.lower()) == code


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91110108551385082A", "check"),
        ("9111010855138508", "length"),
        ("91110108551385082I", "format"),
    ],
)
def test_it_rejects_bad_credit_codes(code, reason):
    with pytest.raises(ValidationError) as info:
        creditcode.parse(code)
    assert info.value.code == reason


def test_it_registers_a_unit_in_the_officers_jurisdiction(officer_client, shushan):
    response = officer_client.post(
        reverse("units:create"),
        {
            "name": " 蜀山区  新单位 ",
            "credit_code": "91110108551385082q",
            "jurisdiction": shushan.pk,
            "affiliation": "local",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(credit_code="91110108551385082Q")
    assert (unit.name, unit.jurisdiction) == ("蜀山区 新单位", shushan)


def test_it_refuses_a_unit_in_another_jurisdiction(officer_client, baohe):
    response = officer_client.post(
        reverse("units:create"),
        {"name": "包河新单位", "jurisdiction": baohe.pk, "affiliation": "local"},
    )
    assert response.status_code == 200
    assert "所属县（市）区、开发区或市直主管部门：选择一个有效的选项" in response.content.decode()
    assert not Unit.objects.filter(name="包河新单位").exists()


def test_it_names_a_bad_credit_code_and_a_duplicate_name(officer_client, shushan):
    UnitFactory(name="已有单位", jurisdiction=shushan)
    response = officer_client.post(
        reverse("units:create"),
        {
            "name": "已有单位",
            "credit_code": "91110108551385082A",
            "jurisdiction": shushan.pk,
            "affiliation": "local",
        },
    )
    page = response.content.decode()
    assert "统一社会信用代码：统一社会信用代码校验位错误（应为 Q）。" in page
    assert Unit.objects.filter(name="已有单位").count() == 1


def test_it_refuses_a_duplicate_name_in_the_same_jurisdiction(officer_client, shushan):
    UnitFactory(name="已有单位", jurisdiction=shushan)
    response = officer_client.post(
        reverse("units:create"),
        {"name": "已有单位", "jurisdiction": shushan.pk, "affiliation": "local"},
    )
    assert response.status_code == 200
    assert "本辖区已有同名单位。" in response.content.decode()
    assert Unit.objects.filter(name="已有单位").count() == 1


def test_it_hides_units_of_other_jurisdictions(officer_client, baohe):
    foreign = UnitFactory(jurisdiction=baohe, name="包河单位")
    assert officer_client.get(reverse("units:edit", args=[foreign.pk])).status_code == 404
    assert "包河单位" not in officer_client.get(reverse("units:list")).content.decode()


def test_the_city_places_a_city_owned_unit_under_its_department(city_client):
    department = Jurisdiction.objects.get(code="city-health")
    city_client.post(
        reverse("units:create"),
        {"name": "合肥市第二人民医院", "jurisdiction": department.pk, "affiliation": "local"},
    )
    assert Unit.objects.get(name="合肥市第二人民医院").is_city_owned


def test_it_lists_units_with_few_queries(officer_client, shushan, django_assert_max_num_queries):
    for i in range(20):
        UnitFactory(jurisdiction=shushan, name=f"单位{i}")
    with django_assert_max_num_queries(6):
        assert officer_client.get(reverse("units:list")).status_code == 200


def test_it_refuses_a_credit_code_already_registered(officer_client, shushan):
    UnitFactory(name="甲单位", jurisdiction=shushan, credit_code="91110108551385082Q")
    response = officer_client.post(
        reverse("units:create"),
        {
            "name": "乙单位",
            "credit_code": "91110108551385082Q",
            "jurisdiction": shushan.pk,
            "affiliation": "local",
        },
    )
    assert "该统一社会信用代码的单位已登记。" in response.content.decode()
    assert not Unit.objects.filter(name="乙单位").exists()
