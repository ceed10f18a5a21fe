"""Whoever knows an ID number can neither hammer /accounts/activate/ nor cancel that person's
activation: attempts are limited per client address, and wrong codes hold the code for a while
instead of voiding it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import ActivationCode, Role, User
from apps.accounts.services import ACTIVATION_HOLD_MINUTES, activation_code_issue
from tests.factories import make_person

NEW_PASSWORD = "Luyang-2026-spring"


@pytest.fixture
def newcomer(person):
    return make_person(unit=person.unit, name="周九")


def _activate(number, code, *, address="203.0.113.7"):
    return Client(REMOTE_ADDR=address).post(
        reverse("accounts:activate"),
        {"id_number": number, "code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def test_it_limits_attempts_per_client_address(settings, personas, newcomer):
    settings.ACTIVATION_ATTEMPT_LIMIT = 3
    number = newcomer.reveal_id_number()
    codes = ["AAAA-BBBB-CCC2", "AAAA-BBBB-CCC3", "AAAA-BBBB-CCC4"]
    assert [_activate(number, c).status_code for c in codes] == [200, 200, 200]
    issued = activation_code_issue(officer=personas[Role.DISTRICT_OFFICER], person=newcomer)
    refused = _activate(number, issued.code)
    assert refused.status_code == 429
    assert "激活尝试次数过多" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert not User.objects.filter(person=newcomer).exists()
    # Another address is not held back by the first one.
    assert _activate(number, issued.code, address="198.51.100.2").status_code == 302


def test_wrong_codes_hold_the_code_instead_of_voiding_it(personas, newcomer):
    issued = activation_code_issue(officer=personas[Role.DISTRICT_OFFICER], person=newcomer)
    number = newcomer.reveal_id_number()
    for n in range(5):
        _activate(number, "WRNG-CODE-2345", address=f"192.0.2.{n}")
    code = ActivationCode.objects.get()
    assert code.revoked_at is None
    assert code.held_until > timezone.now() + dt.timedelta(minutes=ACTIVATION_HOLD_MINUTES - 1)
    # While held even the right code waits, and the message says why codes pause.
    held = _activate(number, issued.code, address="192.0.2.50")
    assert "暂停使用" in held.content.decode()
    assert not User.objects.filter(person=newcomer).exists()
    # Once the hold has passed, the right code opens the account.
    ActivationCode.objects.update(held_until=timezone.now() - dt.timedelta(seconds=1))
    assert _activate(number, issued.code, address="192.0.2.51").status_code == 302
    assert User.objects.get(person=newcomer).check_password(NEW_PASSWORD)


def test_the_officer_can_still_issue_a_new_code_while_one_is_held(personas, newcomer):
    officer = personas[Role.DISTRICT_OFFICER]
    activation_code_issue(officer=officer, person=newcomer)
    number = newcomer.reveal_id_number()
    for n in range(5):
        _activate(number, "WRNG-CODE-2345", address=f"192.0.2.{n}")
    fresh = activation_code_issue(officer=officer, person=newcomer)
    assert _activate(number, fresh.code, address="192.0.2.99").status_code == 302


# --- The staff activation page (unit administrators, organisers' staff) --------------------


@pytest.fixture
def staff_code(personas, person):
    from apps.accounts.unit_admins import unit_admin_create

    return unit_admin_create(
        officer=personas[Role.DISTRICT_OFFICER],
        unit=person.unit,
        username="hupo-admin2",
        full_name="琥珀管理员",
    )


def _activate_login(code, *, address="203.0.113.8"):
    return Client(REMOTE_ADDR=address).post(
        reverse("accounts:activate_login"),
        {
            "username": "hupo-admin2",
            "code": code,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )


def test_the_staff_page_limits_attempts_per_client_address(settings, staff_code):
    settings.ACTIVATION_ATTEMPT_LIMIT = 2
    assert [_activate_login(c).status_code for c in ("WRNG-CODE-2345", "WRNG-CODE-2346")] == [
        200,
        200,
    ]
    refused = _activate_login(staff_code.code)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "激活尝试次数过多" in refused.content.decode()
    assert not User.objects.get(username="hupo-admin2").has_usable_password()
    assert _activate_login(staff_code.code, address="198.51.100.3").status_code == 302


def test_wrong_staff_codes_hold_the_code_instead_of_voiding_it(personas, staff_code):
    for n in range(5):
        _activate_login("WRNG-CODE-2345", address=f"192.0.2.{n}")
    code = ActivationCode.objects.get(account__username="hupo-admin2")
    assert code.revoked_at is None and code.used_at is None
    assert code.held_until > timezone.now() + dt.timedelta(minutes=ACTIVATION_HOLD_MINUTES - 1)
    assert "暂停使用" in _activate_login(staff_code.code, address="192.0.2.50").content.decode()
    ActivationCode.objects.update(held_until=timezone.now() - dt.timedelta(seconds=1))
    assert _activate_login(staff_code.code, address="192.0.2.51").status_code == 302
    assert User.objects.get(username="hupo-admin2").check_password(NEW_PASSWORD)
