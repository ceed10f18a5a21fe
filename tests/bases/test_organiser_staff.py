"""Organiser staff logins (组织单位经办人): the city opens one on the organiser's 经办人账号 page
with a one-time activation code (only its keyed hash is kept), re-issues codes and suspends
or restores logins; the staff member opens the login at the staff activation page. The flow is
the unit administrators' (apps.accounts.staff_logins)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import ActivationCode, Role, User
from apps.accounts.staff_logins import (
    staff_login_activate,
    staff_login_code_issue,
    staff_login_open,
    staff_login_suspend,
)
from apps.bases.services import organiser_set_active
from tests.conftest import client_for
from tests.factories import AuthorityFactory, OrganiserFactory, UnitFactory, make_user

PASSWORD = "Chaohu-shore-walk-2026"


@pytest.fixture
def city(db):
    return make_user(Role.CITY_OFFICER)


@pytest.fixture
def authority(db):
    return AuthorityFactory(name="市卫生健康委")


def _open(city, organiser, username="wjw-li", full_name="李经办"):
    return staff_login_open(
        officer=city, organiser=organiser, username=username, full_name=full_name
    )


def test_it_opens_a_login_the_staff_member_activates_once(city, authority):
    issued = _open(city, authority, username=" WJW-Li ", full_name=" 李  经办 ")
    account = issued.account
    assert (account.username, account.full_name) == ("wjw-li", "李 经办")
    assert account.role == Role.ORGANISER_STAFF and account.organiser == authority
    assert not account.has_usable_password()
    stored = ActivationCode.objects.get(account=account)
    assert stored.issued_by == city and stored.expires_at > timezone.now()
    # Only a keyed hash is stored, never the code itself.
    assert (
        issued.code not in stored.code_hash and issued.code.replace("-", "") not in stored.code_hash
    )
    with pytest.raises(ValidationError):
        staff_login_activate(username="wjw-li", code="AAAA-BBBB-CCCC", password=PASSWORD)
    user = staff_login_activate(username="WJW-LI", code=issued.code.lower(), password=PASSWORD)
    assert user.check_password(PASSWORD) and user.scope.organiser_id == authority.pk
    with pytest.raises(ValidationError):  # once only
        staff_login_activate(username="wjw-li", code=issued.code, password=PASSWORD)


def test_it_names_every_bad_field_in_chinese_and_writes_nothing(city, authority):
    with pytest.raises(ValidationError) as caught:
        _open(city, authority, username="1-bad name", full_name="  ")
    errors = caught.value.message_dict
    assert errors["full_name"] == ["请填写账号持有人的姓名。"]
    assert errors["username"][0].startswith("登录名为 3–40 位小写字母")
    assert not User.objects.filter(role=Role.ORGANISER_STAFF).exists()
    assert not ActivationCode.objects.exists()


def test_a_login_name_is_unique_across_every_role(city, authority, shushan):
    make_user(Role.UNIT_ADMIN, unit=UnitFactory(), username="taken-name")
    with pytest.raises(ValidationError) as caught:
        _open(city, authority, username="Taken-Name")
    assert caught.value.message_dict == {"username": ["该登录名已被使用。"]}
    assert not User.objects.filter(role=Role.ORGANISER_STAFF).exists()


def test_only_the_city_opens_codes_or_suspends(city, authority, shushan):
    account = _open(city, authority).account
    for outsider in (
        make_user(Role.DISTRICT_OFFICER, jurisdiction=shushan),
        make_user(Role.ORGANISER_STAFF, organiser=authority),
    ):
        with pytest.raises(PermissionError):
            _open(outsider, authority, username=f"x-{outsider.pk}")
        with pytest.raises(PermissionError):
            staff_login_code_issue(officer=outsider, account=account)
        with pytest.raises(PermissionError):
            staff_login_suspend(officer=outsider, account=account, active=False)
    assert User.objects.filter(role=Role.ORGANISER_STAFF, organiser=authority).count() == 2


def test_a_deactivated_organiser_gets_no_new_logins(city, authority):
    organiser_set_active(organiser=authority, active=False)
    with pytest.raises(ValidationError) as caught:
        _open(city, authority)
    assert caught.value.messages == ["市卫生健康委 已停用，不能开通新的账号。请先重新启用。"]
    assert not User.objects.filter(role=Role.ORGANISER_STAFF).exists()
    page = client_for(city).get(reverse("bases:staff", args=[authority.pk])).content.decode()
    assert "已停用，不能开通新的账号" in page and 'id="organiser-staff-form"' not in page


def test_a_new_code_replaces_the_open_one(city, authority):
    first = _open(city, authority)
    second = staff_login_code_issue(officer=city, account=first.account)
    assert (
        ActivationCode.objects.filter(account=first.account, revoked_at__isnull=True).count() == 1
    )
    with pytest.raises(ValidationError):
        staff_login_activate(username="wjw-li", code=first.code, password=PASSWORD)
    assert staff_login_activate(username="wjw-li", code=second.code, password=PASSWORD)


def test_a_suspended_login_cannot_activate_or_sign_in_until_restored(city, authority):
    issued = _open(city, authority)
    staff_login_suspend(officer=city, account=issued.account, active=False)
    with pytest.raises(ValidationError):
        staff_login_activate(username="wjw-li", code=issued.code, password=PASSWORD)
    assert User.objects.get(username="wjw-li").scope.kind == "nobody"
    staff_login_suspend(officer=city, account=issued.account, active=True)
    assert staff_login_activate(username="wjw-li", code=issued.code, password=PASSWORD)


def test_the_city_page_lists_opens_recodes_and_suspends(
    city, authority, django_assert_max_num_queries
):
    signed_in = _open(city, authority, username="wjw-zhao", full_name="赵经办").account
    signed_in.set_password(PASSWORD)
    signed_in.last_login = timezone.now().replace(year=2026, month=3, day=9, hour=1)
    signed_in.save()
    _open(city, authority, username="wjw-qian", full_name="钱经办")
    client = client_for(city)
    url = reverse("bases:staff", args=[authority.pk])
    # Session, user, organiser, its logins: as many queries whatever the number of logins.
    with django_assert_max_num_queries(4):
        page = client.get(url).content.decode()
    assert "赵经办" in page and "wjw-zhao" in page and "已开通" in page and "2026-03-09" in page

    refused = client.post(url, {"full_name": "", "username": "wjw-new"}).content.decode()
    assert "姓名：这个字段是必填项。" in refused
    refused = client.post(url, {"full_name": "孙经办", "username": "wjw-zhao"}).content.decode()
    assert "登录名：该登录名已被使用。" in refused

    answer = client.post(url, {"full_name": "李经办", "username": "wjw-li", "phone": ""})
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]
    account = User.objects.get(username="wjw-li")
    assert account.organiser == authority and "激活码" in answer.content.decode()
    page = client.get(url).content.decode()
    assert "待激活" in page

    code_page = client.post(reverse("bases:staff_code", args=[authority.pk, account.pk]))
    assert code_page.status_code == 200 and "wjw-li" in code_page.content.decode()
    client.post(reverse("bases:staff_suspend", args=[authority.pk, account.pk]))
    account.refresh_from_db()
    assert not account.is_active and "已停用" in client.get(url).content.decode()
    client.post(
        reverse("bases:staff_suspend", args=[authority.pk, account.pk]), {"action": "resume"}
    )
    account.refresh_from_db()
    assert account.is_active


def test_another_organisers_login_or_an_unknown_organiser_is_404(city, authority):
    base = OrganiserFactory()
    theirs = make_user(Role.ORGANISER_STAFF, organiser=base)
    client = client_for(city)
    for name in ("bases:staff_code", "bases:staff_suspend"):
        assert client.post(reverse(name, args=[authority.pk, theirs.pk])).status_code == 404
    unit_admin = make_user(Role.UNIT_ADMIN, unit=UnitFactory())
    assert (
        client.post(reverse("bases:staff_code", args=[authority.pk, unit_admin.pk])).status_code
        == 404
    )
    assert client.get(reverse("bases:staff", args=[999_999])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active and not ActivationCode.objects.filter(account=theirs).exists()


def test_the_staff_activation_page_opens_the_login_for_the_organiser_home(client, city, authority):
    issued = _open(city, authority)
    response = client.post(
        reverse("accounts:activate_login"),
        {"username": "wjw-li", "code": issued.code, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    signed_in = client.post(reverse("accounts:login"), {"username": "wjw-li", "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("home")
    home = client.get(reverse("home")).content.decode()
    assert "市卫生健康委" in home and "卫生健康" in home


def test_no_code_or_suspension_here_for_a_login_of_another_kind(city, shushan):
    officer = make_user(Role.DISTRICT_OFFICER, jurisdiction=shushan)
    with pytest.raises(ValidationError):
        staff_login_code_issue(officer=city, account=officer)
    with pytest.raises(ValidationError):
        staff_login_suspend(officer=city, account=officer, active=False)
    officer.refresh_from_db()
    assert officer.is_active and not ActivationCode.objects.exists()
