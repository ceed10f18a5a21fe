"""PAdES signatures on the portal's PDFs (pyHanko), under a city signing root.

    from hefei_cpe import signing

    signed: bytes = signing.sign_pdf(data, signer="合肥市蜀山区人力资源和社会保障局",
                                     reason="学时验证", field="district")
    report = signing.validate_pdf(signed)   # [SignatureReport(field, signer, intact, trusted)]
    pem: str = signing.root_certificate_pem()

Keys and certificates:

- The **root** (the city's signing root) comes from `PDF_SIGNING_ROOT_CERT` and
  `PDF_SIGNING_ROOT_KEY` (each a path to a PEM file or the PEM text itself, e.g. from a secret
  store; `PDF_SIGNING_ROOT_KEY_PASSWORD` if the key is encrypted). In development (or when
  `PDF_SIGNING_DEMO_ROOT` is on) and with neither set, a demo root is generated on first use
  and kept under `PDF_SIGNING_DIR` (default `var/signing/`, never committed).
- Each **signing office** (a district bureau, a city department, the city bureau) gets its own
  certificate issued by the root the first time it signs, kept in `PDF_SIGNING_DIR/offices/`
  under the SHA-256 of its name; `PDF_SIGNING_DIR/offices/<sha>.crt|.key` placed there by
  hand (e.g. a certificate from a real CA under the same root) are used as they are.

Signatures are ECDSA P-256 / SHA-256, PAdES baseline (ETSI.CAdES.detached), with the root
embedded so that a reader holding the root can validate offline. Knows nothing of the domain.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

ROOT_NAME = "合肥市继续教育学时平台签章根证书"
_LOCK = threading.RLock()
T = TypeVar("T")


@dataclass(frozen=True)
class KeyPair:
    cert_pem: bytes
    key_pem: bytes


@dataclass(frozen=True)
class SignatureReport:
    field: str
    signer: str
    intact: bool  # the signed bytes are unchanged
    trusted: bool  # the signer's certificate chains to the city root
    covers_whole_file: bool  # nothing was appended after this signature

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted


def _directory() -> Path:
    return Path(getattr(settings, "PDF_SIGNING_DIR", None) or settings.VAR_DIR / "signing")


def _pem_source(value: str) -> bytes:
    """A PEM given inline (a secret store) or as a path to a file."""
    if value.lstrip().startswith("-----BEGIN"):
        return value.encode()
    return Path(value).read_bytes()


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _fit(text: str, limit: int = 64) -> str:
    """X.509 limits a common name to 64 (UTF-8 counted) units."""
    while len(text.encode()) > limit:
        text = text[:-1]
    return text


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "合肥市"),
            x509.NameAttribute(NameOID.COMMON_NAME, _fit(common_name)),
        ]
    )


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _new_root() -> KeyPair:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    name = _name(ROOT_NAME + "（演示）")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * 20))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return KeyPair(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key))


@lru_cache(maxsize=1)
def root() -> KeyPair:
    """The city signing root: configured, or (development) the demo root made on first use."""
    cert_value = getattr(settings, "PDF_SIGNING_ROOT_CERT", None)
    key_value = getattr(settings, "PDF_SIGNING_ROOT_KEY", None)
    if cert_value and key_value:
        return KeyPair(_pem_source(cert_value), _pem_source(key_value))
    if cert_value or key_value:
        raise ImproperlyConfigured("Set both PDF_SIGNING_ROOT_CERT and PDF_SIGNING_ROOT_KEY.")
    if not getattr(settings, "PDF_SIGNING_DEMO_ROOT", settings.DEBUG):
        raise ImproperlyConfigured(
            "PDF_SIGNING_ROOT_CERT and PDF_SIGNING_ROOT_KEY must be set to sign PDFs "
            "(a demo root is generated only in development)."
        )
    folder = _directory()
    cert_path, key_path = folder / "root.crt", folder / "root.key"
    with _LOCK:
        if not (cert_path.exists() and key_path.exists()):
            pair = _new_root()
            _write_private(key_path, pair.key_pem)
            cert_path.write_bytes(pair.cert_pem)
        return KeyPair(cert_path.read_bytes(), key_path.read_bytes())


def _root_password() -> bytes | None:
    password = getattr(settings, "PDF_SIGNING_ROOT_KEY_PASSWORD", None)
    return password.encode() if password else None


def root_certificate_pem() -> str:
    """The root certificate in PEM, for anyone who wants to validate the portal's PDFs."""
    return root().cert_pem.decode()


def _issue_office(signer: str, authority: KeyPair) -> KeyPair:
    root_cert = x509.load_pem_x509_certificate(authority.cert_pem)
    root_key = serialization.load_pem_private_key(authority.key_pem, password=_root_password())
    assert isinstance(root_key, ec.EllipticCurvePrivateKey), "the root key must be ECDSA"
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(signer))
        .issuer_name(root_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * 5))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )
    return KeyPair(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key))


def office(signer: str) -> KeyPair:
    """The certificate and key of a signing office, issued by the root on first use."""
    folder = _directory() / "offices"
    stem = hashlib.sha256(signer.encode()).hexdigest()[:32]
    cert_path, key_path = folder / f"{stem}.crt", folder / f"{stem}.key"
    with _LOCK:
        if not (cert_path.exists() and key_path.exists()):
            pair = _issue_office(signer, root())
            _write_private(key_path, pair.key_pem)
            cert_path.write_bytes(pair.cert_pem)
        return KeyPair(cert_path.read_bytes(), key_path.read_bytes())


@lru_cache(maxsize=64)
def _signer(cert_pem: bytes, key_pem: bytes, root_pem: bytes) -> signers.SimpleSigner:
    (cert,) = load_certs_from_pemder_data(cert_pem)
    root_certs = list(load_certs_from_pemder_data(root_pem))
    key: asn1_keys.PrivateKeyInfo = load_private_key_from_pemder_data(key_pem, passphrase=None)
    return signers.SimpleSigner(
        signing_cert=cert,
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([cert, *root_certs]),
    )


def _outside_event_loop(function: Callable[[], T]) -> T:
    """pyHanko runs its own asyncio loop; where this thread already runs one (an async
    view, a browser test driving Playwright), do the work in a short-lived thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function).result()


def sign_pdf(data: bytes, *, signer: str, reason: str, field: str, location: str = "合肥") -> bytes:
    return _outside_event_loop(
        lambda: _sign_pdf(data, signer=signer, reason=reason, field=field, location=location)
    )


def _sign_pdf(data: bytes, *, signer: str, reason: str, field: str, location: str) -> bytes:
    """Adds a PAdES signature of `signer`'s office (an incremental update: earlier signatures
    stay valid). `field` names the signature field (ASCII), e.g. "district", "city"."""
    pair = office(signer)
    simple = _signer(pair.cert_pem, pair.key_pem, root().cert_pem)
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        reason=reason,
        location=location,
        name=signer,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    out = signers.sign_pdf(writer, meta, signer=simple)
    return out.getvalue()


def _common_name(cert: asn1_x509.Certificate) -> str:
    return str(cert.subject.native.get("common_name", ""))


def validate_pdf(data: bytes, *, root_pem: bytes | None = None) -> list[SignatureReport]:
    """Every signature of the PDF checked against the city root (or `root_pem`)."""
    return _outside_event_loop(lambda: _validate_pdf(data, root_pem=root_pem))


def _validate_pdf(data: bytes, *, root_pem: bytes | None) -> list[SignatureReport]:
    trust = list(load_certs_from_pemder_data(root_pem or root().cert_pem))
    context = ValidationContext(trust_roots=trust, allow_fetching=False)
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    reports = []
    for embedded in reader.embedded_signatures:
        status = validate_pdf_signature(embedded, context, skip_diff=True)
        reports.append(
            SignatureReport(
                field=embedded.field_name,
                signer=_common_name(embedded.signer_cert),
                intact=bool(status.intact and status.valid),
                trusted=bool(status.trusted),
                covers_whole_file=status.coverage is not None
                and status.coverage.name == "ENTIRE_FILE",
            )
        )
    return reports
