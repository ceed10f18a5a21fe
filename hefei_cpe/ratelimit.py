"""A small fixed-window counter in the Django cache, for pages that anyone can call (the public
verification check, account activation). Shared by every app: keep rate limits here."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    # Behind a reverse proxy, the proxy must set REMOTE_ADDR to the client's address (for
    # example gunicorn's --forwarded-allow-ips with a header-rewriting middleware); a header
    # the client can write itself is never trusted here.
    return request.META.get("REMOTE_ADDR") or "unknown"


def rate_limit_hit(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Counts one attempt for `key`; True while it is within `limit` per `window` seconds."""
    bucket = int(time.time() // window)
    cache_key = f"ratelimit:{scope}:{key}:{bucket}"
    if cache.add(cache_key, 1, timeout=window):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return count <= limit
