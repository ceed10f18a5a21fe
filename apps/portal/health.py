"""`/healthz/`: what a load balancer asks a web node. No login, no session, no personal data."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse

from apps.accounts.access import public


@public
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when this node can reach its database, 503 when it cannot."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means: take this node out of rotation
        response = JsonResponse({"status": "unavailable"}, status=503)
    else:
        response = JsonResponse({"status": "ok"})
    response["Cache-Control"] = "no-store"
    return response
