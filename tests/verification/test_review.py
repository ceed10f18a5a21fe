"""The city's re-review of senior verifications; revocation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.accounts.models import Role
from apps.verification.models import Verification
from apps.verification.services import (
    verification_confirm,
    verification_issue,
    verification_return,
    verification_revoke,
)
from tests.verification.support import give_ledger

BASE = "https://jxjy.example.cn"


@pytest.fixture
def senior(personas, person):
    give_ledger(person, range(2020, 2025))
    return verification_issue(
        officer=personas[Role.DISTRICT_OFFICER],
        person=person,
        application_year=2025,
        title_applied="高级教师",
        title_level="associate_senior",
        base_url=BASE,
    )


def test_it_makes_a_senior_verification_final_when_the_city_confirms(personas, senior):
    city = personas[Role.CITY_OFFICER]
    original = senior.pdf.read()
    verification_confirm(verification=senior, officer=city, base_url=BASE)
    senior.refresh_from_db()
    assert senior.status == Verification.Status.VALID
    assert senior.is_final
    assert senior.reviewer_name == city.full_name
    assert senior.reviewer_org == "合肥市人力资源和社会保障局"
    assert senior.reviewed_pdf.read().startswith(b"%PDF")
    assert senior.reviewed_pdf.name != senior.pdf.name
    assert senior.pdf.read() == original  # the district's PDF stays as issued
    assert senior.current_pdf == senior.reviewed_pdf


def test_it_lets_only_the_city_confirm(personas, senior):
    with pytest.raises(ValidationError):
        verification_confirm(
            verification=senior, officer=personas[Role.DISTRICT_OFFICER], base_url=BASE
        )
    senior.refresh_from_db()
    assert senior.status == Verification.Status.AWAITING_REVIEW


def test_it_returns_with_a_reason(personas, senior):
    city = personas[Role.CITY_OFFICER]
    with pytest.raises(ValidationError):
        verification_return(verification=senior, officer=city, reason="  ")
    verification_return(verification=senior, officer=city, reason="2021 年度培训证明不全")
    senior.refresh_from_db()
    assert senior.status == Verification.Status.RETURNED
    assert senior.return_reason == "2021 年度培训证明不全"
    assert not senior.reviewed_pdf
    with pytest.raises(ValidationError):
        verification_confirm(verification=senior, officer=city, base_url=BASE)


def test_it_confirms_a_verification_once(personas, senior):
    city = personas[Role.CITY_OFFICER]
    verification_confirm(verification=senior, officer=city, base_url=BASE)
    with pytest.raises(ValidationError):
        verification_confirm(verification=senior, officer=city, base_url=BASE)


def test_it_revokes_with_a_reason_by_the_issuing_office(personas, senior, baohe):
    from tests.factories import make_user

    outsider = make_user(Role.DISTRICT_OFFICER, jurisdiction=baohe)
    with pytest.raises(ValidationError):
        verification_revoke(verification=senior, officer=outsider, reason="错误")
    verification_revoke(
        verification=senior, officer=personas[Role.DISTRICT_OFFICER], reason="申报材料有误"
    )
    senior.refresh_from_db()
    assert senior.status == Verification.Status.REVOKED
    assert senior.revoke_reason == "申报材料有误"
