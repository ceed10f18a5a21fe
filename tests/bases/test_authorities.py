"""The city's reference list of industry authorities (行业主管部门): the city adds, corrects and
deactivates them; each names the industry it supervises; Attachment 1 never touches them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.accounts.models import Role
from apps.bases.models import Organiser
from apps.bases.selectors import authorities_visible_to, organiser_of
from apps.bases.services import authority_save
from apps.people.models import Industry
from tests.conftest import client_for
from tests.factories import AuthorityFactory, make_user


@pytest.fixture
def city(db):
    return make_user(Role.CITY_OFFICER)


def _industry(code="health"):
    return Industry.objects.get(code=code)


def test_it_adds_an_authority_with_its_industry(city):
    authority = authority_save(
        user=city, name=" 市卫生健康委 ", industry=_industry(), phone=" 0551-1 "
    )
    assert authority.kind == Organiser.Kind.INDUSTRY_AUTHORITY and authority.is_authority
    assert (authority.name, authority.industry.code, authority.phone) == (
        "市卫生健康委",
        "health",
        "0551-1",
    )
    assert authority.history.count() == 1


def test_it_names_every_missing_field_at_once_in_chinese(city):
    with pytest.raises(ValidationError) as caught:
        authority_save(user=city, name="  ", industry=None)
    errors = caught.value.message_dict
    assert errors["name"] == ["请填写行业主管部门名称。"]
    assert errors["industry"] == ["请选择该部门主管的行业。"]
    assert not Organiser.objects.exists()


def test_it_refuses_a_name_already_listed(city, base):
    with pytest.raises(ValidationError) as caught:
        authority_save(user=city, name=base.name, industry=_industry())
    assert "name" in caught.value.message_dict
    assert Organiser.objects.count() == 1


def test_it_corrects_an_authority_and_keeps_the_change(city):
    authority = AuthorityFactory()
    authority_save(user=city, authority=authority, name="市教育局", industry=_industry("education"))
    authority.refresh_from_db()
    assert (authority.name, authority.industry.code) == ("市教育局", "education")
    assert authority.history.count() == 2


def test_it_never_turns_a_base_into_an_authority(city, base):
    with pytest.raises(ValidationError):
        authority_save(user=city, authority=base, name=base.name, industry=_industry())
    base.refresh_from_db()
    assert base.kind == Organiser.Kind.TRAINING_BASE and base.industry is None


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICER, Role.ORGANISER_STAFF])
def test_only_the_city_keeps_the_list(role, personas):
    with pytest.raises((ValidationError, PermissionDenied)):
        authority_save(user=personas[role], name="市财政局", industry=_industry("accounting"))
    assert not Organiser.objects.filter(name="市财政局").exists()


def test_the_database_refuses_an_authority_without_an_industry(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organiser.objects.create(name="市某局", kind=Organiser.Kind.INDUSTRY_AUTHORITY)


def test_the_city_adds_edits_and_deactivates_on_its_page(city, personas):
    client = client_for(city)
    response = client.post(
        reverse("bases:authority_new"),
        {"name": "市农业农村局", "industry": _industry("agriculture").pk, "phone": ""},
    )
    assert response.status_code == 302
    authority = Organiser.objects.get(name="市农业农村局")
    page = client.get(reverse("bases:list")).content.decode()
    assert "行业主管部门" in page and "市农业农村局" in page and "农业" in page

    response = client.post(
        reverse("bases:authority_edit", args=[authority.pk]),
        {"name": "市农业农村局", "industry": "", "phone": ""},
    )
    assert response.status_code == 200
    assert "主管行业：这个字段是必填项。" in response.content.decode()

    client.post(reverse("bases:toggle", args=[authority.pk]))
    authority.refresh_from_db()
    assert not authority.is_active
    assert authority in authorities_visible_to(user=city)
    assert authority not in authorities_visible_to(user=personas[Role.DISTRICT_OFFICER])


def test_a_base_is_not_edited_as_an_authority(city, base):
    response = client_for(city).get(reverse("bases:authority_edit", args=[base.pk]))
    assert response.status_code == 404


def test_loading_attachment_1_leaves_the_authorities_alone(db):
    authority = AuthorityFactory(name="市卫生健康委")
    call_command("load_training_bases", stdout=StringIO())
    call_command("load_training_bases", stdout=StringIO())
    assert Organiser.objects.filter(kind=Organiser.Kind.TRAINING_BASE).count() == 31
    assert Organiser.objects.filter(kind=Organiser.Kind.INDUSTRY_AUTHORITY).get() == authority


def test_staff_know_their_organiser(db):
    authority = AuthorityFactory()
    staff = make_user(Role.ORGANISER_STAFF, organiser=authority)
    assert organiser_of(user=staff) == authority
    assert organiser_of(user=make_user(Role.CITY_OFFICER)) is None
