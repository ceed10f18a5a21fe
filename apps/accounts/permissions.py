"""Who may do what with accounts: pure functions of a scope (apps.accounts.scope)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from apps.accounts.scope import ALLOWED, Scope, Verdict, deny, rule


@rule("accounts.activation_codes_issue")
def may_issue_activation_codes(scope: Scope) -> Verdict:
    """Officers and unit administrators issue codes, for the people they may see (the
    service checks each)."""
    if not scope.is_officer and scope.unit_id is None:
        return deny("Only officers and unit administrators issue activation codes.")
    return ALLOWED


@rule("accounts.administer")
def may_administer(scope: Scope) -> Verdict:
    """The Django admin (units, logins, jurisdictions, the base list) is the city's tool."""
    if not scope.whole_city:
        return deny("The administration is the city bureau's.")
    return ALLOWED


@rule("accounts.unit_admins_manage")
def may_manage_unit_admins(scope: Scope, unit: Any = None) -> Verdict:
    """The officer of the unit's jurisdiction (and the city) opens, suspends and resets the
    logins of a unit's administrators. Without a unit: whether this user does that at all."""
    if not scope.is_officer:
        return deny(_("Only officers manage unit administrators."))
    if unit is not None and not scope.covers_jurisdiction(unit.jurisdiction_id):
        return deny(_("This unit is of another jurisdiction."))
    return ALLOWED
