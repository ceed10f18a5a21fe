"""Paper-booklet backfill (历史学时补录): a year before the portal's records is filled from the
paper booklet with a scan; it turns a refusal into an issue, is reversed like any entry, and
the verification lists the backfilled years."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.models import Role
from apps.credits.models import LedgerEntry, Source
from apps.credits.services import Reviewer, entry_reverse
from apps.verification.backfill import backfill_scan, booklet_backfill
from apps.verification.models import BookletBackfill, Verification
from apps.verification.services import verification_issue
from tests.verification.support import PNG, give_ledger

BASE = "https://jxjy.example.cn"


@pytest.fixture
def officer(personas):
    return personas[Role.DISTRICT_OFFICER]


def scan(name="page.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def issue(officer, person):
    return verification_issue(
        officer=officer,
        person=person,
        application_year=2025,
        title_applied="一级教师",
        title_level="intermediate",
        opinion="经核对，任职周期内各年度学时情况属实。",
        base_url=BASE,
    )


def test_a_backfilled_year_turns_a_refusal_into_an_issue(officer, person):
    person.title_year = 2010  # an old title: the capped cycle is 2020–2024
    person.save()
    give_ledger(person, range(2021, 2025))  # the portal's records start in 2021
    refused = issue(officer, person)
    assert refused.status == Verification.Status.REFUSED
    assert (refused.cycle_start, refused.cycle_end) == (2020, 2024)
    backfill = booklet_backfill(
        officer=officer,
        person=person,
        year=2020,
        public_hours="30",
        professional_hours="64.5",
        scan=scan(),
        booklet_number="皖继教 0012345",
    )
    entries = LedgerEntry.objects.filter(person=person, year=2020).order_by("subject")
    assert [(e.kind, e.subject, e.hours, e.source) for e in entries] == [
        ("paper_booklet", "professional", Decimal("64.5"), Source.BOOKLET),
        ("paper_booklet", "public", Decimal("30.0"), Source.BOOKLET),
    ]
    assert {e.reviewer_org for e in entries} == {officer.organisation_name}
    # The scan is kept encrypted and read back intact.
    with backfill.scan.open("rb") as stored:
        assert PNG not in stored.read()
    assert backfill_scan(backfill=backfill) == PNG
    issued = issue(officer, person)
    assert issued.status == Verification.Status.VALID
    assert issued.backfilled_years == [2020]
    assert issued.years[0]["backfilled"] and not issued.years[1]["backfilled"]
    assert issued.total_hours == Decimal("454.5")


def test_a_reversed_backfill_no_longer_counts(officer, person):
    booklet_backfill(
        officer=officer,
        person=person,
        year=2020,
        public_hours=30,
        professional_hours=60,
        scan=scan(),
    )
    give_ledger(person, range(2021, 2025))
    for entry in LedgerEntry.objects.filter(person=person, kind="paper_booklet"):
        entry_reverse(entry=entry, reason="证书抄录有误", reviewer=Reviewer.of(officer))
    refused = issue(officer, person)
    assert refused.status == Verification.Status.REFUSED
    assert refused.backfilled_years == []
    # After the reversal the year may be backfilled again.
    booklet_backfill(
        officer=officer,
        person=person,
        year=2020,
        public_hours=30,
        professional_hours=60,
        scan=scan(),
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"year": 2030}, "年度"),
        ({"public_hours": "-1"}, "公需科目学时"),
        ({"professional_hours": "12.25"}, "专业科目学时"),
        ({"public_hours": 0, "professional_hours": 0}, "均为 0"),
        ({"scan": None}, "扫描件"),
        ({"scan": "text"}, "扫描件"),
        ({"year": 2021}, "已有学时"),
    ],
)
def test_it_refuses_bad_input_naming_the_field_and_writes_nothing(
    officer, person, changes, message
):
    give_ledger(person, [2021])
    before = LedgerEntry.objects.count()
    data = {"year": 2020, "public_hours": 30, "professional_hours": 60, "scan": scan()}
    data.update(changes)
    if data["scan"] == "text":
        data["scan"] = scan("page.png", b"just some text")
    with pytest.raises(ValidationError) as caught:
        booklet_backfill(officer=officer, person=person, **data)
    assert message in "；".join(caught.value.messages)
    assert LedgerEntry.objects.count() == before
    assert not BookletBackfill.objects.exists()


def test_only_the_persons_own_district_backfills(personas, other_person):
    with pytest.raises(ValidationError, match="不属于"):
        booklet_backfill(
            officer=personas[Role.DISTRICT_OFFICER],
            person=other_person,
            year=2020,
            public_hours=30,
            professional_hours=60,
            scan=scan(),
        )
    assert not BookletBackfill.objects.exists()


def test_the_page_takes_the_backfill_and_shows_it(officer_client, person):
    url = reverse("verification:backfill", args=[person.pk])
    response = officer_client.post(
        url,
        {"year": 2020, "public_hours": "30", "professional_hours": "60", "scan": scan()},
    )
    assert response.status_code == 302
    page = officer_client.get(reverse("verification:start", args=[person.pk])).content.decode()
    assert "page.png" in page
    backfill = BookletBackfill.objects.get()
    response = officer_client.get(reverse("verification:backfill_scan", args=[backfill.pk]))
    assert response.content == PNG and response["Content-Type"] == "image/png"
