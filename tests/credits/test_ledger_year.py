"""The ledger's year picker and its source notes (issue 16): one year at a time through ?year=,
a year not on the ledger falls back to every year with a message (never a 500), and an approved
claim is named by the receipt number its professional was given, never by an internal id."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from apps.accounts.models import Role
from apps.credits.claims import claim_approve
from apps.credits.models import LedgerEntry, Source
from apps.credits.services import EntryDraft, entry_record
from tests.credits.test_views import REVIEWER, claim_of, record

pytestmark = pytest.mark.django_db


def _years_shown(html: str) -> list[int]:
    return [int(y) for y in re.findall(r'<section class="card year" id="year-(\d+)"', html)]


def test_the_year_picker_offers_every_year_and_shows_the_one_chosen(trainee_client, person):
    record(person, 7)  # 2019 … 2025
    url = reverse("credits:my_ledger")
    everything = trainee_client.get(url).content.decode()
    shown = _years_shown(everything)
    assert shown[0] >= 2025 and shown[-1] == 2019 and len(shown) >= 7
    options = re.findall(r'<option value="(\d+)"', everything.split('name="year"', 1)[1])
    assert [int(o) for o in options] == shown
    one = trainee_client.get(url, {"year": 2021}).content.decode()
    assert _years_shown(one) == [2021]
    assert '<option value="2021" selected>' in one
    assert "培训 2" in one and "培训 3" not in one  # 2021's entry only


@pytest.mark.parametrize("year", ["1999", "abc", "2021x", "99999999999999999999", " "])
def test_a_year_not_on_the_ledger_shows_every_year_with_a_message(trainee_client, person, year):
    record(person, 7)
    response = trainee_client.get(reverse("credits:my_ledger"), {"year": year})
    assert response.status_code == 200
    html = response.content.decode()
    assert len(_years_shown(html)) >= 7
    if year.strip():
        assert "本学时档案中没有" in html and "现显示全部年度" in html


def test_an_officer_picks_a_year_on_a_persons_ledger(officer_client, person):
    record(person, 7)
    url = reverse("credits:person_ledger", args=[person.pk])
    assert _years_shown(officer_client.get(url, {"year": 2020}).content.decode()) == [2020]


def test_an_approved_claim_is_noted_by_its_receipt_number(personas, trainee_client, person):
    claim = claim_of(person)
    claim_approve(claim=claim, officer=personas[Role.DISTRICT_OFFICER], opinion="")
    claim.refresh_from_db()
    html = trainee_client.get(reverse("credits:my_ledger")).content.decode()
    assert f"申报编号 {claim.receipt_no}" in html
    assert "号学时申报" not in html


def test_an_older_claim_entry_with_an_internal_label_shows_the_receipt_instead(
    personas, trainee_client, person
):
    """Entries approved before the fix stored "第 19 号学时申报" (the append-only ledger keeps it):
    the page looks up the claim's receipt number instead of showing the stored label."""
    claim = claim_of(person)
    claim_approve(claim=claim, officer=personas[Role.DISTRICT_OFFICER], opinion="")
    claim.refresh_from_db()
    old = entry_record(
        draft=EntryDraft(
            person_id=person.pk,
            year=2024,
            kind="self_study",
            params={"hours": 5},
            source=Source.CLAIM,
            source_key="claim:999999",
            source_label="第 999999 号学时申报",
        ),
        reviewer=REVIEWER,
    )
    assert old is not None
    assert LedgerEntry.objects.get(pk=old.pk).source_label == "第 999999 号学时申报"
    html = trainee_client.get(reverse("credits:my_ledger")).content.decode()
    assert "号学时申报" not in html and "999999" not in html
    assert f"申报编号 {claim.receipt_no}" in html


def test_the_claim_page_is_titled_by_its_receipt_number(trainee_client, person):
    claim = claim_of(person)
    claim.refresh_from_db()
    html = trainee_client.get(reverse("credits:claim_detail", args=[claim.pk])).content.decode()
    assert f"<title>学时申报 {claim.receipt_no} ·" in html
    assert f"<h1>学时申报 {claim.receipt_no}" in html
