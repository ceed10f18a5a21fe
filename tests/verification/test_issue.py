"""Issuing a verification: every year compliant issues it, a short year refuses it, and what
was issued never changes afterwards."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.accounts.models import Role
from apps.credits.services import entries_record
from apps.people.models import Unit
from apps.verification.models import Verification
from apps.verification.services import cycle_derive, verification_issue
from tests.factories import UnitFactory, make_person, make_user
from tests.verification.support import REVIEWER, give_ledger, year_drafts

BASE = "https://jxjy.example.cn"


@pytest.fixture
def officer(personas):
    return personas[Role.DISTRICT_OFFICER]


def issue(officer, person, *, level="intermediate", year=2025, **extra):
    return verification_issue(
        officer=officer,
        person=person,
        application_year=year,
        title_applied="一级教师",
        title_level=level,
        base_url=BASE,
        **extra,
    )


def test_it_derives_the_cycle_from_the_year_after_the_title_to_the_year_before(person):
    cycle = cycle_derive(person=person, application_year=2025, title_level="intermediate")
    assert (cycle.start, cycle.end, cycle.title_year, cycle.cap) == (2020, 2024, 2019, 5)
    assert not cycle.capped
    person.title_year = 2022
    cycle = cycle_derive(person=person, application_year=2025, title_level="intermediate")
    assert (cycle.start, cycle.end) == (2023, 2024)
    person.title_year = None
    with pytest.raises(ValidationError, match="职称取得年度"):
        cycle_derive(person=person, application_year=2025, title_level="intermediate")
    person.title_year = 2024
    with pytest.raises(ValidationError, match="没有完整的任职年度"):
        cycle_derive(person=person, application_year=2025, title_level="intermediate")


def test_it_issues_a_verification_when_every_year_is_compliant(officer, person):
    give_ledger(person, range(2020, 2025))
    verification = issue(officer, person)
    assert verification.status == Verification.Status.VALID
    assert verification.compliant
    assert verification.total_hours == Decimal("450.0")
    assert verification.public_hours == Decimal("150.0")
    assert [row["year"] for row in verification.years] == [2020, 2021, 2022, 2023, 2024]
    assert verification.officer_name == officer.full_name
    assert verification.officer_org == "蜀山区人力资源和社会保障局"
    assert verification.id_number_masked == person.id_number_masked
    assert len(verification.code) == 16
    assert verification.pdf.read().startswith(b"%PDF")
    assert not verification.needs_review


def test_it_refuses_when_a_year_is_short_and_records_the_reasons(officer, person):
    give_ledger(person, range(2020, 2025), short={2022: 40})
    verification = issue(officer, person)
    assert verification.status == Verification.Status.REFUSED
    assert not verification.compliant
    assert verification.code is None
    assert not verification.pdf
    assert len(verification.refusal_reasons) == 1
    assert "2022" in verification.refusal_reasons[0]
    assert "专业科目 20 学时" in verification.refusal_reasons[0]
    row = next(r for r in verification.years if r["year"] == 2022)
    assert row["shortfall_professional"] == "20.0"
    assert not row["compliant"]


def test_it_counts_a_shortfall_made_up_the_next_year(officer, person):
    give_ledger(person, range(2020, 2025), short={2022: 40})
    entries_record(
        drafts=year_drafts(person, 2023, professional=20, public=False, tag="x"), reviewer=REVIEWER
    )
    verification = issue(officer, person)
    assert verification.status == Verification.Status.VALID
    row = next(r for r in verification.years if r["year"] == 2022)
    assert row["made_up_professional"] == "20.0"


def test_it_refuses_a_year_without_any_hours(officer, person):
    give_ledger(person, [2020, 2021, 2023, 2024])
    verification = issue(officer, person)
    assert verification.status == Verification.Status.REFUSED
    assert any("2022" in reason for reason in verification.refusal_reasons)


def test_it_keeps_the_issued_verification_whatever_is_appended_to_the_ledger(officer, person):
    give_ledger(person, range(2020, 2025))
    verification = issue(officer, person)
    frozen = Verification.objects.get(pk=verification.pk)
    pdf_before = frozen.pdf.read()
    entries_record(drafts=year_drafts(person, 2021, professional=50, tag="late"), reviewer=REVIEWER)
    after = Verification.objects.get(pk=verification.pk)
    assert after.total_hours == Decimal("450.0")
    assert after.years == frozen.years
    assert (after.officer_name, after.officer_org, after.issued_at) == (
        frozen.officer_name,
        frozen.officer_org,
        frozen.issued_at,
    )
    assert after.pdf.read() == pdf_before
    # A new verification (2026: the derived cycle 2021–2025) sees the new entry.
    give_ledger(person, [2025])
    assert issue(officer, person, year=2026).total_hours == Decimal("530.0")


def test_it_refuses_an_officer_outside_the_jurisdiction(officer, other_person):
    give_ledger(other_person, range(2020, 2025))
    with pytest.raises(ValidationError, match="不属于"):
        issue(officer, other_person)
    assert not Verification.objects.exists()


def test_it_refuses_the_city_as_issuer(personas, person):
    give_ledger(person, range(2020, 2025))
    with pytest.raises(ValidationError):
        issue(personas[Role.CITY_OFFICER], person)


def test_it_lets_a_city_department_verify_the_people_of_city_owned_units(db):
    from apps.people.models import Jurisdiction

    health = Jurisdiction.objects.get(code="city-health")
    person = make_person(unit=UnitFactory(jurisdiction=health), title_year=2019)
    officer = make_user(Role.DISTRICT_OFFICER, jurisdiction=health)
    give_ledger(person, range(2020, 2025))
    verification = issue(officer, person)
    assert verification.status == Verification.Status.VALID
    assert verification.officer_org == health.name


def test_it_will_not_verify_people_of_provincial_units(officer, shushan):
    person = make_person(
        unit=UnitFactory(jurisdiction=shushan, affiliation=Unit.Affiliation.PROVINCIAL)
    )
    give_ledger(person, range(2020, 2025))
    with pytest.raises(ValidationError, match="省"):
        issue(officer, person)
    assert not Verification.objects.exists()


@pytest.mark.parametrize("posted", [(2024, 2024), (2021, 2024), (2020, 2025), (2020, None)])
def test_it_refuses_a_cycle_other_than_the_derived_one_and_writes_nothing(officer, person, posted):
    # 张明's trick: a short 2023 would be left out by starting the cycle in 2024.
    give_ledger(person, range(2020, 2025), short={2023: 40})
    with pytest.raises(ValidationError, match="任职周期由现职称取得年度推算"):
        issue(officer, person, cycle_posted=posted)
    assert not Verification.objects.exists()
    # The derived cycle itself may be echoed back: the 2023 shortfall refuses it.
    refused = issue(officer, person, cycle_posted=(2020, 2024))
    assert refused.status == Verification.Status.REFUSED
    assert "2023 年度" in refused.refusal_reasons[0]


def test_it_caps_the_cycle_of_an_old_title_to_the_citys_setting(officer, person):
    person.title_year = 2010
    person.save()
    give_ledger(person, range(2020, 2025))
    verification = issue(officer, person)
    assert verification.status == Verification.Status.VALID
    assert (verification.cycle_start, verification.cycle_end) == (2020, 2024)
    assert (verification.title_year_used, verification.cycle_cap) == (2010, 5)
    assert verification.cycle_capped


def test_it_caps_by_the_latest_setting_for_the_level_applied_for(officer, person, personas):
    from apps.verification.services import cycle_setting_change

    person.title_year = 2010
    city = personas[Role.CITY_OFFICER]
    cycle_setting_change(officer=city, title_level="senior", years=3, reason="市人社局文件")
    assert cycle_derive(person=person, application_year=2025, title_level="senior").start == 2022
    assert (
        cycle_derive(person=person, application_year=2025, title_level="intermediate").start == 2020
    )
    with pytest.raises(ValidationError) as caught:
        cycle_setting_change(officer=city, title_level="senior", years=0, reason="")
    assert set(caught.value.error_dict) == {"years", "reason"}
    with pytest.raises(ValidationError):
        cycle_setting_change(officer=officer, title_level="senior", years=4, reason="区里想改")


def test_it_mends_the_cycle_by_correcting_the_title_year_with_a_reason(officer, person):
    from apps.verification.services import title_year_correct

    with pytest.raises(ValidationError) as caught:
        title_year_correct(officer=officer, person=person, year=2021, reason=" ")
    assert "reason" in caught.value.error_dict
    change = title_year_correct(officer=officer, person=person, year=2021, reason="证书编号 123")
    assert (change.old_year, change.new_year, change.reason) == (2019, 2021, "证书编号 123")
    person.refresh_from_db()
    assert person.title_year == 2021
    give_ledger(person, range(2022, 2025))
    verification = issue(officer, person)
    assert (verification.cycle_start, verification.title_year_used) == (2022, 2021)


def test_the_title_year_correction_and_its_reason_stay_on_the_persons_history(officer, person):
    from django.urls import reverse

    from apps.verification.services import title_year_correct
    from hefei_cpe.history import history_entries
    from tests.conftest import client_for

    title_year_correct(officer=officer, person=person, year=2017, reason="职称证书显示 2017 年取得")
    latest = history_entries(person)[0]
    assert latest.login == officer.username
    assert [(c.before, c.after) for c in latest.changes] == [("2019", "2017")]
    assert latest.reason == "更正职称取得年度：职称证书显示 2017 年取得"
    page = client_for(officer).get(reverse("people:history", args=[person.pk])).content.decode()
    assert "修改原因：更正职称取得年度：职称证书显示 2017 年取得" in page


def test_it_will_not_correct_the_title_year_of_another_district(personas, other_person):
    from apps.verification.services import title_year_correct

    with pytest.raises(ValidationError):
        title_year_correct(
            officer=personas[Role.DISTRICT_OFFICER], person=other_person, year=2018, reason="x"
        )


def test_it_sends_senior_titles_to_the_city_before_they_are_final(officer, person):
    give_ledger(person, range(2020, 2025))
    verification = issue(officer, person, level="associate_senior")
    assert verification.status == Verification.Status.AWAITING_REVIEW
    assert verification.needs_review
    assert not verification.is_final


def test_it_keeps_one_standing_verification_per_application(officer, person):
    from apps.verification.services import verification_revoke

    give_ledger(person, range(2020, 2025))
    first = issue(officer, person)
    with pytest.raises(ValidationError) as caught:
        issue(officer, person)
    assert first.code in caught.value.messages[0]
    assert Verification.objects.filter(person=person).count() == 1
    verification_revoke(verification=first, officer=officer, reason="职称申报信息有误")
    assert issue(officer, person).status == Verification.Status.VALID


@pytest.mark.django_db(transaction=True)
def test_it_issues_outside_any_transaction_of_the_caller(shushan):
    """As a web request does (autocommit): the service opens its own transaction for its
    row lock. Tests otherwise run inside one, which hid a missing @transaction.atomic."""
    person = make_person(unit=UnitFactory(jurisdiction=shushan), name="赵六", title_year=2019)
    officer = make_user(Role.DISTRICT_OFFICER, jurisdiction=shushan)
    give_ledger(person, range(2020, 2025))
    assert issue(officer, person).status == Verification.Status.VALID
