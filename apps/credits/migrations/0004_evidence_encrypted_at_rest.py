"""Encrypts the evidence files stored before issue 12 in place (Fernet, PII_ENCRYPTION_KEYS).
Files already encrypted are left alone, so the migration may be run again safely."""

from django.core.files.storage import default_storage
from django.db import migrations

from apps.credits import at_rest


def _each_file(apps, change):
    Evidence = apps.get_model("credits", "Evidence")
    for name in Evidence.objects.order_by("pk").values_list("file", flat=True).iterator():
        at_rest.rewrite(default_storage, name, change)


def encrypt(apps, schema_editor):
    _each_file(apps, at_rest.encrypt_clear)


def decrypt(apps, schema_editor):
    _each_file(apps, at_rest.decrypt_token)


class Migration(migrations.Migration):
    dependencies = [("credits", "0003_entry_occurred_on")]

    operations = [migrations.RunPython(encrypt, decrypt, elidable=False)]
