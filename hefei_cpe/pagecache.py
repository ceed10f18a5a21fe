"""Whole signed-in pages kept in the cache, with the request's own part put back on each hit.

A page whose content is already cached by its own key (a ledger's entries version, a
dashboard's summaries version) still costs a template rendering of the page around it on
every request: the header with the user's name and organisation, the menu, the breadcrumb
trail, the sign-out form. `page_cached` keeps the whole HTML, keyed on

- the page's own key (what its content depends on, given by the view),
- everything base.html shows of the request: the user (id, name, role, organisation), the
  page's address with its query string, the URL name (the menu's current item), the
  language,
- a digest of the code that renders pages (every template, Python module and the static
  files' manifest, read once per process), so a deployment never serves an old page,

and on a hit puts a fresh CSRF token where the rendered page had its own (the sign-out form
and any other form: Django masks the token anew for every response, which the cached copy
cannot do).

A page whose content changes often but whose surroundings do not (a dashboard: its figures
change with every refresh of the summaries, its header, menu and filter form do not) is
built by `page_in_frame` from a frame kept the same way under a key without the content's
version, and an inside rendered on every call: the first request after a refresh renders the
figures only. A page is not cached, and is rendered as usual, for anything but a GET, when the
request has messages to show, when the response is not a 200 HTML page, when the view said
so (`not_cached`), when `PAGE_CACHE_SECONDS` is 0, or in development (DEBUG: templates change
under a running server).

The cache is Django's (Redis in production, shared by the web nodes; local memory
otherwise). Pages hold personal data as the ledger content cache already does; the Redis
server is the portal's own, on its private network (README, production).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# The hidden input of Django's {% csrf_token %}: its value is the only part of a rendered page
# that differs between two requests with the same key.
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]{64})(")')
_SLOT = "\x00csrf-token\x00"  # never in HTML output: templates escape nothing into NUL
# Where a frame's template shows the inside (`page_in_frame`): NUL again, never in escaped text.
INSIDE: SafeString = mark_safe("\x00frame-inside\x00")


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the templates and Python code of the project, and of the static files'
    manifest (the hashed names base.html links to): worked out once per process."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder in ("apps", "templates", "hefei_cpe"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in (".py", ".html", ".txt", ".mo") and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    digest.update(str(getattr(staticfiles_storage, "manifest_hash", "")).encode())
    return digest.hexdigest()[:16]


def not_cached(response: HttpResponse) -> HttpResponse:
    """Marks a page `page_cached` must not keep (e.g. one answering a query string that names
    nothing: arbitrary addresses must not fill the cache)."""
    response._page_not_cached = True  # type: ignore[attr-defined]
    return response


def _request_key(request: HttpRequest) -> tuple[object, ...]:
    """What base.html and the context processors show of this request and its user."""
    user = request.user
    match = request.resolver_match
    return (
        user.pk,
        getattr(user, "role", ""),
        getattr(user, "full_name", ""),
        getattr(user, "organisation_name", ""),
        match.view_name if match else "",
        request.get_full_path(),
        get_language(),
    )


def _has_messages(request: HttpRequest) -> bool:
    return bool(len(get_messages(request)))


def _cacheable(request: HttpRequest) -> bool:
    # Not in development (DEBUG), where templates change under a running server.
    return (
        bool(settings.PAGE_CACHE_SECONDS)
        and not settings.DEBUG
        and request.method == "GET"
        and not _has_messages(request)
    )


def _keepable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies  # a page that sets its own cookie is not the same for all
        and not getattr(response, "_page_not_cached", False)
    )


def _name(kind: str, request: HttpRequest, key: Sequence[object]) -> str:
    digest = hashlib.sha256(repr((code_version(), tuple(key), _request_key(request))).encode())
    return f"{kind}:{digest.hexdigest()}"


def page_cached(
    request: HttpRequest, key: Sequence[object], render: Callable[[], HttpResponse]
) -> HttpResponse:
    """The page `render()` gives, from the cache when an identical request (same `key`, same
    user and address, same code) rendered it before."""
    if not _cacheable(request):
        return render()
    name = _name("page", request, key)
    html = cache.get(name)
    if html is not None:
        return HttpResponse(html.replace(_SLOT, get_token(request)))
    response = render()
    if _keepable(response):
        cache.set(
            name,
            _TOKEN.sub(rf"\g<1>{_SLOT}\g<3>", response.content.decode()),
            settings.PAGE_CACHE_SECONDS,
        )
    return response


def page_in_frame(
    request: HttpRequest,
    key: Sequence[object],
    render_frame: Callable[[SafeString], HttpResponse],
    render_inside: Callable[[], str],
) -> HttpResponse:
    """The page `render_frame(inside)` gives, where `inside` is `render_inside()`'s HTML. The
    frame, what `render_frame(INSIDE)` gives, is kept in the cache under `key` (what the frame
    shows besides the request: never the inside's own version) and the request, as
    `page_cached` keeps pages: a request whose frame is kept renders the inside only.

    The inside must not show anything of the request (user, address, CSRF token) that `key`
    and the request's key do not name, and must be rendered whatever the frame: a page that
    cannot be kept (not a GET, messages, not a 200) is rendered whole."""
    if not _cacheable(request):
        return render_frame(mark_safe(render_inside()))  # noqa: S308 (rendered HTML)
    name = _name("frame", request, key)
    frame = cache.get(name)
    if frame is None:
        response = render_frame(INSIDE)
        html = response.content.decode() if not response.streaming else ""
        if not _keepable(response) or html.count(INSIDE) != 1:
            return render_frame(mark_safe(render_inside()))  # noqa: S308 (rendered HTML)
        frame = _TOKEN.sub(rf"\g<1>{_SLOT}\g<3>", html)
        cache.set(name, frame, settings.PAGE_CACHE_SECONDS)
    head, tail = frame.split(INSIDE)
    token = get_token(request)
    return HttpResponse(head.replace(_SLOT, token) + render_inside() + tail.replace(_SLOT, token))
