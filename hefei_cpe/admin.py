from __future__ import annotations

from functools import update_wrapper
from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Screen-reader headings of Django 5.2's admin that its zh_Hans catalogue lacks.
ADMIN_MESSAGES = [
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
]


class PortalAdminSite(admin.AdminSite):
    """The Django admin is for city officers only (User.is_staff is true for them alone).

    Anonymous visitors go to the portal's one login page; any other signed-in role gets 403.
    """

    site_header = _("Hefei continuing education hours: administration")
    site_title = _("Hefei continuing education hours")
    index_title = _("City officer administration")
    enable_nav_sidebar = False

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not self.has_permission(request):
                if request.user.is_authenticated:
                    raise PermissionDenied
                return redirect_to_login(request.get_full_path())
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def get_urls(self) -> list[Any]:
        urls = super().get_urls()
        for pattern in urls:
            # Django points anonymous visitors of the index at the admin's own login page;
            # the portal has one login page for everybody.
            callback = getattr(pattern, "callback", None)
            if callback is not None and hasattr(callback, "login_url"):
                delattr(callback, "login_url")
        return urls

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next", "/admin/"))


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that are evidence (access logs, issued codes): look, never touch."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
