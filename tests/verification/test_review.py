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


def test_the_re_review_page_shows_the_city_everything_and_a_return_reaches_the_district(
    personas, person, baohe
):
    """Issue 15, Build 3: the derived cycle, the earlier refusal of the same application, the
    title-year correction with its reason, the backfilled year with its scan, the district's
    opinion; a verification the city returns is a to-do on the district's home page."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from apps.verification.backfill import booklet_backfill
    from apps.verification.services import title_year_correct
    from tests.conftest import client_for
    from tests.verification.support import PNG

    district, city = personas[Role.DISTRICT_OFFICER], personas[Role.CITY_OFFICER]
    title_year_correct(officer=district, person=person, year=2010, reason="职称证书为 2010 年")
    give_ledger(person, range(2021, 2025))  # the portal's records start in 2021

    def apply():
        return verification_issue(
            officer=district,
            person=person,
            application_year=2025,
            title_applied="高级教师",
            title_level="associate_senior",
            base_url=BASE,
        )

    refused = apply()
    assert refused.status == Verification.Status.REFUSED
    booklet_backfill(
        officer=district,
        person=person,
        year=2020,
        public_hours="30",
        professional_hours="60",
        scan=SimpleUploadedFile("证书第3页.png", PNG, content_type="image/png"),
    )
    senior = apply()
    assert senior.status == Verification.Status.AWAITING_REVIEW

    page = client_for(city).get(reverse("verification:detail", args=[senior.pk]))
    html = page.content.decode()
    file = html.split('id="re-review-file"')[1]
    assert "现职称取得于 2010 年" in html and "2020—2024 年" in html
    assert "只验证最近 5 年" in html
    assert "县区意见" in file and district.organisation_name in file
    assert "任职周期内各年度均达标，已验证并报市级复核" in file
    assert reverse("verification:detail", args=[refused.pk]) in file  # the earlier refusal
    assert "2020 年度" in file and "不予验证" in file
    assert "职称证书为 2010 年" in file and "2019" in file  # 2019 → 2010, with the reason
    assert "证书第3页.png" in file and "60.0" in file  # the backfill and its scan
    assert 'id="backfilled-years">2020<' in html

    verification_return(verification=senior, officer=city, reason="2020 年度证书扫描件不清晰")
    home = client_for(district).get(reverse("home")).content.decode()
    assert "退回了 李四 的 2025 年度学时验证：2020 年度证书扫描件不清晰" in home
    assert reverse("verification:detail", args=[senior.pk]) in home
    # Another district has nothing to do with it.
    from tests.factories import make_user

    outsider = client_for(make_user(Role.DISTRICT_OFFICER, jurisdiction=baohe))
    assert "2020 年度证书扫描件不清晰" not in outsider.get(reverse("home")).content.decode()
    # Once replaced by a new verification, the to-do is done.
    apply()
    home = client_for(district).get(reverse("home")).content.decode()
    assert "2020 年度证书扫描件不清晰" not in home
