"""Staff logins opened by an office with a one-time activation code (DESIGN §2): a unit's
administrators (用人单位管理员, opened by the district officer) and an organiser's staff
(组织单位经办人, opened by the city officer). The login has no password until its holder sets
one with the code; the office can issue a new code (to reset the password) and suspend or
restore the login. Only a keyed hash of a code is stored; the clear code is shown once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import ActivationCode, Role, User
from apps.accounts.permissions import may_manage_unit_admins
from apps.accounts.scope import Verdict, require
from apps.accounts.services import (
    ACTIVATION_CODE_DAYS,
    ACTIVATION_HOLD_MINUTES,
    ACTIVATION_MAX_FAILURES,
    _hash_code,
    _new_code,
    activation_code_check,
)
from apps.bases.permissions import may_manage_organiser_staff, may_open_organiser_staff_login

# The roles whose logins are opened this way (and activated at “开通账号” with a login name).
STAFF_LOGIN_ROLES = (Role.UNIT_ADMIN, Role.ORGANISER_STAFF)


@dataclass(frozen=True)
class IssuedLoginCode:
    account: User
    code: str
    expires_at: datetime


def _may_manage(officer: User, *, unit: Any = None, organiser: Any = None) -> Verdict:
    """The rule of the party the login acts for: its unit's, or its organiser's."""
    if unit is not None:
        return may_manage_unit_admins(officer.scope, unit)
    return may_manage_organiser_staff(officer.scope, organiser)


def _require_manager(officer: User, account: User) -> None:
    # Only a unit administrator acts for a unit, only organiser staff for an organiser (the
    # check constraint user_acts_for_exactly_one_party): the party says what the login is.
    if account.unit_id is None and account.organiser_id is None:
        raise ValidationError(_("Codes are issued here for staff logins only."))
    require(_may_manage(officer, unit=account.unit, organiser=account.organiser), PermissionError)


def staff_logins_of(*, unit: Any = None, organiser: Any = None) -> list[User]:
    """The staff logins of one unit or one organiser, by login name."""
    if unit is not None:
        logins = User.objects.filter(role=Role.UNIT_ADMIN, unit=unit)
    else:
        logins = User.objects.filter(role=Role.ORGANISER_STAFF, organiser=organiser)
    return list(logins.order_by("username"))


@transaction.atomic
def staff_login_code_issue(*, officer: User, account: User) -> IssuedLoginCode:
    """A fresh one-time code for the login (revoking any open one); shown once, never stored."""
    _require_manager(officer, account)
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
def staff_login_open(
    *,
    officer: User,
    username: str,
    full_name: str,
    phone: str = "",
    unit: Any = None,
    organiser: Any = None,
) -> IssuedLoginCode:
    """Opens a staff login for a unit or an organiser (no password until activated) and issues
    its code. Every problem is raised at once, by field, and nothing is written."""
    if (unit is None) == (organiser is None):
        raise ValueError("a staff login acts for one unit or one organiser")
    require(_may_manage(officer, unit=unit, organiser=organiser), PermissionError)
    if organiser is not None:  # a deactivated organiser gets no new logins
        require(may_open_organiser_staff_login(officer.scope, organiser))
    role = Role.UNIT_ADMIN if unit is not None else Role.ORGANISER_STAFF
    account = User(
        username=(username or "").strip().lower(),
        full_name=" ".join((full_name or "").split())[:50],
        role=role,
        unit=unit,
        organiser=organiser,
        phone=(phone or "").strip()[:30],
    )
    account.set_unusable_password()
    errors: dict[str, list[str]] = {}
    if not account.full_name:
        errors["full_name"] = [_("Give the full name of the login's holder.")]
    try:
        # Normalises and checks the login name; uniqueness is checked below, in plain words.
        account.full_clean(exclude=["password", *errors], validate_unique=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if "username" not in errors and User.objects.filter(username=account.username).exists():
        errors["username"] = [_("This login name is taken.")]
    if errors:
        raise ValidationError(errors)
    account.save()
    return staff_login_code_issue(officer=officer, account=account)


def staff_login_suspend(*, officer: User, account: User, active: bool) -> User:
    """Suspends (or restores) the login; a suspended login cannot sign in or be activated."""
    _require_manager(officer, account)
    account.is_active = active
    account.save(update_fields=["is_active"])
    return account


def _login_activation_error() -> ValidationError:
    return ValidationError(
        _(
            "The login name and activation code do not match an open activation code. Check "
            "both, or ask the office that opened your login for a new code. After "
            "%(failures)d wrong codes in a row a code is paused for %(minutes)d minutes."
        )
        % {"failures": ACTIVATION_MAX_FAILURES, "minutes": ACTIVATION_HOLD_MINUTES},
        code="invalid_activation",
    )


def staff_login_activate(*, username: str, code: str, password: str) -> User:
    """The holder of a staff login sets their password with the one-time code (as a
    professional does with their ID number). Suspended logins cannot be activated."""
    account = User.objects.filter(
        role__in=STAFF_LOGIN_ROLES, username=username.strip().lower(), is_active=True
    ).first()
    if account is None:
        raise _login_activation_error()
    now = timezone.now()
    open_codes = ActivationCode.objects.filter(
        account=account, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    )
    activation = activation_code_check(open_codes, code, now=now, refuse=_login_activation_error)
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
