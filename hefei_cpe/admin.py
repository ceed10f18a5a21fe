from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    """The Django admin is for city officers only (User.is_staff is true for them alone)."""

    site_header = _("Hefei continuing education hours: administration")
    site_title = _("Hefei continuing education hours")
    index_title = _("City officer administration")
    enable_nav_sidebar = False

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        # One login page for the whole portal; a signed-in non-city user is simply refused.
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next", "/admin/"))
