"""The object rules of claims: pure functions of a scope and an unsaved claim."""

from __future__ import annotations

from apps.accounts.scope import Scope
from apps.credits.models import Claim
from apps.credits.permissions import may_review_city_kinds, may_review_claim, may_withdraw_claim
from apps.people.models import Person, Unit

CITY, SHUSHAN, BAOHE = Scope("city"), Scope("jurisdiction", 1), Scope("jurisdiction", 2)
BASE, ME, OTHER = Scope("base", 7), Scope("person", 42), Scope("person", 43)


def _claim(kind: str = "city_award", status: str = Claim.Status.PENDING) -> Claim:
    person = Person(pk=42, unit=Unit(jurisdiction_id=1))
    return Claim(person=person, kind=kind, status=status)


def test_it_lets_the_claimants_officers_review_a_pending_claim():
    assert may_review_claim(SHUSHAN, _claim()) and may_review_claim(CITY, _claim())
    assert not may_review_claim(BAOHE, _claim())
    assert not may_review_claim(ME, _claim()) and not may_review_claim(BASE, _claim())
    assert may_review_claim(SHUSHAN) and not may_review_claim(ME)


def test_it_refuses_a_decided_claim_with_its_status():
    verdict = may_review_claim(SHUSHAN, _claim(status=Claim.Status.APPROVED))
    assert not verdict and str(Claim.Status.APPROVED.label) in verdict.reason


def test_it_keeps_medical_credits_for_the_city():
    assert may_review_claim(CITY, _claim(kind="medical_credit"))
    assert not may_review_claim(SHUSHAN, _claim(kind="medical_credit"))
    assert may_review_city_kinds(CITY) and not may_review_city_kinds(SHUSHAN)


def test_it_lets_only_the_claimant_withdraw_a_pending_claim():
    assert may_withdraw_claim(ME, _claim())
    assert not may_withdraw_claim(OTHER, _claim())
    assert not may_withdraw_claim(SHUSHAN, _claim()) and not may_withdraw_claim(CITY, _claim())
    assert not may_withdraw_claim(ME, _claim(status=Claim.Status.REJECTED))
