"""Who may set the industries' yearly requirements: pure functions of a scope."""

from __future__ import annotations

from typing import Any

from apps.accounts.scope import ALLOWED, Scope, Verdict, deny, rule


@rule("requirements.manage")
def may_manage_requirements(scope: Scope, industry: Any = None) -> Verdict:
    """The city sets the requirement of each industry (notice §四)."""
    if not scope.whole_city:
        return deny("Only the city sets the industries' requirements.")
    return ALLOWED
