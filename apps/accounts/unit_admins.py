"""A unit's administrators (用人单位管理员, DESIGN §2): the district officer opens the login and
hands over a one-time activation code; the administrator sets a password with it. The officer
can suspend the login (its claims then go straight to the office again) and issue a new code
to reset the password. The flow is the staff-login flow of `apps.accounts.staff_logins`."""

from __future__ import annotations

from apps.accounts.models import User
from apps.accounts.staff_logins import (
    IssuedLoginCode,
    staff_login_activate,
    staff_login_code_issue,
    staff_login_open,
    staff_login_suspend,
    staff_logins_of,
)
from apps.people.models import Unit

__all__ = [
    "IssuedLoginCode",
    "login_activate",
    "unit_admin_code_issue",
    "unit_admin_create",
    "unit_admin_suspend",
    "unit_admins_of",
]

login_activate = staff_login_activate
unit_admin_code_issue = staff_login_code_issue
unit_admin_suspend = staff_login_suspend


def unit_admins_of(*, unit: Unit) -> list[User]:
    return staff_logins_of(unit=unit)


def unit_admin_create(
    *, officer: User, unit: Unit, username: str, full_name: str, phone: str = ""
) -> IssuedLoginCode:
    """Opens a unit administrator's login (no password until activated) and issues its code."""
    return staff_login_open(
        officer=officer, unit=unit, username=username, full_name=full_name, phone=phone
    )
