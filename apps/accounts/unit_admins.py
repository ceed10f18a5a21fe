"""A unit's administrators (用人单位管理员, DESIGN §2): the district officer opens the login and
hands over a one-time activation code, as for professionals; the administrator sets a password
with it. The officer can suspend the login (its claims then go straight to the office again)
and issue a new code to reset the password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from apps.accounts.models import ActivationCode, Role, User
from apps.accounts.permissions import may_manage_unit_admins
from apps.accounts.scope import require
from apps.accounts.services import (
    ACTIVATION_CODE_DAYS,
    ACTIVATION_HOLD_MINUTES,
    ACTIVATION_MAX_FAILURES,
    _hash_code,
    _new_code,
)
from apps.people.models import Unit


@dataclass(frozen=True)
class IssuedLoginCode:
    account: User
    code: str
    expires_at: datetime


def unit_admins_of(*, unit: Unit) -> list[User]:
    return list(User.objects.filter(role=Role.UNIT_ADMIN, unit=unit).order_by("username"))


@transaction.atomic
def unit_admin_code_issue(*, officer: User, account: User) -> IssuedLoginCode:
    """A fresh one-time code for the login (revoking any open one); shown once, never stored."""
    if account.unit is None:  # only a unit administrator acts for a unit (check constraint)
        raise ValidationError(_("Codes are issued here for unit administrators only."))
    require(may_manage_unit_admins(officer.scope, account.unit), PermissionError)
    now = timezone.now()
    ActivationCode.objects.filter(
        account=account, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    code = _new_code()
    expires_at = now + timedelta(days=ACTIVATION_CODE_DAYS)
    ActivationCode.objects.create(
        account=account,
        code_hash=_hash_code(code),
        issued_by=officer,
        issued_at=now,
        expires_at=expires_at,
    )
    return IssuedLoginCode(account=account, code=code, expires_at=expires_at)


@transaction.atomic
def unit_admin_create(
    *, officer: User, unit: Unit, username: str, full_name: str, phone: str = ""
) -> IssuedLoginCode:
    """Opens a unit administrator's login (no password until activated) and issues its code."""
    require(may_manage_unit_admins(officer.scope, unit), PermissionError)
    full_name = full_name.strip()
    if not full_name:
        raise ValidationError({"full_name": _("Give the administrator's full name.")})
    account = User(
        username=username,
        full_name=full_name[:50],
        role=Role.UNIT_ADMIN,
        unit=unit,
        phone=phone.strip()[:30],
    )
    account.set_unusable_password()
    account.full_clean(exclude=["password"])  # normalises and checks the login name
    if User.objects.filter(username=account.username).exists():
        raise ValidationError({"username": _("This login name is taken.")})
    account.save()
    return unit_admin_code_issue(officer=officer, account=account)


def unit_admin_suspend(*, officer: User, account: User, active: bool) -> User:
    """Suspends (or restores) the login; a suspended administrator cannot sign in, and the
    unit's new claims go straight to the office."""
    if account.unit is None:  # only a unit administrator acts for a unit (check constraint)
        raise ValidationError(_("Only unit administrators are suspended here."))
    require(may_manage_unit_admins(officer.scope, account.unit), PermissionError)
    account.is_active = active
    account.save(update_fields=["is_active"])
    return account


def _login_activation_error() -> ValidationError:
    return ValidationError(
        _(
            "The login name and activation code do not match an open activation code. Check "
            "both, or ask your district office for a new code. After %(failures)d wrong codes "
            "in a row a code is paused for %(minutes)d minutes."
        )
        % {"failures": ACTIVATION_MAX_FAILURES, "minutes": ACTIVATION_HOLD_MINUTES},
        code="invalid_activation",
    )


def login_activate(*, username: str, code: str, password: str) -> User:
    """A unit administrator sets their password with the one-time code (as a professional
    does with their ID number). Suspended logins cannot be activated."""
    account = User.objects.filter(
        role=Role.UNIT_ADMIN, username=username.strip().lower(), is_active=True
    ).first()
    if account is None:
        raise _login_activation_error()
    now = timezone.now()
    open_codes = ActivationCode.objects.filter(
        account=account, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    )
    activation = open_codes.first()
    if activation is None or (activation.held_until is not None and activation.held_until > now):
        raise _login_activation_error()
    if not constant_time_compare(activation.code_hash, _hash_code(code)):
        failures = activation.failed_attempts + 1
        held = failures >= ACTIVATION_MAX_FAILURES
        open_codes.filter(pk=activation.pk).update(
            failed_attempts=0 if held else failures,
            held_until=now + timedelta(minutes=ACTIVATION_HOLD_MINUTES) if held else None,
        )
        raise _login_activation_error()
    try:
        validate_password(password, account)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    with transaction.atomic():
        if not open_codes.filter(pk=activation.pk).update(used_at=now):
            raise _login_activation_error()
        account.set_password(password)
        account.save(update_fields=["password"])
    return account
