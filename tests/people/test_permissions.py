"""The object rules of people, units, bases, accounts and the public course."""

from __future__ import annotations

from apps.accounts.permissions import may_administer, may_issue_activation_codes
from apps.accounts.scope import Scope
from apps.bases.permissions import may_manage_organisers
from apps.people.models import Person, Unit
from apps.people.permissions import may_place_units_anywhere, may_reveal_id_number
from apps.publiccourse.permissions import may_manage

CITY, SHUSHAN, BAOHE = Scope("city"), Scope("jurisdiction", 1), Scope("jurisdiction", 2)
BASE, ME = Scope("organiser", 7), Scope("person", 42)


def test_it_lets_the_persons_officers_open_the_id_number():
    person = Person(pk=42, unit=Unit(jurisdiction_id=1))
    assert may_reveal_id_number(SHUSHAN, person) and may_reveal_id_number(CITY, person)
    assert not may_reveal_id_number(BAOHE, person)
    assert not may_reveal_id_number(ME, person)  # not even one's own: officers only
    assert not may_reveal_id_number(BASE, person)


def test_it_keeps_city_tools_for_the_city():
    for rule in (may_place_units_anywhere, may_administer, may_manage_organisers, may_manage):
        assert rule(CITY), rule
        for scope in (SHUSHAN, BASE, ME):
            assert not rule(scope), (rule, scope)


def test_it_lets_officers_issue_activation_codes():
    assert may_issue_activation_codes(CITY) and may_issue_activation_codes(SHUSHAN)
    assert not may_issue_activation_codes(BASE) and not may_issue_activation_codes(ME)
