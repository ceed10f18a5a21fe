"""Response headers and error pages that protect personal data on every page (issue 12)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)


class PrivacyHeadersMiddleware:
    """No browser or proxy keeps a copy of a portal page: every response (person pages, ledgers,
    evidence, PDFs, exports, the public check page, and the sign-in forms with their CSRF
    tokens) is `Cache-Control: no-store, private`. One rule for all, so a new page that shows
    personal data cannot forget it. Static files are served by the web server, not here.

    `Permissions-Policy` switches off the browser features the portal never uses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        # A view's own weaker directives (max-age, public) must not survive beside no-store.
        for directive in ("public", "max-age", "s-maxage"):
            response.headers["Cache-Control"] = ", ".join(
                part
                for part in response.headers["Cache-Control"].split(", ")
                if part.split("=")[0] != directive
            )
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """A dropped database connection (server restarted, network cut, connection killed) gives
    the portal's own Chinese page, not a bare 500: every write runs in one transaction, so the
    interrupted one saved nothing and submitting again is safe. The page is rendered without
    the database (no context processors, no session)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "Database unavailable during %s %s", request.method, request.path, exc_info=exception
        )
        was_write = request.method not in ("GET", "HEAD", "OPTIONS")
        response = HttpResponse(
            render_to_string("database_unavailable.html", {"was_write": was_write}),
            status=503,
        )
        response["Retry-After"] = "30"
        return response
