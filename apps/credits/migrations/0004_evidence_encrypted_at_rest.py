"""Encrypts the evidence files stored before issue 12 in place (Fernet, PII_ENCRYPTION_KEYS).
Files already encrypted are left alone, so the migration may be run again safely.

Self-contained (no live project code): the rewrite is a copy of apps.credits.at_rest as written
for issue 12."""

import os
import tempfile

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations

TOKEN_PREFIX = b"gAAAAA"  # every Fernet token starts so; no PDF, PNG or JPEG does


def _fernet():
    return MultiFernet([Fernet(key) for key in settings.PII_ENCRYPTION_KEYS])


def _rewrite(storage, name, change):
    if not name or not storage.exists(name):
        return
    with storage.open(name, "rb") as stored:
        new = change(stored.read())
    if new is None:
        return
    try:
        path = storage.path(name)
    except NotImplementedError:
        storage.delete(name)
        storage.save(name, ContentFile(new))
        return
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".rewrite-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(new)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _each_file(apps, change):
    Evidence = apps.get_model("credits", "Evidence")
    for name in Evidence.objects.order_by("pk").values_list("file", flat=True).iterator():
        _rewrite(default_storage, name, change)


def encrypt(apps, schema_editor):
    fernet = _fernet()
    _each_file(apps, lambda data: None if data.startswith(TOKEN_PREFIX) else fernet.encrypt(data))


def decrypt(apps, schema_editor):
    fernet = _fernet()
    _each_file(apps, lambda data: fernet.decrypt(data) if data.startswith(TOKEN_PREFIX) else None)


class Migration(migrations.Migration):
    dependencies = [("credits", "0003_entry_occurred_on")]

    operations = [migrations.RunPython(encrypt, decrypt, elidable=False)]
