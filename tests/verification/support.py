"""Ledgers for verification tests: a compliant year is one public course (30 public hours) and
an organised training of 60 professional hours."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from apps.accounts.models import Role
from apps.credits.models import Source
from apps.credits.services import EntryDraft, Reviewer, entries_record
from apps.verification import codes
from apps.verification.models import Verification

REVIEWER = Reviewer(name="刘审核", organisation="蜀山区人力资源和社会保障局")


def year_drafts(person, year: int, *, professional: int = 60, public: bool = True, tag: str = ""):
    drafts = [
        EntryDraft(
            person_id=person.pk,
            year=year,
            kind="organized_training",
            params={"hours": professional},
            source=Source.DEMO,
            source_key=f"test:{person.pk}:{year}:pro{tag}",
        )
    ]
    if public:
        drafts.append(
            EntryDraft(
                person_id=person.pk,
                year=year,
                kind="public_course",
                params={"topic": f"{year} 年公需课"},
                source=Source.DEMO,
                source_key=f"test:{person.pk}:{year}:pub{tag}",
            )
        )
    return drafts


def give_ledger(person, years, *, short: dict[int, int] | None = None) -> None:
    """Compliant years; `short` maps a year to the professional hours it gets instead of 60."""
    short = short or {}
    drafts = []
    for year in years:
        drafts += year_drafts(person, year, professional=short.get(year, 60))
    entries_record(drafts=drafts, reviewer=REVIEWER)


def matrix_verification(ctx: dict) -> Verification:
    """A valid verification of the matrix's person, with a stand-in PDF at a fixed path (the
    access matrix runs without a scratch MEDIA_ROOT; one small file, overwritten each time)."""
    if "verification" in ctx:
        return ctx["verification"]
    from django.contrib.auth import get_user_model

    person = ctx["person"]
    officer = get_user_model().objects.get(
        role=Role.DISTRICT_OFFICER, jurisdiction=person.unit.jurisdiction
    )
    data = b"%PDF-1.7 access matrix stand-in"
    name = "verifications/access-matrix.pdf"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    ctx["verification"] = Verification.objects.create(
        person=person,
        person_name=person.name,
        id_number_masked=person.id_number_masked,
        unit_name=person.unit.name,
        title_applied="一级教师",
        title_level="intermediate",
        application_year=2025,
        cycle_start=2020,
        cycle_end=2024,
        total_hours=Decimal("450.0"),
        public_hours=Decimal("150.0"),
        professional_hours=Decimal("300.0"),
        years=[],
        compliant=True,
        officer=officer,
        officer_name=officer.full_name,
        officer_org=officer.organisation_name,
        jurisdiction=person.unit.jurisdiction,
        issued_at=timezone.now(),
        code=codes.code_new(),
        pdf=name,
        pdf_sha256=hashlib.sha256(data).hexdigest(),
        status=Verification.Status.VALID,
    )
    return ctx["verification"]


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()  # a scan of a booklet page, as far as the checks are concerned


def matrix_backfill(ctx: dict):
    """A paper-booklet backfill of the matrix's person, its scan stored encrypted."""
    if "backfill" in ctx:
        return ctx["backfill"]
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    from apps.people import crypto
    from apps.verification.models import BookletBackfill

    person = ctx["person"]
    officer = get_user_model().objects.get(
        role=Role.DISTRICT_OFFICER, jurisdiction=person.unit.jurisdiction
    )
    backfill = BookletBackfill(
        person=person,
        year=2015,
        public_hours=Decimal("24.0"),
        professional_hours=Decimal("48.0"),
        scan_name="page.png",
        scan_type="image/png",
        scan_size=len(PNG),
        scan_sha256=hashlib.sha256(PNG).hexdigest(),
        officer=officer,
        officer_name=officer.full_name,
        officer_org=officer.organisation_name,
        recorded_at=timezone.now(),
    )
    backfill.scan.save("scan", ContentFile(crypto.encrypt_bytes(PNG)), save=False)
    backfill.save()
    ctx["backfill"] = backfill
    return backfill
