"""Claim evidence is encrypted at rest and decrypted only in the scoped evidence view."""

from __future__ import annotations

import importlib
import io

from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from apps.people import crypto
from tests.credits.helpers import png
from tests.credits.test_views import claim_of

migration = importlib.import_module("apps.credits.migrations.0004_evidence_encrypted_at_rest")


def _stored(evidence) -> bytes:
    with evidence.file.open("rb") as stored:
        return stored.read()


def test_it_stores_evidence_encrypted(person):
    evidence = claim_of(person).evidence.get()
    stored = _stored(evidence)
    clear = png().read()
    assert crypto.is_encrypted(stored)
    assert b"PNG" not in stored and b"IHDR" not in stored
    assert crypto.decrypt_bytes(stored) == clear
    assert evidence.file.name.endswith(".enc")


def test_the_scoped_view_serves_the_clear_file(trainee_client, officer_client, person):
    claim = claim_of(person)
    evidence = claim.evidence.get()
    url = reverse("credits:evidence_file", args=[claim.pk, evidence.pk])
    for client in (trainee_client, officer_client):
        response = client.get(url)
        assert response.status_code == 200
        assert response.content == png().read()
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith(
            f"inline; filename=\"evidence-{evidence.pk}.png\"; filename*=UTF-8''"
        )


def test_someone_else_gets_404_not_the_file(officer_client, other_person):
    claim = claim_of(other_person)
    url = reverse("credits:evidence_file", args=[claim.pk, claim.evidence.get().pk])
    assert officer_client.get(url).status_code == 404


def test_the_migration_encrypts_existing_clear_files_in_place(officer_client, person):
    claim = claim_of(person)
    evidence = claim.evidence.get()
    clear = png().read()
    path = evidence.file.path
    with open(path, "wb") as old:  # as stored before issue 12
        old.write(clear)
    migration.encrypt(apps, None)
    migration.encrypt(apps, None)  # running it again changes nothing
    with open(path, "rb") as now:
        stored = now.read()
    assert crypto.is_encrypted(stored) and crypto.decrypt_bytes(stored) == clear
    response = officer_client.get(reverse("credits:evidence_file", args=[claim.pk, evidence.pk]))
    assert response.content == clear
    migration.decrypt(apps, None)  # and it can be reversed
    with open(path, "rb") as back:
        assert back.read() == clear


def test_rotation_re_encrypts_under_the_new_key(settings, person):
    evidence = claim_of(person).evidence.get()
    old_keys = list(settings.PII_ENCRYPTION_KEYS)
    new_key = Fernet.generate_key().decode()
    settings.PII_ENCRYPTION_KEYS = [new_key, *old_keys]
    call_command("pii_rotate", stdout=io.StringIO())
    settings.PII_ENCRYPTION_KEYS = [new_key]  # the old key is gone
    person.refresh_from_db()
    assert crypto.decrypt_bytes(_stored(evidence)) == png().read()
    assert len(person.reveal_id_number()) == 18
