"""Download file names: Chinese names in the Content-Disposition header (RFC 6266 with RFC 5987's
``filename*``), with a plain ASCII ``filename`` for clients that cannot read the other.

Every view that names a download uses :func:`content_disposition`; Django's FileResponse (the jobs'
results) already writes the same two parameters for a non-ASCII name.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

# Characters no file system or header should carry in a name.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def download_name(name: str) -> str:
    """The name without path separators, quotes, control characters or doubled spaces."""
    cleaned = _UNSAFE.sub("-", unicodedata.normalize("NFC", name)).strip(" .-")
    return re.sub(r"\s+", " ", cleaned) or "download"


def content_disposition(name: str, *, fallback: str, inline: bool = False) -> str:
    """The header value naming a download ``name`` (any language).

    ``fallback`` is the ASCII name an old client shows instead, e.g. ``booklet-91.pdf``.
    """
    name = download_name(name)
    ascii_name = download_name(fallback).encode("ascii", "ignore").decode() or "download"
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
