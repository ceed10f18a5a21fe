"""Who may do what with the public course: pure functions of a scope."""

from __future__ import annotations

from typing import Any

from apps.accounts.scope import ALLOWED, Scope, Verdict, deny, rule


@rule("publiccourse.manage")
def may_manage(scope: Scope, topic: Any = None) -> Verdict:
    """The city enters the topics and imports the results of the whole city; district
    officers read the topics with the counts of their own jurisdiction."""
    if not scope.whole_city:
        return deny("Only the city enters topics and imports results.")
    return ALLOWED
