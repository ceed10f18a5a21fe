"""Passwords: never like the ID number or the login, long enough, refused in Chinese."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role, User
from apps.accounts.services import activation_code_issue
from tests.factories import make_person, make_user

ID_NUMBER = "340104199510211132"
ID_NUMBER_X = "34010419951021101X"  # a valid number whose check character is X


def _messages(password: str, user: User) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    return exc.value.messages


@pytest.fixture
def trainee(shushan, person):
    owner = make_person(unit=person.unit, name="赵六", id_number=ID_NUMBER)
    return make_user(Role.TRAINEE, person=owner)


@pytest.mark.parametrize(
    "password",
    [
        "340104199510211132x",
        "340104199510211132X",
        "X340104199510211132",
        "3401 0419 9510 2111 32",
        "３４０１０４１９９５１０２１１１３２",
        "34010419951021113",
        "hf340104199510211132",
    ],
)
def test_it_refuses_a_password_like_the_id_number(trainee, password):
    assert "密码与您的身份证号码过于相似。" in _messages(password, trainee)


@pytest.mark.parametrize("password", ["34010419951021101x", "34010419951021101Xy"])
def test_it_refuses_the_id_number_with_its_check_x_in_any_case(shushan, person, password):
    owner = make_person(unit=person.unit, name="钱七", id_number=ID_NUMBER_X)
    user = make_user(Role.TRAINEE, person=owner)
    assert "密码与您的身份证号码过于相似。" in _messages(password, user)


def test_it_refuses_a_password_like_the_login_name(db):
    officer = make_user(Role.CITY_OFFICER, username="luyang.officer")
    assert "密码与您的登录名过于相似。" in _messages("Luyang.Officer1", officer)


def test_it_refuses_short_passwords_in_chinese(trainee):
    assert _messages("Kx7#pq2", trainee) == ["密码至少需要 10 个字符。"]


def test_every_validator_speaks_chinese(trainee):
    for password, expected in [
        ("1234567890123", "密码不能只包含数字。"),
        ("password123", "这个密码是最常见的密码之一，请另选一个。"),
        ("abc", "密码至少需要 10 个字符。"),
    ]:
        messages = _messages(password, trainee)
        assert expected in messages
        assert all(not any("a" <= c.lower() <= "z" for c in m) for m in messages), messages


def test_it_accepts_a_long_unrelated_password(trainee):
    validate_password("Feicui-lake-walk-2026", trainee)


def test_activation_refuses_a_password_like_the_id_number(personas, shushan, person):
    owner = make_person(unit=person.unit, name="孙八", id_number=ID_NUMBER)
    issued = activation_code_issue(officer=personas[Role.DISTRICT_OFFICER], person=owner)
    password = ID_NUMBER + "x"
    response = Client().post(
        reverse("accounts:activate"),
        {"id_number": ID_NUMBER, "code": issued.code, "password1": password, "password2": password},
    )
    assert "密码与您的身份证号码过于相似。" in response.content.decode()
    assert not User.objects.filter(person=owner).exists()


def test_it_refuses_a_password_like_the_name_or_phone_in_chinese(db):
    officer = make_user(Role.CITY_OFFICER, username="office.desk")
    User.objects.filter(pk=officer.pk).update(full_name="Wang Xiaoming", phone="13905510123")
    officer.refresh_from_db()
    assert "密码与您的姓名过于相似。" in _messages("wangxiaoming!", officer)
    assert "密码与您的电话号码过于相似。" in _messages("tel13905510123", officer)


def test_every_validators_help_text_is_chinese():
    """The rules listed beside the password fields (activation, password change)."""
    from django.contrib.auth.password_validation import password_validators_help_texts

    texts = password_validators_help_texts()
    assert len(texts) == 4
    for text in texts:
        assert not any("a" <= c.lower() <= "z" for c in text), text
