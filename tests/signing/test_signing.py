"""PAdES signatures (hefei_cpe/signing.py): the portal's PDFs validate against the city root
printed by `manage.py pdf_signing_certificate`, and any changed byte breaks them."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from hefei_cpe import pdf, signing

DISTRICT = "合肥市蜀山区人力资源和社会保障局"
CITY = "合肥市人力资源和社会保障局"


@pytest.fixture(scope="module")
def document() -> bytes:
    html = (
        '<html lang="zh-Hans"><head><title>验证</title></head><body><h1>学时验证</h1>'
        "<p>2020—2024 年度 450 学时</p></body></html>"
    )
    return pdf.html_to_pdf(html, pdf_variant=pdf.ACCESSIBLE)


def test_it_signs_with_the_office_certificate_under_the_city_root(document):
    signed = signing.sign_pdf(document, signer=DISTRICT, reason="学时验证", field="district")
    (report,) = signing.validate_pdf(signed)
    assert report.ok and report.covers_whole_file
    assert (report.field, report.signer) == ("district", DISTRICT)


def test_a_second_signature_keeps_the_first_valid(document):
    once = signing.sign_pdf(document, signer=DISTRICT, reason="学时验证", field="district")
    twice = signing.sign_pdf(once, signer=CITY, reason="市级复核", field="city")
    reports = signing.validate_pdf(twice)
    assert [(r.field, r.ok) for r in reports] == [("district", True), ("city", True)]
    assert reports[-1].covers_whole_file and not reports[0].covers_whole_file


def test_one_changed_byte_of_content_breaks_the_signature(document):
    signed = signing.sign_pdf(document, signer=DISTRICT, reason="学时验证", field="district")
    tampered = bytearray(signed)
    tampered[len(document) // 2] ^= 0x01  # inside the signed range
    (report,) = signing.validate_pdf(bytes(tampered))
    assert not report.intact and not report.ok


def test_another_root_is_not_trusted(document, tmp_path, settings):
    signed = signing.sign_pdf(document, signer=DISTRICT, reason="学时验证", field="district")
    stranger = signing._new_root()
    (report,) = signing.validate_pdf(signed, root_pem=stranger.cert_pem)
    assert report.intact and not report.trusted


def test_the_command_prints_the_root_in_pem():
    out = io.StringIO()
    call_command("pdf_signing_certificate", stdout=out)
    text = out.getvalue()
    assert text.startswith("-----BEGIN CERTIFICATE-----")
    assert text == signing.root_certificate_pem()


def test_production_refuses_to_sign_without_a_configured_root(settings, document):
    from django.core.exceptions import ImproperlyConfigured

    settings.PDF_SIGNING_DEMO_ROOT = False
    signing.root.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match="PDF_SIGNING_ROOT_CERT"):
            signing.sign_pdf(document, signer=DISTRICT, reason="x", field="district")
    finally:
        settings.PDF_SIGNING_DEMO_ROOT = True
        signing.root.cache_clear()


def test_a_configured_root_from_pem_text_signs(settings, tmp_path, document):
    pair = signing._new_root()
    settings.PDF_SIGNING_ROOT_CERT = pair.cert_pem.decode()
    settings.PDF_SIGNING_ROOT_KEY = pair.key_pem.decode()
    settings.PDF_SIGNING_DIR = tmp_path
    signing.root.cache_clear()
    try:
        signed = signing.sign_pdf(document, signer=DISTRICT, reason="x", field="district")
        (report,) = signing.validate_pdf(signed, root_pem=pair.cert_pem)
        assert report.ok
    finally:
        signing.root.cache_clear()


def test_a_configured_root_from_pem_files_signs(settings, tmp_path, document):
    pair = signing._new_root()
    (tmp_path / "root.crt").write_bytes(pair.cert_pem)
    (tmp_path / "root.key").write_bytes(pair.key_pem)
    settings.PDF_SIGNING_ROOT_CERT = str(tmp_path / "root.crt")
    settings.PDF_SIGNING_ROOT_KEY = str(tmp_path / "root.key")
    settings.PDF_SIGNING_DIR = tmp_path / "signing"
    signing.root.cache_clear()
    try:
        assert signing.root_certificate_pem() == pair.cert_pem.decode()
        signed = signing.sign_pdf(document, signer=DISTRICT, reason="x", field="district")
        (report,) = signing.validate_pdf(signed, root_pem=pair.cert_pem)
        assert report.ok
    finally:
        signing.root.cache_clear()


@pytest.mark.skipif(
    not shutil.which("pyhanko", path=str(Path(sys.executable).parent)),
    reason="pyhanko-cli not installed",
)
def test_pyhanko_sign_validate_reports_intact_and_tampered(document, tmp_path):
    signed = signing.sign_pdf(document, signer=DISTRICT, reason="学时验证", field="district")
    root = tmp_path / "root.pem"
    root.write_text(signing.root_certificate_pem())
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(signed)
    tampered = bytearray(signed)
    tampered[len(document) // 2] ^= 0x01
    bad.write_bytes(bytes(tampered))
    cli = str(Path(sys.executable).parent / "pyhanko")
    command = [cli, "sign", "validate", "--trust", str(root), "--trust-replace"]
    ok = subprocess.run([*command, str(good)], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "INTACT" in ok.stdout and "TRUSTED" in ok.stdout
    broken = subprocess.run([*command, str(bad)], capture_output=True, text=True, timeout=120)
    assert broken.returncode != 0 or "INTACT" not in broken.stdout
