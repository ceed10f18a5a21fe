"""The object rules of claims: pure functions of a scope and an unsaved claim."""

from __future__ import annotations

from apps.accounts.scope import Scope
from apps.credits.models import Claim
from apps.credits.permissions import (
    may_resubmit_claim,
    may_return_claim,
    may_review_claim,
    may_screen_claim,
    may_withdraw_claim,
)
from apps.people.models import Person, Unit

CITY, SHUSHAN, BAOHE = Scope("city"), Scope("jurisdiction", 1), Scope("jurisdiction", 2)
HEALTH = Scope("jurisdiction", 9)
BASE, ME, OTHER = Scope("organiser", 7), Scope("person", 42), Scope("person", 43)
MY_UNIT, OTHER_UNIT = Scope("unit", 5), Scope("unit", 6)


def _claim(
    kind: str = "city_award", status: str = Claim.Status.PENDING, office_id: int = 1
) -> Claim:
    person = Person(pk=42, unit=Unit(pk=5, jurisdiction_id=1))
    return Claim(person=person, kind=kind, status=status, office_id=office_id)


def test_it_lets_the_claims_office_review_a_pending_claim():
    assert may_review_claim(SHUSHAN, _claim()) and may_review_claim(CITY, _claim())
    assert not may_review_claim(BAOHE, _claim())
    assert not may_review_claim(ME, _claim()) and not may_review_claim(BASE, _claim())
    assert not may_review_claim(MY_UNIT, _claim())
    assert may_review_claim(SHUSHAN) and not may_review_claim(ME)


def test_it_refuses_a_decided_claim_with_its_status():
    verdict = may_review_claim(SHUSHAN, _claim(status=Claim.Status.APPROVED))
    assert not verdict and str(Claim.Status.APPROVED.label) in verdict.reason


def test_it_gives_medical_credits_to_the_health_authority_not_the_district():
    medical = _claim(kind="medical_credit", office_id=9)
    assert may_review_claim(HEALTH, medical)
    assert not may_review_claim(SHUSHAN, medical)


def test_it_lets_only_the_units_administrator_screen_while_screening():
    screening = _claim(status=Claim.Status.SCREENING)
    assert may_screen_claim(MY_UNIT, screening)
    assert not may_screen_claim(OTHER_UNIT, screening)
    assert not may_screen_claim(SHUSHAN, screening) and not may_screen_claim(ME, screening)
    assert not may_screen_claim(MY_UNIT, _claim())  # already forwarded
    # The office waits for the screening.
    assert not may_review_claim(SHUSHAN, screening)


def test_it_lets_whoever_holds_the_claim_return_it():
    assert may_return_claim(MY_UNIT, _claim(status=Claim.Status.SCREENING))
    assert not may_return_claim(SHUSHAN, _claim(status=Claim.Status.SCREENING))
    assert may_return_claim(SHUSHAN, _claim())
    assert not may_return_claim(MY_UNIT, _claim())
    assert not may_return_claim(SHUSHAN, _claim(status=Claim.Status.RETURNED))


def test_it_lets_only_the_claimant_resubmit_a_returned_claim():
    returned = _claim(status=Claim.Status.RETURNED)
    assert may_resubmit_claim(ME, returned)
    assert not may_resubmit_claim(OTHER, returned) and not may_resubmit_claim(MY_UNIT, returned)
    assert not may_resubmit_claim(ME, _claim())


def test_it_lets_only_the_claimant_withdraw_an_open_claim():
    assert may_withdraw_claim(ME, _claim())
    assert may_withdraw_claim(ME, _claim(status=Claim.Status.RETURNED))
    assert not may_withdraw_claim(OTHER, _claim())
    assert not may_withdraw_claim(SHUSHAN, _claim()) and not may_withdraw_claim(CITY, _claim())
    assert not may_withdraw_claim(ME, _claim(status=Claim.Status.REJECTED))
