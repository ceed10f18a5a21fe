"""The district officer's opinion (审核意见) on a verification or a refusal: written when issuing
or refusing (required, at most 150 characters, nothing written without it), frozen with the
issue, shown on the verification's page, at the city's re-review and on the PDF, and never on
the public check (page or JSON): it is free text that cannot be masked, and the check shows what
DESIGN §3.6 lists, which the opinion is not part of. Rows recorded before it was asked for say
that it was not given, never a sentence made up for the officer."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.verification import codes
from apps.verification.models import OPINION_MAX_LENGTH, Verification
from apps.verification.services import verification_issue
from tests.conftest import client_for
from tests.verification.support import give_ledger

PDFTOTEXT = shutil.which("pdftotext")
OPINION = "经核对学时登记及培训证明，任职周期内各年度学时均达到规定要求，同意予以验证。"
FORM = {
    "application_year": 2025,
    "title_level": "intermediate",
    "title_applied": "一级教师",
}


def _issue(personas, person, opinion=OPINION, **changes):
    return verification_issue(
        officer=personas[Role.DISTRICT_OFFICER],
        person=person,
        application_year=2025,
        title_applied=changes.get("title_applied", "一级教师"),
        title_level=changes.get("title_level", "intermediate"),
        opinion=opinion,
        base_url="https://jxjy.example.cn",
    )


def _old_row(person, officer, **changes) -> Verification:
    """A verification as recorded before the opinion was asked for (the migration gave it an
    empty one)."""
    data = b"%PDF-1.7 recorded before opinions"
    name = f"verifications/old-{person.pk}.pdf"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    fields = {
        "person": person,
        "person_name": person.name,
        "id_number_masked": person.id_number_masked,
        "unit_name": person.unit.name,
        "title_applied": "高级教师",
        "title_level": "associate_senior",
        "application_year": 2025,
        "cycle_start": 2020,
        "cycle_end": 2024,
        "total_hours": Decimal("450.0"),
        "public_hours": Decimal("150.0"),
        "professional_hours": Decimal("300.0"),
        "years": [],
        "compliant": True,
        "officer": officer,
        "officer_name": officer.full_name,
        "officer_org": officer.organisation_name,
        "jurisdiction": person.unit.jurisdiction,
        "issued_at": timezone.now(),
        "code": codes.code_new(),
        "pdf": name,
        "pdf_sha256": hashlib.sha256(data).hexdigest(),
        "status": Verification.Status.AWAITING_REVIEW,
        "needs_review": True,
        **changes,
    }
    return Verification.objects.create(**fields)


@pytest.fixture
def titled(person):
    person.title_year = 2019  # the derived cycle of a 2025 application: 2020–2024
    person.save()
    return person


# --- written with the issue or the refusal -----------------------------------------------------


@pytest.mark.parametrize("opinion", ["", "   \n  "])
def test_the_form_refuses_an_empty_opinion_in_chinese_and_writes_nothing(
    officer_client, titled, opinion
):
    give_ledger(titled, range(2020, 2025))
    url = reverse("verification:start", args=[titled.pk])
    response = officer_client.post(url, {**FORM, "opinion": opinion})
    assert response.status_code == 200
    page = response.content.decode()
    assert "审核意见：请填写审核意见，写明予以验证或不予验证的理由。" in page
    assert 'name="opinion"' in page  # asked again, beside the issue button
    assert not Verification.objects.exists()


def test_the_form_refuses_an_opinion_too_long_and_keeps_what_was_written(officer_client, titled):
    give_ledger(titled, range(2020, 2025))
    url = reverse("verification:start", args=[titled.pk])
    long = "核" * (OPINION_MAX_LENGTH + 1)
    page = officer_client.post(url, {**FORM, "opinion": long}).content.decode()
    limit = OPINION_MAX_LENGTH
    assert f"审核意见：审核意见不能超过 {limit} 字，现有 {limit + 1} 字。" in page
    assert long in page  # the officer's text is kept to be shortened, not lost
    assert not Verification.objects.exists()


def test_a_refusal_needs_an_opinion_too(officer_client, titled):
    give_ledger(titled, range(2020, 2025), short={2022: 0})
    url = reverse("verification:start", args=[titled.pk])
    officer_client.post(url, {**FORM, "opinion": ""})
    assert not Verification.objects.exists()
    officer_client.post(url, {**FORM, "opinion": "2022 年度专业科目无学时记录，不予验证。"})
    refused = Verification.objects.get()
    assert refused.status == Verification.Status.REFUSED
    assert refused.opinion == "2022 年度专业科目无学时记录，不予验证。"


def test_the_service_refuses_an_empty_or_long_opinion_naming_the_field(personas, titled):
    give_ledger(titled, range(2020, 2025))
    for opinion, message in (
        (" ", "请填写审核意见"),
        ("意" * (OPINION_MAX_LENGTH + 1), f"审核意见不能超过 {OPINION_MAX_LENGTH} 字"),
    ):
        with pytest.raises(ValidationError) as caught:
            _issue(personas, titled, opinion=opinion)
        assert set(caught.value.message_dict) == {"opinion"}
        assert message in caught.value.message_dict["opinion"][0]
    assert not Verification.objects.exists()


def test_the_opinion_is_stored_trimmed_and_frozen(personas, titled):
    give_ledger(titled, range(2020, 2025))
    verification = _issue(personas, titled, opinion=f"  {OPINION}\n")
    assert Verification.objects.get(pk=verification.pk).opinion == OPINION
    with pytest.raises(DatabaseError), transaction.atomic():
        Verification.objects.filter(pk=verification.pk).update(opinion="改写的意见")
    assert Verification.objects.get(pk=verification.pk).opinion == OPINION


# --- where it shows, and where it does not -----------------------------------------------------


def test_the_verification_page_shows_the_opinion(personas, titled, officer_client):
    give_ledger(titled, range(2020, 2025))
    verification = _issue(personas, titled)
    page = officer_client.get(reverse("verification:detail", args=[verification.pk]))
    html = page.content.decode()
    assert f'id="opinion">{OPINION}</dd>' in html


def test_the_re_review_page_shows_the_districts_own_opinion(personas, titled, city_client):
    give_ledger(titled, range(2020, 2025))
    senior = _issue(personas, titled, title_applied="高级教师", title_level="associate_senior")
    assert senior.status == Verification.Status.AWAITING_REVIEW
    html = city_client.get(reverse("verification:detail", args=[senior.pk])).content.decode()
    file = html.split('id="re-review-file"')[1]
    assert f'<p id="district-opinion">{OPINION}</p>' in file
    assert "已验证并报市级复核" not in file  # the old made-up sentence is gone


def test_an_old_verification_says_its_opinion_was_not_given(personas, titled, city_client):
    old = _old_row(titled, personas[Role.DISTRICT_OFFICER])
    assert old.opinion == ""
    html = city_client.get(reverse("verification:detail", args=[old.pk])).content.decode()
    assert html.count("（未填写：该记录早于审核意见的填写要求）") == 2  # the facts and the file
    assert "任职周期内各年度均达标" not in html  # nothing said on the officer's behalf


def test_the_opinion_escapes_markup_and_keeps_its_lines(personas, titled, officer_client):
    give_ledger(titled, range(2020, 2025))
    verification = _issue(personas, titled, opinion="第一行<b>核对</b>\n第二行")
    html = officer_client.get(
        reverse("verification:detail", args=[verification.pk])
    ).content.decode()
    assert "第一行&lt;b&gt;核对&lt;/b&gt;<br>第二行" in html


def test_the_public_check_does_not_show_the_opinion(personas, titled):
    give_ledger(titled, range(2020, 2025))
    verification = _issue(personas, titled)
    url = reverse("verification:check")
    page = Client().get(url, {"code": verification.code}).content.decode()
    assert "真实有效" in page
    assert OPINION not in page and "审核意见" not in page
    response = Client().get(url, {"code": verification.code, "format": "json"})
    facts = json.loads(response.content)["verification"]
    assert "opinion" not in facts
    assert OPINION not in response.content.decode("utf-8")


@pytest.mark.skipif(PDFTOTEXT is None, reason="poppler-utils not installed")
def test_the_pdf_prints_the_opinion_with_the_record(personas, titled):
    give_ledger(titled, range(2020, 2025))
    verification = _issue(personas, titled)
    text = subprocess.run(
        [PDFTOTEXT, "-layout", verification.pdf.path, "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in text.splitlines() if OPINION in "".join(line.split()))
    assert "".join(line.split()) == "审核意见" + OPINION  # its own row of the record
    flat = "".join(text.split())
    assert flat.index(OPINION) < flat.index("验证单位")  # above the issuing office's seal


def test_the_trainee_page_does_not_show_the_opinion(personas, titled, trainee_client):
    """The professional gets the PDF (which prints it); their list of verifications and refusals
    stays as it was."""
    give_ledger(titled, range(2020, 2025))
    verification = _issue(personas, titled)
    page = trainee_client.get(reverse("verification:mine")).content.decode()
    assert reverse("verification:pdf", args=[verification.pk]) in page
    assert OPINION not in page


def test_the_opinion_is_only_for_the_issuing_officer_to_write(personas, titled, baohe):
    from tests.factories import make_user

    give_ledger(titled, range(2020, 2025))
    outsider = client_for(make_user(Role.DISTRICT_OFFICER, jurisdiction=baohe))
    url = reverse("verification:start", args=[titled.pk])
    assert outsider.post(url, {**FORM, "opinion": OPINION}).status_code == 404
    assert not Verification.objects.exists()
