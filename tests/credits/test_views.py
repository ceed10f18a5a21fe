"""The ledger and claim pages: what each role sees, someone else's ids give 404, and the
number of queries does not grow with the ledger."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.accounts.models import Role
from apps.credits.claims import claim_submit, claim_withdraw
from apps.credits.evidence import evidence_check
from apps.credits.models import Claim, LedgerEntry, Source
from apps.credits.services import EntryDraft, Reviewer, entries_record, entry_reverse
from apps.people.models import Person
from apps.requirements.services import requirement_set
from tests.conftest import client_for
from tests.credits.helpers import pdf, png
from tests.factories import make_user

REVIEWER = Reviewer(name="刘审核", organisation="蜀山区人力资源和社会保障局")


def record(person, count, *, start=0):
    drafts = [
        EntryDraft(
            person_id=person.pk,
            year=2019 + (n % 7),
            kind="organized_training" if n % 3 else "self_study",
            params={"hours": 8 + n % 5},
            source=Source.ROSTER,
            source_key=f"t:{person.pk}:{n}",
            title=f"培训 {n}",
        )
        for n in range(start, start + count)
    ]
    entries_record(drafts=drafts, reviewer=REVIEWER)


def claim_of(person, **extra):
    return claim_submit(
        person=person,
        kind="city_award",
        year=2025,
        params={"grade": 2, "rank": 1, "award_no": "HF-2025-002"},
        title="合肥市科学技术进步奖",
        description="",
        files=evidence_check([png()]),
        attested=True,
        **extra,
    )


def test_it_shows_the_trainee_their_years_entries_and_claims(trainee_client, person):
    record(person, 3)
    claim_of(person)
    response = trainee_client.get(reverse("credits:my_ledger"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "2019 年度" in text and "培训 0" in text and "刘审核" in text
    assert "审核中的申报" in text and "合肥市科学技术进步奖" in text


def without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


# The own ledger page (the session is read from the cache): the user, the person (with unit,
# district, industry and the version of their entries and claims) — and, only when no cached
# rendering of the page's content matches that version, their entries, the receipt numbers of
# approved claims and the open claims.
LEDGER_QUERIES_CACHED = 2
LEDGER_QUERIES_RENDERED = 5


def test_the_ledger_costs_a_fixed_number_of_queries_for_3_or_60_entries(
    trainee_client, person, django_assert_num_queries
):
    record(person, 3)
    claim_of(person)
    url = reverse("credits:my_ledger")
    with django_assert_num_queries(LEDGER_QUERIES_RENDERED):
        first = trainee_client.get(url)
    with django_assert_num_queries(LEDGER_QUERIES_CACHED):
        again = trainee_client.get(url)
    assert without_csrf(again) == without_csrf(first)
    record(person, 57, start=3)
    claim_of(person)
    with django_assert_num_queries(LEDGER_QUERIES_RENDERED):
        grown = trainee_client.get(url)
    assert grown.content.decode().count("培训 ") == 60
    with django_assert_num_queries(LEDGER_QUERIES_CACHED):
        trainee_client.get(url)


def test_with_the_cache_off_every_ledger_page_evaluates_afresh(
    trainee_client, person, settings, django_assert_num_queries
):
    settings.CREDITS_LEDGER_CACHE_SECONDS = 0
    record(person, 3)
    url = reverse("credits:my_ledger")
    for _ in range(2):
        with django_assert_num_queries(LEDGER_QUERIES_RENDERED):
            trainee_client.get(url)


def test_the_cached_years_follow_every_change_of_what_they_show(
    trainee_client, officer_client, person, personas
):
    """New entries, a reversal, a changed requirement of the person's industry, a transfer
    year: the next page shows it; the officer's page of the same person has its own links."""
    record(person, 2)
    own = reverse("credits:my_ledger")
    assert "培训 1" in trainee_client.get(own).content.decode()
    record(person, 1, start=2)
    assert "培训 2" in trainee_client.get(own).content.decode()

    officer_page = reverse("credits:person_ledger", args=[person.pk])
    entry = LedgerEntry.objects.filter(person=person).order_by("id").first()
    reverse_url = reverse("credits:entry_reverse", args=[entry.pk])
    assert reverse_url in officer_client.get(officer_page).content.decode()
    assert reverse_url not in trainee_client.get(own).content.decode()
    entry_reverse(entry=entry, reason="重复登记", reviewer=REVIEWER)
    assert reverse_url not in officer_client.get(officer_page).content.decode()
    assert "已冲销" in trainee_client.get(own).content.decode()

    requirement_set(
        industry=person.industry,
        public=Decimal("30"),
        professional=Decimal("77"),
        basis="测试",
        user=personas[Role.CITY_OFFICER],
    )
    assert "/ 107" in trainee_client.get(own).content.decode()

    Person.objects.filter(pk=person.pk).update(transferred_in_year=2025)
    assert "调入合肥前" in trainee_client.get(own).content.decode()

    Person.objects.filter(pk=person.pk).update(title="高级会计师")
    assert "高级会计师" in trainee_client.get(own).content.decode()


def test_the_cached_page_follows_the_claims(trainee_client, person):
    """A new claim, and a claim changing state (every change of a claim is a step)."""
    record(person, 1)
    own = reverse("credits:my_ledger")
    assert "审核中的申报" not in trainee_client.get(own).content.decode()
    claim = claim_of(person)
    page = trainee_client.get(own).content.decode()
    assert "审核中的申报" in page and "合肥市科学技术进步奖" in page
    claim_withdraw(claim=claim, person=person)
    page = trainee_client.get(own).content.decode()
    assert "审核中的申报" not in page and "已撤回" in page


def test_each_picked_year_is_cached_apart_and_a_wrong_year_never(
    trainee_client, person, django_assert_num_queries
):
    record(person, 3)  # years 2019-2021
    url = reverse("credits:my_ledger")
    assert 'id="year-2019"' in trainee_client.get(url).content.decode()
    with django_assert_num_queries(LEDGER_QUERIES_RENDERED):
        one = trainee_client.get(url + "?year=2020").content.decode()
    with django_assert_num_queries(LEDGER_QUERIES_CACHED):
        again = trainee_client.get(url + "?year=2020").content.decode()
    for page in (one, again):
        assert 'id="year-2020"' in page and 'id="year-2019"' not in page
    with django_assert_num_queries(LEDGER_QUERIES_CACHED):
        assert 'id="year-2019"' in trainee_client.get(url).content.decode()
    for _ in range(2):  # "no such year" is worked out afresh every time
        with django_assert_num_queries(LEDGER_QUERIES_RENDERED):
            page = trainee_client.get(url + "?year=1990").content.decode()
        assert 'role="alert"' in page and 'id="year-2019"' in page


def test_an_officer_sees_a_person_of_their_jurisdiction_only(officer_client, person, other_person):
    record(person, 2)
    assert officer_client.get(reverse("credits:person_ledger", args=[person.pk])).status_code == 200
    assert (
        officer_client.get(reverse("credits:person_ledger", args=[other_person.pk])).status_code
        == 404
    )
    assert (
        officer_client.get(reverse("portal:person_booklet", args=[other_person.pk])).status_code
        == 404
    )


def test_someone_elses_claim_and_evidence_give_404(trainee_client, officer_client, other_person):
    claim = claim_of(other_person)
    evidence = claim.evidence.get()
    for client in (trainee_client, officer_client):
        assert client.get(reverse("credits:claim_detail", args=[claim.pk])).status_code == 404
        url = reverse("credits:evidence_file", args=[claim.pk, evidence.pk])
        assert client.get(url).status_code == 404


def test_someone_elses_entry_cannot_be_reversed(officer_client, other_person):
    record(other_person, 1)
    entry = LedgerEntry.objects.get(person=other_person)
    url = reverse("credits:entry_reverse", args=[entry.pk])
    assert officer_client.post(url, {"reason": "x"}).status_code == 404


def test_an_officer_reverses_an_entry_with_a_reason(officer_client, person):
    record(person, 1)
    entry = LedgerEntry.objects.get(person=person)
    url = reverse("credits:entry_reverse", args=[entry.pk])
    response = officer_client.post(url, {"reason": ""})
    assert "更正原因" in response.content.decode()
    response = officer_client.post(url, {"reason": "重复登记"})
    assert response.status_code == 302
    correction = LedgerEntry.objects.get(reverses=entry)
    assert correction.hours == -entry.hours and correction.reason == "重复登记"


def test_a_trainee_sends_a_claim_with_evidence(trainee_client, person):
    url = reverse("credits:claim_create", args=["paper"])
    data = {
        "year": 2025,
        "title": "小学数学作业设计研究",
        "journal": "national",
        "chars": "3000",
        "paper_id": "小学数学教师 2025(3):1-4",
        "evidence": [png(), pdf()],
        "attested": "on",
    }
    response = trainee_client.post(url, data)
    claim = Claim.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == reverse("credits:claim_detail", args=[claim.pk])
    assert claim.previewed_hours == Decimal("15.0")
    assert claim.params == {
        "journal": "national",
        "chars": 3000,
        "indexed": False,
        "paper_id": "小学数学教师 2025(3):1-4",
    }
    assert claim.evidence.count() == 2


def test_a_bad_claim_names_its_fields_and_writes_nothing(trainee_client):
    url = reverse("credits:claim_create", args=["paper"])
    response = trainee_client.post(url, {"year": 2025, "title": "", "chars": "-1"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "项目名称：这个字段是必填项" in text
    assert "字数：" in text and "证明材料" in text
    assert not Claim.objects.exists()


def test_a_claim_with_a_fake_pdf_is_refused(trainee_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("credits:claim_create", args=["city_award"])
    fake = SimpleUploadedFile("获奖证书.pdf", b"MZ\x90\x00 not a pdf at all")
    response = trainee_client.post(
        url,
        {
            "year": 2025,
            "title": "奖",
            "grade": "1",
            "rank": "1",
            "award_no": "A-1",
            "evidence": fake,
            "attested": "on",
        },
    )
    assert "获奖证书.pdf：不是 PDF、JPEG 或 PNG 文件" in response.content.decode()
    assert not Claim.objects.exists()


def test_the_preview_answers_with_the_engines_hours(trainee_client):
    url = reverse("credits:claim_preview", args=["national_conference"])
    answer = trainee_client.post(url, {"year": 2025, "title": "x", "paper_chars": 2500}).json()
    assert answer["hours"] == "14.0" and answer["subject"] == "专业科目"
    answer = trainee_client.post(url, {"year": 2025, "title": "x", "paper_chars": -5}).json()
    assert answer["errors"]


def test_an_unknown_kind_is_404(trainee_client):
    assert trainee_client.get("/claims/new/flying/").status_code == 404


def test_the_queue_lists_pending_claims_of_the_jurisdiction(
    officer_client, person, other_person, django_assert_max_num_queries
):
    for _ in range(5):
        claim_of(person)
    claim_of(other_person)
    with django_assert_max_num_queries(8):
        response = officer_client.get(reverse("credits:claim_queue"))
    assert response.content.decode().count("合肥市科学技术进步奖") == 5


def _medical_claim(person):
    return claim_submit(
        person=person,
        kind="medical_credit",
        year=2025,
        params={"credits": 5},
        title="继续医学教育项目",
        description="",
        files=evidence_check([png()]),
        attested=True,
    )


def test_a_medical_credit_reaches_the_health_authority_not_the_district(officer_client, person):
    from apps.people.models import Jurisdiction

    health = Jurisdiction.objects.get(code="city-health")
    claim = _medical_claim(person)
    assert claim.office == health and claim.status == Claim.Status.PENDING
    health_client = client_for(make_user(Role.DISTRICT_OFFICER, jurisdiction=health))
    queue = health_client.get(reverse("credits:claim_queue")).content.decode()
    assert "继续医学教育项目" in queue
    assert (
        "继续医学教育项目"
        not in officer_client.get(reverse("credits:claim_queue")).content.decode()
    )
    # The person's district does not reach it at all; the health authority approves it.
    assert officer_client.get(reverse("credits:claim_detail", args=[claim.pk])).status_code == 404
    health_client.post(reverse("credits:claim_review", args=[claim.pk]), {"decision": "approve"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED
    assert claim.entry.reviewer_org == "市卫生健康委"


def test_an_officer_approves_from_the_claim_page(officer_client, person):
    claim = claim_of(person)
    url = reverse("credits:claim_review", args=[claim.pk])
    response = officer_client.post(url, {"decision": "approve", "opinion": "属实"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED and claim.entry.hours == Decimal("45.0")
    again = officer_client.post(url, {"decision": "approve"}, follow=True)
    assert "已审核" in again.content.decode()
    assert LedgerEntry.objects.count() == 1


def test_base_staff_see_no_claims(personas, person):
    claim = claim_of(person)
    client = client_for(personas[Role.ORGANISER_STAFF])
    assert client.get(reverse("credits:claim_detail", args=[claim.pk])).status_code == 403


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICER])
def test_an_officer_of_another_district_gets_404_on_the_claim(role, baohe, person):
    claim = claim_of(person)
    client = client_for(make_user(role, jurisdiction=baohe))
    assert client.get(reverse("credits:claim_detail", args=[claim.pk])).status_code == 404
    response = client.post(
        reverse("credits:claim_review", args=[claim.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404


def test_a_claim_whose_entry_was_reversed_says_so(trainee_client, person, personas):
    from apps.credits.claims import claim_approve
    from apps.credits.services import entry_reverse

    officer = personas[Role.DISTRICT_OFFICER]
    claim = claim_approve(claim=claim_of(person), officer=officer, opinion="")
    entry_reverse(entry=claim.entry, reason="获奖证书系伪造", reviewer=Reviewer.of(officer))
    page = trainee_client.get(reverse("credits:claim_detail", args=[claim.pk])).content.decode()
    assert "获奖证书系伪造" in page and "冲销" in page
