from __future__ import annotations

import datetime as dt
import itertools

import factory

from apps.accounts.models import Role, User
from apps.bases.models import Organiser
from apps.people import idnumber
from apps.people.models import Industry, Jurisdiction, Person, Unit
from apps.people.services import person_create

_sequence = itertools.count(1)


def new_id_number(address: str = "340104", birth: dt.date = dt.date(1985, 6, 1)) -> str:
    n = next(_sequence)
    return idnumber.compose(address, birth + dt.timedelta(days=n // 900), n % 900 + 1)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    jurisdiction = factory.LazyFunction(lambda: Jurisdiction.objects.get(code="shushan"))


class OrganiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organiser

    name = factory.Sequence(lambda n: f"测试培训基地{n}")
    phone = "63685609"


class AuthorityFactory(OrganiserFactory):
    """An industry authority (行业主管部门) as an organiser; health unless told."""

    kind = Organiser.Kind.INDUSTRY_AUTHORITY
    name = factory.Sequence(lambda n: f"测试行业主管部门{n}")
    industry = factory.LazyFunction(lambda: Industry.objects.get(code="health"))


def make_person(
    *, unit: Unit | None = None, name: str = "张三", id_number: str | None = None, **facts: object
) -> Person:
    return person_create(
        name=name,
        id_number=id_number or new_id_number(),
        unit=unit or UnitFactory(),
        industry=Industry.objects.get(code="general"),
        **facts,
    )


def make_user(role: str, *, password: str = "pass-for-tests-1", **org: object) -> User:
    if role == Role.TRAINEE:
        person = org.pop("person", None) or make_person()
        user = User(username=f"person-{person.pk}", full_name=person.name, role=role, person=person)
    else:
        username = org.pop("username", None) or f"{role.replace('_', '')}{next(_sequence)}"
        user = User(username=username, full_name=f"测试{role}", role=role, **org)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user
