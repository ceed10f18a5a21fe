"""A small fixed-window counter in the Django cache, for pages that anyone can call (the public
verification check, account activation). Shared by every app: keep rate limits here."""

from __future__ import annotations

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _trusted(address: str, proxies: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for proxy in proxies:
        try:
            if ip in ipaddress.ip_network(proxy, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(request: HttpRequest) -> str:
    """The client's address for rate limits. `X-Forwarded-For` is read only when the request
    comes from one of settings.TRUSTED_PROXIES (addresses or networks of our own load
    balancers): then the right-most address not itself a trusted proxy is the client. A
    header from anyone else is ignored, so a client cannot reset its count by forging one."""
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = list(getattr(settings, "TRUSTED_PROXIES", []))
    if not proxies or not _trusted(remote, proxies):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a malformed hop: count against the proxy's own address
    return remote


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
