"""Issued verification PDFs are signed by the issuing office (and, after re-review, also by
the city), tagged PDF/UA, and any changed byte breaks them."""

from __future__ import annotations

import zlib

from apps.accounts.models import Role
from apps.verification.services import verification_confirm, verification_issue
from hefei_cpe import signing
from tests.verification.support import give_ledger

BASE = "https://jxjy.example.cn"


def _issue(personas, person, level):
    give_ledger(person, range(2020, 2025))
    return verification_issue(
        officer=personas[Role.DISTRICT_OFFICER],
        person=person,
        application_year=2025,
        title_applied="高级教师",
        title_level=level,
        opinion="经核对，任职周期内各年度学时情况属实。",
        base_url=BASE,
    )


def test_the_issued_pdf_is_signed_by_the_issuing_office(personas, person):
    verification = _issue(personas, person, "intermediate")
    data = verification.pdf.read()
    (signature,) = signing.validate_pdf(data)
    assert signature.ok and signature.covers_whole_file
    assert signature.signer == verification.officer_org
    tampered = bytearray(data)
    tampered[len(data) // 3] ^= 0x20
    assert not signing.validate_pdf(bytes(tampered))[0].ok


def test_the_re_reviewed_pdf_carries_the_citys_signature_too(personas, person):
    verification = _issue(personas, person, "associate_senior")
    verification_confirm(
        verification=verification, officer=personas[Role.CITY_OFFICER], base_url=BASE
    )
    verification.refresh_from_db()
    reports = signing.validate_pdf(verification.reviewed_pdf.read())
    assert [(r.field, r.ok) for r in reports] == [("district", True), ("city", True)]
    assert reports[1].signer == verification.reviewer_org


def test_the_pdf_is_tagged_for_accessibility(personas, person):
    data = _issue(personas, person, "intermediate").pdf.read()
    # The catalogue (in an object stream) declares the structure tree and PDF/UA-1.
    streams = [data]
    for chunk in data.split(b"stream\n")[1:]:
        try:
            streams.append(zlib.decompress(chunk.split(b"endstream")[0].rstrip(b"\r\n")))
        except zlib.error:
            continue
    text = b"".join(streams)
    assert b"/StructTreeRoot" in text and b"/MarkInfo" in text
    assert b"pdfuaid:part" in text
