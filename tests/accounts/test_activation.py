"""Nobody takes over a ledger by knowing a name and ID number: binding needs the officer's code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import ActivationCode, Role, User
from apps.accounts.services import account_activate, activation_code_issue, activation_codes_issue
from tests.factories import make_person

NEW_PASSWORD = "Luyang-2026-spring"


@pytest.fixture
def officer(personas):
    return personas[Role.DISTRICT_OFFICER]


@pytest.fixture
def newcomer(person):
    return make_person(unit=person.unit, name="周九")


def _activate(number, code, password=NEW_PASSWORD):
    return Client().post(
        reverse("accounts:activate"),
        {"id_number": number, "code": code, "password1": password, "password2": password},
    )


def test_it_opens_an_account_with_the_officers_code(officer, newcomer):
    issued = activation_code_issue(officer=officer, person=newcomer)
    response = _activate(newcomer.reveal_id_number(), issued.code.lower())
    assert response["Location"] == reverse("accounts:login")
    user = User.objects.get(person=newcomer)
    assert user.role == Role.TRAINEE and user.check_password(NEW_PASSWORD)
    assert ActivationCode.objects.get().used_at is not None


def test_it_refuses_name_and_id_number_without_a_code(newcomer):
    response = _activate(newcomer.reveal_id_number(), "AAAA-BBBB-CCCC")
    assert response.status_code == 200
    assert "身份证号码与激活码不匹配" in response.content.decode()
    assert not User.objects.filter(person=newcomer).exists()


def test_it_uses_a_code_once(officer, newcomer):
    issued = activation_code_issue(officer=officer, person=newcomer)
    account_activate(id_number=newcomer.reveal_id_number(), code=issued.code, password=NEW_PASSWORD)
    with pytest.raises(ValidationError):
        account_activate(
            id_number=newcomer.reveal_id_number(), code=issued.code, password="Other-2026-pass"
        )
    assert User.objects.get(person=newcomer).check_password(NEW_PASSWORD)


def test_it_refuses_an_expired_code(officer, newcomer):
    issued = activation_code_issue(officer=officer, person=newcomer)
    ActivationCode.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert "不匹配" in _activate(newcomer.reveal_id_number(), issued.code).content.decode()


def test_a_new_code_voids_the_previous_one(officer, newcomer):
    first = activation_code_issue(officer=officer, person=newcomer)
    second = activation_code_issue(officer=officer, person=newcomer)
    assert "不匹配" in _activate(newcomer.reveal_id_number(), first.code).content.decode()
    assert _activate(newcomer.reveal_id_number(), second.code).status_code == 302


def test_it_resets_a_forgotten_password_with_a_new_code(officer, personas, person):
    issued = activation_code_issue(officer=officer, person=person)
    account_activate(id_number=person.reveal_id_number(), code=issued.code, password=NEW_PASSWORD)
    assert User.objects.filter(person=person).count() == 1
    assert personas[Role.TRAINEE].__class__.objects.get(person=person).check_password(NEW_PASSWORD)


def test_it_rejects_a_weak_password_and_keeps_the_code(officer, newcomer):
    issued = activation_code_issue(officer=officer, person=newcomer)
    response = _activate(newcomer.reveal_id_number(), issued.code, password="12345678")
    assert response.status_code == 200
    assert "新密码：" in response.content.decode()
    assert ActivationCode.objects.get().used_at is None


def test_it_rejects_a_malformed_id_number_in_chinese(officer, newcomer):
    response = _activate("34010419870315231", "AAAA-BBBB-CCCC")
    assert "身份证号码：身份证号码应为 18 位，现为 17 位。" in response.content.decode()


def test_only_the_persons_jurisdiction_issues_codes(personas, other_person):
    with pytest.raises(PermissionError):
        activation_code_issue(officer=personas[Role.DISTRICT_OFFICER], person=other_person)
    with pytest.raises(PermissionError):
        activation_code_issue(officer=personas[Role.ORGANISER_STAFF], person=other_person)
    activation_code_issue(officer=personas[Role.CITY_OFFICER], person=other_person)


def test_it_issues_codes_in_bulk_with_few_queries(officer, person, django_assert_max_num_queries):
    people = [make_person(unit=person.unit, name=f"批量{i}") for i in range(50)]
    with django_assert_max_num_queries(6):
        issued = activation_codes_issue(officer=officer, people=people)
    assert len({item.code for item in issued}) == 50
    assert ActivationCode.objects.count() == 50


def test_it_stores_only_a_hash_of_the_code(officer, newcomer):
    issued = activation_code_issue(officer=officer, person=newcomer)
    stored = ActivationCode.objects.values_list("code_hash", flat=True).get()
    assert issued.code not in stored and issued.code.replace("-", "") not in stored


def test_it_accepts_the_code_typed_loosely(officer, newcomer):
    issued = activation_code_issue(officer=officer, person=newcomer)
    loose = " " + issued.code.lower().replace("-", " ").translate(
        str.maketrans(
            "23456789abcdefghjkmnpqrstuvwxyz",
            "２３４５６７８９ａｂｃｄｅｆｇｈｊｋｍｎｐｑｒｓｔｕｖｗｘｙｚ",
        )
    )
    assert _activate(newcomer.reveal_id_number(), loose).status_code == 302
