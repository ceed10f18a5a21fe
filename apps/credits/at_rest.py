"""Rewriting stored evidence files in place: encrypting the clear files of before issue 12,
re-encrypting under the newest key after a rotation. Used by migration 0004 and by
`manage.py pii_rotate`; imports no models, so the migration can use it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import Storage

from apps.people import crypto


def rewrite(storage: Storage, name: str, change: Callable[[bytes], bytes | None]) -> bool:
    """Replaces the file `name` by change(content) unless that is None; True if rewritten.
    On a file system the new content replaces the old atomically (no half-written file)."""
    if not name or not storage.exists(name):
        return False
    with storage.open(name, "rb") as stored:
        new = change(stored.read())
    if new is None:
        return False
    try:
        path = storage.path(name)
    except NotImplementedError:  # remote storage: no rename, so delete and save
        storage.delete(name)
        storage.save(name, ContentFile(new))
        return True
    folder = os.path.dirname(path)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".rewrite-")
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
    return True


def encrypt_clear(content: bytes) -> bytes | None:
    return None if crypto.is_encrypted(content) else crypto.encrypt_bytes(content)


def decrypt_token(content: bytes) -> bytes | None:
    return crypto.decrypt_bytes(content) if crypto.is_encrypted(content) else None


def rotate_token(content: bytes) -> bytes | None:
    if not crypto.is_encrypted(content):
        return crypto.encrypt_bytes(content)
    return crypto.rotate_bytes(content)
