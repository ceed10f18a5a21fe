from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessLog
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role
from tests.conftest import PASSWORD

LOGIN = reverse("accounts:login")


def _login(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.mark.parametrize(
    "spelling",
    ["{n}", "{n_lower}", " {n} ", "{n_fullwidth}"],
)
def test_it_signs_a_professional_in_by_id_number(personas, person, spelling):
    number = person.reveal_id_number()
    typed = spelling.format(
        n=number,
        n_lower=number.lower(),
        n_fullwidth=number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")),
    )
    response = _login(Client(), typed)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_it_signs_staff_in_by_login_name(personas):
    officer = personas[Role.DISTRICT_OFFICER]
    assert _login(Client(), officer.username.upper())["Location"] == reverse("home")


def test_it_refuses_the_internal_handle_of_a_professional(personas):
    trainee = personas[Role.TRAINEE]
    response = _login(Client(), trainee.username)
    assert response.status_code == 200
    assert "身份证号码（或登录名）与密码不符" in response.content.decode()


def test_it_refuses_a_wrong_password_in_chinese(personas, person):
    response = _login(Client(), person.reveal_id_number(), "wrong-password")
    assert response.status_code == 200
    assert "身份证号码（或登录名）与密码不符" in response.content.decode()


def test_it_refuses_an_inactive_account(personas):
    officer = personas[Role.DISTRICT_OFFICER]
    officer.is_active = False
    officer.save()
    assert _login(Client(), officer.username).status_code == 200


def test_it_locks_the_account_after_repeated_failures(personas, person, settings):
    number = person.reveal_id_number()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(Client(), number, "wrong").status_code == 200
    locked = _login(Client(), number.lower(), "wrong")  # another spelling counts the same
    assert locked.status_code == 429
    assert "账号已暂时锁定" in locked.content.decode()
    assert "30 分钟后再试" in locked.content.decode()
    # Even the right password is refused while locked.
    assert _login(Client(), number).status_code == 429
    # Another account is not affected.
    assert _login(Client(), personas[Role.CITY_OFFICER].username).status_code == 302


def test_it_keeps_no_clear_id_number_in_the_attempt_log(personas, person):
    number = person.reveal_id_number()
    _login(Client(), number, "wrong")
    _login(Client(), number)
    stored = [str(v) for a in AccessAttempt.objects.values() for v in a.values()]
    stored += [str(v) for a in AccessLog.objects.values() for v in a.values()]
    assert stored
    assert not any(number in value for value in stored)


def test_it_changes_the_password(personas):
    client = Client()
    _login(client, personas[Role.CITY_OFFICER].username)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Hefei-new-2026!",
            "new_password2": "Hefei-new-2026!",
        },
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    assert (
        _login(Client(), personas[Role.CITY_OFFICER].username, "Hefei-new-2026!").status_code == 302
    )


def test_it_rejects_a_weak_new_password_in_chinese(personas):
    client = Client()
    _login(client, personas[Role.CITY_OFFICER].username)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "密码" in response.content.decode() and "常见" in response.content.decode()


def test_it_signs_out_on_post(personas):
    client = Client()
    _login(client, personas[Role.CITY_OFFICER].username)
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home")).status_code == 302


def test_each_login_acts_for_exactly_one_party(db, shushan):
    from django.db import IntegrityError, transaction

    from apps.accounts.models import User

    for fields in (
        {"role": Role.DISTRICT_OFFICER},  # no jurisdiction
        {"role": Role.CITY_OFFICER, "jurisdiction": shushan},  # the city acts for no district
        {"role": Role.TRAINEE},  # no person
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create(username="someone", full_name="某人", **fields)


def test_a_new_activation_code_lifts_a_lockout(personas, person, settings):
    from apps.accounts.services import account_activate, activation_code_issue

    number = person.reveal_id_number()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(), number, "wrong")
    assert _login(Client(), number).status_code == 429
    issued = activation_code_issue(officer=personas[Role.DISTRICT_OFFICER], person=person)
    account_activate(id_number=number, code=issued.code, password="Baohe-lake-2026")
    assert _login(Client(), number, "Baohe-lake-2026").status_code == 302
