"""Sign-in: professionals by resident ID number, staff by login name."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from apps.accounts.models import Role, User
from apps.people import crypto, idnumber
from hefei_cpe.compiled import CompiledQuery


def resolve_login(identifier: str) -> User | None:
    """The account a login identifier names, or None. ID numbers only reach trainee accounts,
    login names only staff accounts."""
    try:
        resident_id = idnumber.parse(identifier)
    except ValidationError:
        resident_id = None
    users = User.objects.select_related("person")
    if resident_id is not None:
        return users.filter(
            role=Role.TRAINEE, person__id_number_hash=crypto.keyed_hash(resident_id.number)
        ).first()
    return users.exclude(role=Role.TRAINEE).filter(username=identifier.strip().lower()).first()


def lockout_key(identifier: str) -> str:
    """What django-axes counts failures against: the account, never a clear ID number."""
    try:
        return "id:" + crypto.keyed_hash(idnumber.parse(identifier).number)[:32]
    except ValidationError:
        return identifier.strip().lower()[:150]


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    return lockout_key(str((credentials or {}).get("username") or request.POST.get("username", "")))


class PortalBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        user = resolve_login(username)
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in user of a request (every request of a signed-in page asks): read by a
        query compiled once per process (hefei_cpe.compiled) instead of the ORM's `get`."""
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = _USER_BY_ID.get(None, pk=pk)
        return user if user is not None and self.user_can_authenticate(user) else None


_USER_BY_ID: CompiledQuery[User] = CompiledQuery(lambda _shape, pk: User.objects.filter(pk=pk))
