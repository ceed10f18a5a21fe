"""hefei_cpe.compiled: a queryset compiled once and run with new values gives what the
queryset gives — the same rows, the same select_related objects and annotations, None where
the scope reaches nothing — and compiles once per shape."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Count

from apps.accounts.backends import PortalBackend
from apps.accounts.models import Role
from apps.accounts.scope import NOBODY, Scope
from apps.credits.models import LedgerEntry, Source
from apps.credits.selectors import ledger_person_get, with_ledger_version
from apps.people.models import Person
from apps.people.selectors import people_in_scope
from hefei_cpe.compiled import CompiledQuery
from tests.factories import make_user

pytestmark = pytest.mark.django_db

FIELDS = ("id", "name", "unit_id", "industry_id", "title_year", "created_at")


def _same(compiled: Person, orm: Person) -> None:
    for field in FIELDS:
        assert getattr(compiled, field) == getattr(orm, field), field
    assert compiled.unit.name == orm.unit.name
    assert compiled.unit.jurisdiction.name == orm.unit.jurisdiction.name
    assert compiled.industry == orm.industry
    for version in ("version_entries", "version_last_entry", "version_claims"):
        assert getattr(compiled, version) == getattr(orm, version), version


def test_the_ledger_person_is_the_orms_person_in_every_scope(person, other_person, shushan):
    LedgerEntry.objects.create(
        person=person,
        year=2025,
        kind="organized_training",
        subject="professional",
        hours=Decimal("12.5"),
        source=Source.CLAIM,
        reviewer_name="刘审核",
        reviewer_org="蜀山区",
    )
    query = CompiledQuery(
        lambda kind, anchor, pk: with_ledger_version(people_in_scope(Scope(kind, anchor))).filter(
            pk=pk
        )
    )
    scopes = [
        Scope("city"),
        Scope("jurisdiction", shushan.pk),
        Scope("person", person.pk),
        Scope("person", other_person.pk),
        Scope("unit", person.unit_id),
        NOBODY,
    ]
    for scope in scopes:
        for target in (person, other_person):
            orm = with_ledger_version(people_in_scope(scope)).filter(pk=target.pk).first()
            compiled = query.get(scope.kind, anchor=scope.anchor_id or 0, pk=target.pk)
            if orm is None:
                assert compiled is None, (scope, target.name)
            else:
                assert compiled is not None, (scope, target.name)
                _same(compiled, orm)
    assert query.get("person", anchor=person.pk, pk=person.pk).version_entries == 1


def test_each_shape_is_compiled_once_and_values_change_freely(person, other_person):
    built: list[str] = []

    def build(kind, pk):
        built.append(kind)
        return Person.objects.select_related("unit").filter(pk=pk)

    query = CompiledQuery(build)
    assert query.get("a", pk=person.pk).name == person.name
    assert query.get("a", pk=other_person.pk).name == other_person.name
    assert query.get("a", pk=10**9) is None
    assert query.get("b", pk=person.pk).unit == person.unit
    assert built == ["a", "b"]


def test_more_than_one_row_is_an_error(person, other_person):
    query = CompiledQuery(lambda _shape, pk: Person.objects.filter(pk__gte=pk))
    with pytest.raises(Person.MultipleObjectsReturned):
        query.get(None, pk=0)


def test_a_queryset_that_prefetches_or_aggregates_is_refused(person):
    with pytest.raises(TypeError):
        CompiledQuery(lambda _s, pk: Person.objects.prefetch_related("entries")).get(None, pk=1)
    with pytest.raises(TypeError):
        CompiledQuery(
            lambda _s, pk: Person.objects.filter(pk=pk).values("name").annotate(n=Count("id"))
        ).get(None, pk=person.pk)


def test_ledger_page_person_404_outside_the_scope(person, other_person, shushan):
    from django.http import Http404

    officer = make_user(Role.DISTRICT_OFFICER, jurisdiction=shushan)
    assert ledger_person_get(user=officer, pk=person.pk).pk == person.pk
    for pk in (other_person.pk, None, 10**9):
        with pytest.raises(Http404):
            ledger_person_get(user=officer, pk=pk)


def test_the_backend_reads_active_users_only(person, django_assert_num_queries):
    user = make_user(Role.TRAINEE, person=person)
    backend = PortalBackend()
    with django_assert_num_queries(1):
        assert backend.get_user(user.pk) == user
    assert backend.get_user("not a number") is None
    assert backend.get_user(10**9) is None
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert backend.get_user(user.pk) is None
