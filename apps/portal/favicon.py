"""`/favicon.ico`: browsers and crawlers ask for it whatever the page links; send them to the
portal's icon (static/favicon.svg) instead of a 404 in every log."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static

from apps.accounts.access import public


@public
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    response = HttpResponsePermanentRedirect(static("favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
