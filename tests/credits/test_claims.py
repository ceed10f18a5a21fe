"""Claims: the engine's hours before sending, evidence checked by content, review by the right
officer with an opinion, and never credited twice."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from apps.accounts.models import Role
from apps.credits.claims import claim_approve, claim_reject, claim_submit, claim_withdraw
from apps.credits.evidence import MAX_BYTES, MAX_FILES, evidence_check
from apps.credits.models import Claim, LedgerEntry, PersonYear
from tests.credits.helpers import pdf, png
from tests.factories import make_user


def submit(person, kind="paper", year=2025, files=None, **params):
    params = params or {"journal": "national", "chars": 3000, "indexed": False, "paper_id": "p1"}
    return claim_submit(
        person=person,
        kind=kind,
        year=year,
        params=params,
        title="小学数学作业设计研究",
        description="",
        files=evidence_check(files or [png()]),
        attested=True,
        today_year=2026,
    )


@pytest.fixture
def officer(shushan):
    return make_user(Role.DISTRICT_OFFICER, jurisdiction=shushan)


@pytest.fixture
def city(db):
    return make_user(Role.CITY_OFFICER)


def test_it_stores_the_engines_hours_and_the_evidence(person):
    claim = submit(person, files=[png(), pdf()])
    assert claim.previewed_hours == Decimal("15.0")
    assert claim.subject == "professional"
    assert claim.status == Claim.Status.PENDING
    stored = list(claim.evidence.order_by("id"))
    assert [e.content_type for e in stored] == ["image/png", "application/pdf"]
    assert stored[0].original_name == "证书.png"
    assert "证书" not in stored[0].file.name  # the stored name never carries the upload's name


def test_it_names_the_parameter_the_engine_refuses(person):
    with pytest.raises(ValidationError) as caught:
        submit(person, kind="invention_patent", rank=0)
    assert "rank" in caught.value.message_dict
    assert not Claim.objects.exists()


def test_it_refuses_a_future_year(person):
    with pytest.raises(ValidationError) as caught:
        submit(person, year=2027)
    assert "year" in caught.value.message_dict


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("论文.pdf", b"just some text, not a pdf"), "不是 PDF、JPEG 或 PNG"),
        (SimpleUploadedFile("证书.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40), "已损坏或不完整"),
        (SimpleUploadedFile("论文.pdf", b"%PDF-1.4\n1 0 obj\n"), "已损坏或不完整"),
        (SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * MAX_BYTES + b"%%EOF"), "超过 10 MB"),
    ],
)
def test_it_judges_evidence_by_its_content(upload, message):
    with pytest.raises(ValidationError) as caught:
        evidence_check([upload])
    assert message in caught.value.messages[0]
    assert upload.name in caught.value.messages[0]


def test_it_accepts_a_jpeg_named_anything():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "JPEG")
    [checked] = evidence_check([SimpleUploadedFile("scan.pdf", buffer.getvalue())])
    assert checked.content_type == "image/jpeg"


def test_it_limits_the_number_of_files():
    with pytest.raises(ValidationError):
        evidence_check([png() for _ in range(MAX_FILES + 1)])
    with pytest.raises(ValidationError):
        evidence_check([])


def test_approval_records_the_entry_with_the_reviewer(person, officer):
    claim = claim_approve(claim=submit(person), officer=officer, opinion="属实")
    assert claim.status == Claim.Status.APPROVED
    entry = claim.entry
    assert entry.hours == Decimal("15.0")
    assert entry.source == "claim" and entry.source_key == f"claim:{claim.pk}"
    assert entry.reviewer_name == officer.full_name
    assert entry.reviewer_org == "蜀山区人力资源和社会保障局"
    assert claim.reviewer_org == entry.reviewer_org and claim.opinion == "属实"
    assert PersonYear.objects.get(person=person, year=2025).professional == Decimal("15.0")


def test_a_claim_is_decided_once(person, officer, city):
    claim = submit(person)
    claim_approve(claim=claim, officer=officer, opinion="")
    with pytest.raises(ValidationError):
        claim_approve(claim=claim, officer=city, opinion="")
    with pytest.raises(ValidationError):
        claim_reject(claim=claim, officer=city, opinion="不同意")
    assert LedgerEntry.objects.count() == 1


def test_a_rejection_needs_an_opinion_and_credits_nothing(person, officer):
    claim = submit(person)
    with pytest.raises(ValidationError):
        claim_reject(claim=claim, officer=officer, opinion=" ")
    claim = claim_reject(claim=claim, officer=officer, opinion="论文未见刊")
    assert claim.status == Claim.Status.REJECTED and claim.entry is None
    assert not LedgerEntry.objects.exists()


def test_medical_credits_go_to_the_health_authority(person, officer):
    from apps.people.models import Jurisdiction

    health = Jurisdiction.objects.get(code="city-health")
    claim = submit(person, kind="medical_credit", credits=10)
    assert claim.office == health
    with pytest.raises(ValidationError) as caught:
        claim_approve(claim=claim, officer=officer, opinion="")
    assert "其他部门" in caught.value.messages[0]
    health_officer = make_user(Role.DISTRICT_OFFICER, jurisdiction=health)
    approved = claim_approve(claim=claim, officer=health_officer, opinion="")
    assert approved.entry.hours == Decimal("30.0")


def test_a_trainee_withdraws_only_a_pending_claim(person, officer):
    claim = claim_withdraw(claim=submit(person), person=person)
    assert claim.status == Claim.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        claim_approve(claim=claim, officer=officer, opinion="")
    approved = claim_approve(claim=submit(person), officer=officer, opinion="")
    with pytest.raises(ValidationError):
        claim_withdraw(claim=approved, person=person)


@pytest.mark.django_db(transaction=True)
def test_two_officers_approving_at_once_credit_once(person, shushan):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    officers = [make_user(Role.DISTRICT_OFFICER, jurisdiction=shushan) for _ in range(2)]
    claim = submit(person)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(officer):
        from django.db import connections

        try:
            barrier.wait()
            claim_approve(claim=claim, officer=officer, opinion="")
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(o,)) for o in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "refused"]
    assert LedgerEntry.objects.filter(source_key=f"claim:{claim.pk}").count() == 1
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.APPROVED
