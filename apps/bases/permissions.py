"""Who may do what to a training base: pure functions of a scope."""

from __future__ import annotations

from typing import Any

from apps.accounts.scope import ALLOWED, Scope, Verdict, deny, rule


@rule("bases.manage")
def may_manage_bases(scope: Scope, base: Any = None) -> Verdict:
    """The city keeps the list of city-level bases: it deactivates and reactivates them."""
    if not scope.whole_city:
        return deny("Only the city manages the training bases.")
    return ALLOWED
