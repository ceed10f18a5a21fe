"""After putting a new key first in PII_ENCRYPTION_KEYS: re-encrypt every ID number and every
evidence file under it, so the old key can then be removed."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.credits import at_rest
from apps.credits.models import Evidence
from apps.people import crypto
from apps.people.models import Person

BATCH = 1000


class Command(BaseCommand):
    help = "Re-encrypt ID numbers and claim evidence under the first key of PII_ENCRYPTION_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        people = 0
        last = 0
        while True:
            with transaction.atomic():
                batch = list(
                    Person.objects.select_for_update()
                    .filter(pk__gt=last)
                    .order_by("pk")
                    .only("pk", "id_number_encrypted")[:BATCH]
                )
                if not batch:
                    break
                for person in batch:
                    person.id_number_encrypted = crypto.rotate(person.id_number_encrypted)
                Person.objects.bulk_update(batch, ["id_number_encrypted"])
            people += len(batch)
            last = batch[-1].pk
        files = sum(
            at_rest.rewrite(default_storage, name, at_rest.rotate_token)
            for name in Evidence.objects.order_by("pk").values_list("file", flat=True).iterator()
        )
        self.stdout.write(f"Re-encrypted {people} ID numbers and {files} evidence files.")
