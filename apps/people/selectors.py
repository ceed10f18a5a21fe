"""Reads scoped by who is asking. Every view fetches people and units through these."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from apps.accounts.models import User
from apps.accounts.scope import Scope
from apps.people import crypto, idnumber
from apps.people.models import Jurisdiction, Person, PersonImport, Unit


def people_visible_to(*, user: User) -> QuerySet[Person]:
    return people_in_scope(user.scope)


def people_in_scope(scope: Scope) -> QuerySet[Person]:
    """The people a scope reaches, with their unit, jurisdiction and industry."""
    return scope.people(Person.objects.select_related("unit__jurisdiction", "industry"))


def person_get_for_user(*, user: User, pk: int) -> Person:
    return get_object_or_404(people_visible_to(user=user), pk=pk)


def people_search(*, people: QuerySet[Person], query: str) -> QuerySet[Person]:
    """A full resident ID number finds its person through the keyed hash; anything else is
    matched against the name and the unit."""
    query = query.strip()
    if not query:
        return people
    try:
        resident_id = idnumber.parse(query)
    except ValidationError:
        return people.filter(Q(name__icontains=query) | Q(unit__name__icontains=query))
    return people.filter(id_number_hash=crypto.keyed_hash(resident_id.number))


def person_find_by_id_number(*, number: str) -> Person | None:
    """Exact lookup by a normalised number; callers must already hold the right to see it."""
    return Person.objects.filter(id_number_hash=crypto.keyed_hash(number)).first()


def units_visible_to(*, user: User) -> QuerySet[Unit]:
    return user.scope.units(Unit.objects.select_related("jurisdiction"))


def jurisdictions_visible_to(*, user: User) -> QuerySet[Jurisdiction]:
    return user.scope.jurisdictions(Jurisdiction.objects.all())


def person_import_get_for_user(*, user: User, pk: int) -> PersonImport:
    """An import awaiting confirmation or done, only for the officer who uploaded it."""
    return get_object_or_404(PersonImport, pk=pk, officer=user)
