"""Default-deny access: every view states the roles it admits, here, in one visible place.

    @allow(Role.DISTRICT_OFFICER, Role.CITY_OFFICER)
    def person_detail(request, pk): ...

    @public                 # no login needed; says so explicitly
    def certificate_check(request): ...

`RoleAccessMiddleware` refuses (403) any view that states nothing, so a forgotten declaration
closes a page instead of opening it. Views of the Django admin are guarded by the admin site
itself (city officers only, see hefei_cpe.admin). Objects are then fetched through selectors
that scope by role and jurisdiction, so someone else's id gives 404.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from apps.accounts.models import Role, User

logger = logging.getLogger(__name__)

PUBLIC = "public"
ALL_ROLES = frozenset(Role.values)
OFFICERS = (Role.DISTRICT_OFFICER, Role.CITY_OFFICER)

View = Callable[..., HttpResponseBase]


class PortalRequest(HttpRequest):
    """The request a role-gated view receives: the middleware has made sure a user of one of
    its roles is signed in, so `user` is a portal User, never AnonymousUser."""

    user: User


def allow(*roles: str) -> Callable[[View], View]:
    """Admit signed-in users of these roles only."""
    unknown = set(roles) - ALL_ROLES
    if not roles or unknown:
        raise ValueError(f"allow() needs known roles, got {roles!r}")

    def decorate(view: View) -> View:
        view.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return view

    return decorate


def allow_all_roles(view: View) -> View:
    """Admit any signed-in user, whatever their role."""
    return allow(*ALL_ROLES)(view)


def public(view: View) -> View:
    """No login needed. Use for the login, activation and public check pages only."""
    view.allowed_roles = PUBLIC  # type: ignore[attr-defined]
    return login_not_required(view)


def access_intention(view: Any) -> frozenset[str] | str | None:
    return getattr(view, "allowed_roles", None)


def is_admin_view(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and "admin" in match.namespaces


class RoleAccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: View, view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if is_admin_view(request):
            return None  # the admin site checks has_permission() on every view
        roles = access_intention(view_func)
        if roles is None:
            logger.error("View %s states no access intention; refused.", view_func)
            raise PermissionDenied
        if roles == PUBLIC:
            return None
        user = request.user
        # LoginRequiredMiddleware has already sent anonymous visitors to the login page.
        if not isinstance(user, User) or user.role not in roles:
            raise PermissionDenied
        return None
