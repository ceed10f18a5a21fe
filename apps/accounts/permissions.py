"""Who may do what with accounts: pure functions of a scope (apps.accounts.scope)."""

from __future__ import annotations

from apps.accounts.scope import ALLOWED, Scope, Verdict, deny, rule


@rule("accounts.activation_codes_issue")
def may_issue_activation_codes(scope: Scope) -> Verdict:
    """Officers issue codes, for the people they may see (the service checks each)."""
    if not scope.is_officer:
        return deny("Only officers issue activation codes.")
    return ALLOWED


@rule("accounts.administer")
def may_administer(scope: Scope) -> Verdict:
    """The Django admin (units, logins, jurisdictions, the base list) is the city's tool."""
    if not scope.whole_city:
        return deny("The administration is the city bureau's.")
    return ALLOWED
