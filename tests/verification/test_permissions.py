"""The object rules of verifications: pure functions of a scope and an unsaved object."""

from __future__ import annotations

import pytest

from apps.accounts.scope import Scope
from apps.people.models import Person, Unit
from apps.verification.models import Verification
from apps.verification.permissions import may_confirm, may_issue, may_return, may_revoke

CITY, SHUSHAN, BAOHE = Scope("city"), Scope("jurisdiction", 1), Scope("jurisdiction", 2)
BASE, ME = Scope("organiser", 7), Scope("person", 42)
S = Verification.Status


def _v(status: str, jurisdiction_id: int = 1) -> Verification:
    return Verification(status=status, jurisdiction_id=jurisdiction_id)


def test_it_lets_only_the_persons_own_office_verify():
    person = Person(pk=42, unit=Unit(jurisdiction_id=1))
    assert may_issue(SHUSHAN, person)
    assert not may_issue(BAOHE, person)
    assert may_issue(BAOHE)  # a verifying office, for people of its own
    for scope in (CITY, BASE, ME):
        assert not may_issue(scope) and not may_issue(scope, person)


@pytest.mark.parametrize("status", S.values)
def test_it_lets_the_issuing_office_or_the_city_revoke_a_standing_verification(status):
    standing = status in (S.VALID, S.AWAITING_REVIEW)
    assert bool(may_revoke(SHUSHAN, _v(status))) is standing
    assert bool(may_revoke(CITY, _v(status))) is standing
    assert not may_revoke(BAOHE, _v(status))
    assert not may_revoke(ME, _v(status)) and not may_revoke(BASE, _v(status))


def test_it_names_why_a_revocation_is_refused():
    assert may_revoke(BAOHE, _v(S.VALID)).reason != may_revoke(SHUSHAN, _v(S.REVOKED)).reason


@pytest.mark.parametrize("rule", [may_confirm, may_return])
def test_it_lets_only_the_city_re_review_what_awaits_it(rule):
    assert rule(CITY, _v(S.AWAITING_REVIEW)) and rule(CITY)
    assert not rule(CITY, _v(S.VALID))
    assert not rule(SHUSHAN, _v(S.AWAITING_REVIEW)) and not rule(SHUSHAN)
    assert not rule(ME, _v(S.AWAITING_REVIEW))
