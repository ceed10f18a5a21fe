"""Unit administrators: opened by the district officer with a one-time code, activated by the
administrator, suspended by the officer; they register and see their own unit's people only."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.models import Role, User
from apps.accounts.unit_admins import (
    login_activate,
    unit_admin_code_issue,
    unit_admin_create,
    unit_admin_suspend,
)
from apps.credits.models import Claim
from tests.conftest import client_for
from tests.factories import make_person, make_user, new_id_number

PASSWORD = "Feicui-lake-walk-2026"


@pytest.fixture
def officer(shushan):
    return make_user(Role.DISTRICT_OFFICER, jurisdiction=shushan)


def test_the_district_opens_a_login_that_the_administrator_activates(officer, person):
    issued = unit_admin_create(
        officer=officer, unit=person.unit, username="Unit-Hupo2", full_name="孙管理"
    )
    account = issued.account
    assert account.username == "unit-hupo2" and account.role == Role.UNIT_ADMIN
    assert not account.has_usable_password()
    with pytest.raises(ValidationError):
        login_activate(username="unit-hupo2", code="AAAA-BBBB-CCCC", password=PASSWORD)
    user = login_activate(username="unit-hupo2", code=issued.code.lower(), password=PASSWORD)
    assert user.check_password(PASSWORD)
    with pytest.raises(ValidationError):  # once only
        login_activate(username="unit-hupo2", code=issued.code, password=PASSWORD)


def test_another_district_cannot_open_or_suspend_a_units_login(baohe, person, officer):
    stranger = make_user(Role.DISTRICT_OFFICER, jurisdiction=baohe)
    with pytest.raises(PermissionError):
        unit_admin_create(officer=stranger, unit=person.unit, username="x-admin", full_name="x")
    account = unit_admin_create(
        officer=officer, unit=person.unit, username="y-admin", full_name="y"
    ).account
    with pytest.raises(PermissionError):
        unit_admin_suspend(officer=stranger, account=account, active=False)
    with pytest.raises(PermissionError):
        unit_admin_code_issue(officer=stranger, account=account)


def test_a_taken_login_name_is_refused_and_nothing_written(officer, person):
    unit_admin_create(officer=officer, unit=person.unit, username="z-admin", full_name="z")
    with pytest.raises(ValidationError) as caught:
        unit_admin_create(officer=officer, unit=person.unit, username="z-admin", full_name="z")
    assert "username" in caught.value.message_dict
    assert User.objects.filter(role=Role.UNIT_ADMIN).count() == 1


def test_a_suspended_administrator_cannot_sign_in_or_activate(officer, person):
    issued = unit_admin_create(officer=officer, unit=person.unit, username="s-admin", full_name="s")
    unit_admin_suspend(officer=officer, account=issued.account, active=False)
    with pytest.raises(ValidationError):
        login_activate(username="s-admin", code=issued.code, password=PASSWORD)
    assert User.objects.get(username="s-admin").scope.kind == "nobody"


def test_the_officer_pages_open_suspend_and_reissue(officer, person):
    client = client_for(officer)
    url = reverse("units:admins", args=[person.unit_id])
    page = client.post(url, {"username": "page-admin", "full_name": "页面管理", "phone": ""})
    text = page.content.decode()
    assert page.status_code == 200 and "page-admin" in text and "激活码" in text
    account = User.objects.get(username="page-admin")
    client.post(reverse("units:admin_suspend", args=[person.unit_id, account.pk]))
    account.refresh_from_db()
    assert not account.is_active
    assert "已停用" in client.get(url).content.decode()
    client.post(
        reverse("units:admin_suspend", args=[person.unit_id, account.pk]), {"action": "resume"}
    )
    account.refresh_from_db()
    assert account.is_active


def test_the_staff_activation_page_opens_the_login(client, officer, person):
    issued = unit_admin_create(officer=officer, unit=person.unit, username="w-admin", full_name="w")
    response = client.post(
        reverse("accounts:activate_login"),
        {"username": "w-admin", "code": issued.code, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.get(username="w-admin").check_password(PASSWORD)


def test_an_administrator_registers_only_into_its_own_unit(person, other_person):
    admin = make_user(Role.UNIT_ADMIN, unit=person.unit)
    client = client_for(admin)
    form = client.get(reverse("people:create")).content.decode()
    assert person.unit.name in form and other_person.unit.name not in form
    number = new_id_number()
    response = client.post(
        reverse("people:create"),
        {
            "name": "王新",
            "id_number": number,
            "unit": other_person.unit_id,
            "industry": person.industry_id,
        },
    )
    assert response.status_code == 200  # the other unit is not a choice
    response = client.post(
        reverse("people:create"),
        {
            "name": "王新",
            "id_number": number,
            "unit": person.unit_id,
            "industry": person.industry_id,
        },
    )
    assert response.status_code == 302
    listing = client.get(reverse("people:list")).content.decode()
    assert "王新" in listing and other_person.name not in listing
    assert client.get(reverse("people:detail", args=[other_person.pk])).status_code == 404
    code_page = client.post(reverse("people:issue_code", args=[person.pk])).content.decode()
    assert person.name in code_page


def test_the_units_hours_list_shows_shortfall_and_exports(
    person, other_person, django_assert_max_num_queries
):
    colleague = make_person(unit=person.unit, name="赵同事")
    admin = make_user(Role.UNIT_ADMIN, unit=person.unit)
    client = client_for(admin)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("credits:people_hours")).content.decode()
    assert person.name in page and colleague.name in page and other_person.name not in page
    assert "90" in page or "60" in page
    # The list's old address (bookmarks, ?short=1) lands on the shared page.
    old = client.get(reverse("credits:unit_people"), {"short": "1", "year": "2025"})
    assert old["Location"] == reverse("credits:people_hours") + "?year=2025&compliance=short"
    response = client.get(reverse("credits:people_hours") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3 and {rows[1][0], rows[2][0]} == {person.name, colleague.name}
    assert rows[0][9] == "专业科目尚缺"
    assert rows[1][9] == 60  # professional hours short: nothing credited yet


def test_the_home_page_of_an_administrator_counts_claims_to_screen(person):
    admin = make_user(Role.UNIT_ADMIN, unit=person.unit)
    assert Claim.objects.count() == 0
    page = client_for(admin).get(reverse("home")).content.decode()
    assert person.unit.name in page and "0 条申报待您初审" in page
