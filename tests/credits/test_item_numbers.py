"""Item numbers on claims (DESIGN section 4, issue 11): the form asks for them, the officer sees
before approving when the number is already on the person's ledger and what the claim would
really credit, and an approval that credits nothing says so."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.credits.claims import claim_approve, claim_submit
from apps.credits.evidence import evidence_check
from apps.credits.ledger import ledger_evaluate, person_years_refresh_all
from apps.credits.models import Claim, LedgerEntry, PersonYear, Source
from apps.credits.selectors import claim_assess
from apps.credits.services import EntryDraft, Reviewer, entries_record, entry_record
from tests.credits.helpers import png
from tests.factories import make_user

REVIEWER = Reviewer(name="刘审核", organisation="蜀山区人力资源和社会保障局")
PAPER = {
    "journal": "provincial",
    "chars": 5000,
    "indexed": False,
    "paper_id": "安徽教育科研 2021(6):33-36",
}


def record(person, key, year, kind, **params):
    return entry_record(
        draft=EntryDraft(
            person_id=person.pk,
            year=year,
            kind=kind,
            params=params,
            source=Source.CLAIM,
            source_key=key,
            title=f"{kind} {key}",
        ),
        reviewer=REVIEWER,
    )


def claim(person, kind, year, **params):
    return claim_submit(
        person=person,
        kind=kind,
        year=year,
        params=params,
        title="申报",
        description="",
        files=evidence_check([png()]),
        attested=True,
        today_year=2026,
    )


@pytest.fixture
def officer(shushan):
    return make_user(Role.DISTRICT_OFFICER, jurisdiction=shushan)


# --- the claim form ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "field", "label"),
    [
        ("qualification_cert", "cert_no", "证书编号"),
        ("invention_patent", "patent_no", "专利号"),
        ("utility_patent", "patent_no", "专利号"),
        ("provincial_award", "award_no", "获奖证书编号"),
        ("city_award", "award_no", "获奖证书编号"),
        ("new_technology", "item_no", "项目编号"),
        ("research_project", "project_no", "课题（项目）编号"),
        ("paper", "paper_id", "论文标识"),
    ],
)
def test_the_form_requires_the_kinds_item_number(trainee_client, kind, field, label):
    url = reverse("credits:claim_create", args=[kind])
    page = trainee_client.get(url).content.decode()
    assert f'name="{field}"' in page and label in page
    response = trainee_client.post(
        url, {"year": 2025, "title": "x", "evidence": png(), "attested": "on"}
    )
    assert f"{label}：这个字段是必填项" in response.content.decode()
    assert not Claim.objects.exists()


def test_the_award_form_asks_for_the_rank(trainee_client, person):
    url = reverse("credits:claim_create", args=["provincial_award"])
    assert "本人在获奖人员中的排名" in trainee_client.get(url).content.decode()
    data = {"year": 2025, "title": "省科学技术奖", "grade": "1", "rank": "2", "award_no": " A-7 "}
    response = trainee_client.post(url, {**data, "evidence": png(), "attested": "on"})
    assert response.status_code == 302
    sent = Claim.objects.get(person=person)
    assert sent.params == {"grade": 1, "rank": 2, "award_no": "A-7"}
    assert sent.previewed_hours == Decimal("60.0")  # first prize 72, second place 60


def test_the_service_refuses_a_claim_without_its_number_with_every_problem(person):
    with pytest.raises(ValidationError) as caught:
        claim(person, "invention_patent", 2025, rank=0)
    assert set(caught.value.message_dict) == {"patent_no", "rank"}
    assert not Claim.objects.exists()


# --- the officer's review ----------------------------------------------------------------------


def test_the_review_shows_a_paper_already_on_the_ledger_and_the_real_credit(officer_client, person):
    record(person, "p2021", 2021, "paper", **PAPER)  # 15 hours
    again = claim(person, "paper", 2023, **{**PAPER, "journal": "national"})  # 25 on its own
    page = officer_client.get(reverse("credits:claim_detail", args=[again.pk])).content.decode()
    assert 'id="duplicate"' in page and "此编号（论文）已在本人学时档案中" in page
    assert "学分不可累计" in page and "paper p2021" in page
    assert 'id="assessment-hours">10.0<' in page and "申报 25.0 学时" in page
    assert "paper_id" not in page.split('id="assessment"')[1]


def test_the_assessment_sees_numbers_as_people_write_them(person):
    record(person, "c1", 2020, "qualification_cert", cert_no="HF 0012345")
    twin = claim(person, "qualification_cert", 2024, cert_no="hf0012345")
    other = claim(person, "qualification_cert", 2024, cert_no="HF0099999")
    seen = claim_assess(claim=twin)
    assert seen.hours == Decimal("0.0")
    assert [s.entry.source_key for s in seen.same_item] == ["c1"]
    assert "一次性认定" in seen.same_item[0].rule
    assert seen.twins == []
    assert claim_assess(claim=other).same_item == []
    third = claim(person, "qualification_cert", 2025, cert_no="HF0099999")
    assert claim_assess(claim=third).twins == [other]


def test_the_assessment_shows_what_a_claim_of_an_earlier_year_would_lower(person):
    exam = record(person, "e", 2022, "computer_exam", module="Excel")
    training = claim(person, "computer_training", 2021, module="Excel")
    seen = claim_assess(claim=training)
    assert seen.hours == Decimal("24.0")
    assert seen.lowered == [(exam, Decimal("15.0"), Decimal("0.0"))]


def test_the_assessment_flags_an_older_claim_without_a_number(person):
    old = Claim.objects.create(
        person=person,
        year=2025,
        kind="city_award",
        params={"grade": 2},
        title="市科学技术进步奖",
        previewed_hours=Decimal("45.0"),
        subject="professional",
    )
    seen = claim_assess(claim=old)
    assert seen.credit is None and seen.problems == ["缺少参数 rank"]
    assert seen.missing_number == "award_no"


def test_the_assessment_costs_the_same_queries_for_a_short_or_long_ledger(
    person, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    record(person, "p", 2021, "paper", **PAPER)
    pending = claim(person, "paper", 2023, **PAPER)
    with CaptureQueriesContext(connection) as few:
        claim_assess(claim=pending)
    for n in range(30):
        record(person, f"t{n}", 2015 + n % 8, "organized_training", hours=8)
    with django_assert_num_queries(len(few)):
        claim_assess(claim=pending)


def test_an_approval_that_credits_nothing_says_so(officer_client, person):
    record(person, "c1", 2020, "qualification_cert", cert_no="0012345")
    twin = claim(person, "qualification_cert", 2024, cert_no="0012345")
    url = reverse("credits:claim_review", args=[twin.pk])
    page = officer_client.post(url, {"decision": "approve"}, follow=True).content.decode()
    assert "已通过并登记，但按规定计入 0 学时" in page and "同一证书“一次性认定”" in page
    assert "登记 90" not in page
    twin.refresh_from_db()
    assert twin.status == Claim.Status.APPROVED
    assert PersonYear.objects.get(person=person, year=2024).professional == Decimal("0.0")


def test_an_approval_says_how_many_hours_it_credits(officer_client, person):
    record(person, "t", 2025, "computer_exam", module="Word")
    training = claim(person, "computer_training", 2025, module="Word")
    url = reverse("credits:claim_review", args=[training.pk])
    page = officer_client.post(url, {"decision": "approve"}, follow=True).content.decode()
    assert "申报 24.0 学时，按规定计入 9.0 学时" in page and "按照二选一核定" in page
    fresh = claim(person, "computer_training", 2025, module="PowerPoint")
    url = reverse("credits:claim_review", args=[fresh.pk])
    page = officer_client.post(url, {"decision": "approve"}, follow=True).content.decode()
    fresh.refresh_from_db()
    assert fresh.receipt_no  # messages name the receipt number, never the internal id
    assert f"申报 {fresh.receipt_no} 已通过，登记 24.0 学时" in page


def test_bulk_approval_leaves_a_duplicate_for_the_officer_to_see(officer_client, person):
    """Ticking many claims approves none unseen that the claim page would warn about: the
    same certificate already on the ledger (0 hours), the same paper twice in the batch."""
    record(person, "c1", 2020, "qualification_cert", cert_no="0012345")
    certificate = claim(person, "qualification_cert", 2024, cert_no="0012 345")
    first = claim(person, "paper", 2024, **{**PAPER, "paper_id": "新刊 2024(1):1-5"})
    again = claim(person, "paper", 2025, **{**PAPER, "paper_id": "新刊 2024(1):1-5"})
    plain = claim(person, "computer_training", 2025, module="Word")
    for pending in (certificate, first, again, plain):
        pending.refresh_from_db()
        assert pending.status == Claim.Status.PENDING
    ids = [str(c.pk) for c in (certificate, first, again, plain)]
    response = officer_client.post(
        reverse("credits:claim_approve_bulk"), {"claim": ids, "opinion": "同意"}, follow=True
    )
    page = response.content.decode()
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses[certificate.pk] == statuses[first.pk] == statuses[again.pk] == "pending"
    assert statuses[plain.pk] == "approved"
    assert f"申报 {certificate.receipt_no} 未通过：请打开申报逐件审核" in page
    assert "同一项目已在本人学时档案中" in page and "只计入申报 90.0 学时中的 0.0 学时" in page
    # The two claims of one paper wait for each other: neither goes through unseen.
    assert f"申报 {first.receipt_no} 未通过" in page and f"申报 {again.receipt_no} 未通过" in page
    assert "本人另有同一项目的申报待审" in page
    assert f"已审核通过并登记 1 条申报：{plain.receipt_no}" in page
    assert LedgerEntry.objects.filter(person=person).count() == 2
    # The claim page names the other claim of the same paper by its receipt number.
    detail = officer_client.get(reverse("credits:claim_detail", args=[again.pk]))
    assert f"申报编号 {first.receipt_no}</a>" in detail.content.decode()


# --- the ledger ----------------------------------------------------------------------------------


def test_the_ledger_passes_entries_in_recorded_order(person):
    now = timezone.now()
    drafts = [
        EntryDraft(
            person_id=person.pk,
            year=2025,
            kind="self_study",
            params={"hours": 30},
            source=Source.CLAIM,
            source_key=key,
        )
        for key in ("first", "second")
    ]
    entries_record(drafts=drafts[:1], reviewer=REVIEWER)
    entries_record(drafts=drafts[1:], reviewer=REVIEWER)
    first, second = LedgerEntry.objects.order_by("id")
    # Whatever order the caller hands them in, the first recorded keeps its 30 hours.
    evaluation = ledger_evaluate(person=person, entries=[second, first])
    credits = {c.id: c.hours for c in evaluation.credits}
    assert credits == {first.pk: Decimal("30.0"), second.pk: Decimal("6.0")}
    assert [c.id for c in evaluation.credits] == [first.pk, second.pk]
    assert first.recorded_at <= second.recorded_at <= now + timedelta(seconds=5)


def test_an_award_recorded_before_ranks_keeps_its_grades_figure(person, officer):
    LedgerEntry.objects.create(
        person=person,
        year=2024,
        kind="provincial_award",
        subject="professional",
        params={"grade": 2},
        hours=Decimal("60.0"),
        source=Source.CLAIM,
        reviewer_name="刘审核",
        reviewer_org="蜀山区",
    )
    (credit,) = ledger_evaluate(person=person, entries=LedgerEntry.objects.all()).credits
    assert credit.hours == Decimal("60.0")


def test_re_evaluating_every_ledger_rebuilds_stale_year_totals(person, other_person):
    record(person, "a", 2015, "organized_training", hours=48)
    record(other_person, "b", 2021, "organized_training", hours=10)
    PersonYear.objects.filter(person=person).update(compliant=True, required_professional=60)
    PersonYear.objects.create(person=other_person, year=1999, total=Decimal(5))
    written = person_years_refresh_all(batch=1)
    assert written == 2
    year = PersonYear.objects.get(person=person, year=2015)
    assert (year.required_public, year.required_professional) == (Decimal(24), Decimal(48))
    assert year.compliant is False  # 24 public hours are missing
    assert not PersonYear.objects.filter(year=1999).exists()


def test_approving_records_the_claim_once_even_when_it_credits_nothing(person, officer):
    record(person, "p1", 2021, "invention_patent", rank=1, patent_no="ZL1")
    twin = claim(person, "invention_patent", 2022, rank=1, patent_no="zl 1")
    approved = claim_approve(claim=twin, officer=officer, opinion="")
    assert approved.entry.hours == Decimal("72.0")  # the entry keeps its own nominal value
    credits = ledger_evaluate(person=person, entries=LedgerEntry.objects.all()).credits
    assert [c.hours for c in credits] == [Decimal("72.0"), Decimal("0.0")]


def test_the_assessment_counts_other_people_holding_the_number_at_the_same_rank(
    person, other_person
):
    record(other_person, "x", 2024, "invention_patent", rank=1, patent_no="ZL2024")
    claim(other_person, "invention_patent", 2024, rank=2, patent_no="ZL2024")
    mine = claim(person, "invention_patent", 2024, rank=1, patent_no="ZL2024")
    assert claim_assess(claim=mine).others_at_same_rank == 1
    second = claim(person, "invention_patent", 2025, rank=3, patent_no="ZL2024")
    assert claim_assess(claim=second).others_at_same_rank == 0
    # Co-authors share a paper's identifier: no flag.
    record(other_person, "p", 2021, "paper", **PAPER)
    assert claim_assess(claim=claim(person, "paper", 2021, **PAPER)).others_at_same_rank == 0


def test_the_review_page_says_others_hold_the_number(officer_client, person, other_person):
    record(other_person, "x", 2024, "city_award", grade=1, rank=1, award_no="HF-1")
    mine = claim(person, "city_award", 2024, grade=1, rank=1, award_no="HF-1")
    page = officer_client.get(reverse("credits:claim_detail", args=[mine.pk])).content.decode()
    assert "另有 1 人以同一编号、同一排名申报或登记，请核实。" in page
    assert other_person.name not in page


def test_the_form_preview_counts_what_the_ledger_already_holds(trainee_client, person):
    record(person, "p2021", 2021, "paper", **PAPER)
    url = reverse("credits:claim_preview", args=["paper"])
    data = {"year": 2023, "title": "转载", "journal": "national", "chars": "5000"}
    fresh = trainee_client.post(url, {**data, "paper_id": "另一篇"}).json()
    assert fresh["hours"] == "25.0"
    again = trainee_client.post(url, {**data, "paper_id": PAPER["paper_id"]}).json()
    assert (again["hours"], again["nominal"]) == ("10.0", "25.0")
    assert "学分不可累计" in again["note"] and "2021 年度计入 15 学时" in again["note"]


def test_the_refresh_command_rebuilds_year_totals(person):
    from io import StringIO

    from django.core.management import call_command

    record(person, "a", 2015, "organized_training", hours=48)
    PersonYear.objects.filter(person=person).update(required_public=30)
    out = StringIO()
    call_command("refresh_year_totals", "--batch", "1", stdout=out)
    assert "1 条" in out.getvalue()
    assert PersonYear.objects.get(person=person, year=2015).required_public == Decimal(24)
