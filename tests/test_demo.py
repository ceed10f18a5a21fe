"""The demo city: `load_demo` builds every app's part and a second run changes nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def demo_media(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, built once for this module inside a transaction that is rolled back after its
    last test (building it renders and signs PDFs: seconds, not milliseconds); its files go to a
    folder of the module's own. Each test still runs in a savepoint of its own."""
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(MEDIA_ROOT=media),
    ):
        call_command("load_demo", stdout=StringIO())
        yield media
        transaction.set_rollback(True)


@pytest.fixture
def demo_loaded(demo_media, settings):
    settings.MEDIA_ROOT = demo_media


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"people", "accounts", "bases", "credits", "publiccourse", "verification", "filings"}
    }


@pytest.mark.django_db
def test_it_builds_the_demo_once(demo_loaded):
    first = _counts()
    assert first["credits.LedgerEntry"] > 1000
    assert first["credits.Claim"] >= 5
    call_command("load_demo", stdout=StringIO())
    assert _counts() == first


@pytest.mark.django_db
def test_the_demo_has_a_unit_administrator_with_a_claim_to_screen(demo_loaded):
    from apps.accounts.models import Role, User
    from apps.credits.models import Claim
    from apps.credits.selectors import review_queue
    from apps.people.models import Person

    admin = User.objects.get(username="unit-hupo")
    assert admin.role == Role.UNIT_ADMIN and admin.unit.name == "蜀山区琥珀小学"
    assert admin.scope.people(Person.objects.filter(name="张明")).exists()
    waiting = list(review_queue(user=admin))
    assert waiting and all(c.status == Claim.Status.SCREENING for c in waiting)
    # The demo's medical claim waits on the health authority's officer, not the district.
    health = User.objects.get(username="health-dept")
    assert review_queue(user=health).filter(kind="medical_credit").exists()
    assert (
        not review_queue(user=User.objects.get(username="shushan"))
        .filter(kind="medical_credit")
        .exists()
    )


@pytest.mark.django_db
def test_the_demo_has_the_health_authority_as_an_organiser_with_a_credited_roster(demo_loaded):
    from apps.accounts.models import Role, User
    from apps.bases.models import Organiser
    from apps.credits.models import LedgerEntry
    from apps.filings.models import Plan
    from apps.filings.selectors import plans_visible_to

    assert Organiser.objects.filter(kind=Organiser.Kind.TRAINING_BASE).count() == 31
    staff = User.objects.get(username="org-health")
    assert staff.role == Role.ORGANISER_STAFF
    assert staff.organiser.name == "市卫生健康委" and staff.organiser.is_authority
    assert staff.organiser.industry.name == "卫生健康"
    (plan,) = plans_visible_to(user=staff)
    assert plan.status == Plan.Status.ACKNOWLEDGED and plan.industry.code == "health"
    assert (plan.start_date - plan.filed_at.date()).days >= 15
    rows = list(plan.roster.all())
    assert rows and all(row.passed for row in rows)
    entries = LedgerEntry.objects.filter(source_key__startswith=f"plan:{plan.pk}:")
    assert entries.count() == len(rows)
    assert {e.person_id for e in entries} == {row.person_id for row in rows}
    # base-wanbo still works, and neither organiser sees the other's plans.
    wanbo = User.objects.get(username="base-wanbo")
    assert wanbo.organiser.kind == Organiser.Kind.TRAINING_BASE
    assert plan not in plans_visible_to(user=wanbo)
    assert plans_visible_to(user=wanbo).count() == 4


@pytest.mark.django_db
def test_the_demo_verifications_keep_their_story_and_their_pdfs_validate(demo_loaded):
    """张明's short 2023 stays refused (the derived cycle cannot be shortened); every issued
    demo PDF validates against the root `manage.py pdf_signing_certificate` prints."""
    from apps.demo import DEMO_TRAINEE_ID
    from apps.people import crypto
    from apps.verification.models import Verification
    from hefei_cpe import signing

    zhang = Verification.objects.get(person__id_number_hash=crypto.keyed_hash(DEMO_TRAINEE_ID))
    assert zhang.status == Verification.Status.REFUSED
    assert zhang.cycle_start <= 2023 <= zhang.cycle_end
    assert any("2023" in reason for reason in zhang.refusal_reasons)
    root = StringIO()
    call_command("pdf_signing_certificate", stdout=root)
    issued = Verification.objects.exclude(code__isnull=True)
    assert issued.exists()
    for verification in issued:
        for stored in (verification.pdf, verification.reviewed_pdf):
            if stored:
                reports = signing.validate_pdf(stored.read(), root_pem=root.getvalue().encode())
                assert reports and all(r.ok for r in reports), verification


@pytest.mark.skipif(
    not shutil.which("pyhanko", path=str(Path(sys.executable).parent)),
    reason="pyhanko-cli not installed",
)
@pytest.mark.django_db
def test_pyhanko_sign_validate_finds_a_demo_pdf_intact_and_a_changed_byte_not(
    demo_loaded, tmp_path
):
    """Issue 15: `pyhanko sign validate` with the root that `manage.py pdf_signing_certificate`
    prints reports a demo verification PDF (re-reviewed: the district's and the city's
    signatures) intact and trusted; the same PDF with one byte of its content changed fails."""
    from apps.verification.models import Verification

    root = StringIO()
    call_command("pdf_signing_certificate", stdout=root)
    (tmp_path / "root.pem").write_text(root.getvalue())
    reviewed = Verification.objects.exclude(reviewed_pdf="").exclude(reviewed_pdf__isnull=True)
    data = reviewed.first().reviewed_pdf.read()
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(data)
    tampered = bytearray(data)
    tampered[len(data) // 4] ^= 0x01  # inside the district's signed range
    bad.write_bytes(bytes(tampered))
    cli = str(Path(sys.executable).parent / "pyhanko")
    command = [cli, "sign", "validate", "--trust", str(tmp_path / "root.pem"), "--trust-replace"]
    ok = subprocess.run([*command, str(good)], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # One line per signature: the district's, then the city's.
    lines = [line for line in ok.stdout.splitlines() if line.strip()]
    assert [line.split(":")[0] for line in lines] == ["district", "city"], ok.stdout
    assert all("INTACT" in line and "TRUSTED" in line for line in lines), ok.stdout
    broken = subprocess.run([*command, str(bad)], capture_output=True, text=True, timeout=120)
    assert broken.returncode != 0 or "INTACT" not in broken.stdout
