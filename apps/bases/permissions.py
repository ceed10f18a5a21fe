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
