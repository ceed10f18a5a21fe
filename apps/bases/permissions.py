"""Who may do what to an organiser: pure functions of a scope."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from apps.accounts.scope import ALLOWED, Scope, Verdict, deny, rule


@rule("bases.manage")
def may_manage_organisers(scope: Scope, organiser: Any = None) -> Verdict:
    """The city keeps the list of organisers: the Attachment 1 bases and the industry
    authorities. It adds and corrects authorities, deactivates and reactivates any of them."""
    if not scope.whole_city:
        return deny(_("Only the city manages the organisers."))
    return ALLOWED


@rule("bases.staff_manage")
def may_manage_organiser_staff(scope: Scope, organiser: Any = None) -> Verdict:
    """The city opens, suspends and resets the staff logins (组织单位经办人) of every organiser.
    Without an organiser: whether this user does that at all."""
    if not scope.whole_city:
        return deny(_("Only the city manages the logins of the organisers' staff."))
    return ALLOWED


@rule("bases.staff_open")
def may_open_organiser_staff_login(scope: Scope, organiser: Any) -> Verdict:
    """A new staff login, for an active organiser only: a deactivated one files nothing."""
    verdict = may_manage_organiser_staff(scope, organiser)
    if not verdict:
        return verdict
    if not organiser.is_active:
        return deny(
            _("%(name)s is deactivated: it gets no new logins. Reactivate it first.")
            % {"name": organiser.name}
        )
    return ALLOWED
