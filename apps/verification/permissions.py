"""Who may do what to a verification: pure functions of a scope and the object.

Views, services and templates (`{% can "verification.revoke" v as may_revoke %}`) ask these,
so a button shows exactly when its service would accept the action."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from apps.accounts.scope import ALLOWED, Scope, Verdict, deny, rule
from apps.verification.models import Verification

REVOCABLE = (Verification.Status.VALID, Verification.Status.AWAITING_REVIEW)


@rule("verification.issue")
def may_issue(scope: Scope, person: Any = None) -> Verdict:
    """The officer of the person's jurisdiction (a district or a city department) verifies;
    without a person: whether this user verifies anyone at all. Reads `person.unit`."""
    if scope.jurisdiction_id is None:
        return deny(_("Only the officer of the person's jurisdiction verifies hours."))
    if person is not None and person.unit.jurisdiction_id != scope.jurisdiction_id:
        return deny(_("This professional is not of your jurisdiction."))
    return ALLOWED


def _rereview(scope: Scope, verification: Verification | None, wrong_status: str) -> Verdict:
    if not scope.whole_city:
        return deny(_("Only the city re-reviews senior verifications."))
    if verification is not None and verification.status != Verification.Status.AWAITING_REVIEW:
        return deny(wrong_status)
    return ALLOWED


@rule("verification.confirm")
def may_confirm(scope: Scope, verification: Verification | None = None) -> Verdict:
    return _rereview(
        scope, verification, _("Only a verification awaiting re-review can be confirmed.")
    )


@rule("verification.return")
def may_return(scope: Scope, verification: Verification | None = None) -> Verdict:
    return _rereview(
        scope, verification, _("Only a verification awaiting re-review can be returned.")
    )


@rule("verification.revoke")
def may_revoke(scope: Scope, verification: Verification) -> Verdict:
    """The issuing office or the city, while the verification stands."""
    if not (scope.is_officer and scope.covers_jurisdiction(verification.jurisdiction_id)):
        return deny(_("Only the issuing office or the city may revoke a verification."))
    if verification.status not in REVOCABLE:
        return deny(_("Only a valid verification or one awaiting re-review can be revoked."))
    return ALLOWED


@rule("verification.correct_title_year")
def may_correct_title_year(scope: Scope, person: Any = None) -> Verdict:
    """The officer who verifies the person mends their title year (and so the cycle)."""
    return may_issue(scope, person)


@rule("verification.backfill")
def may_backfill(scope: Scope, person: Any = None) -> Verdict:
    """Paper-booklet totals are entered by the officer of the person's jurisdiction."""
    return may_issue(scope, person)


@rule("verification.set_cycle")
def may_set_cycle(scope: Scope, _object: Any = None) -> Verdict:
    if not scope.whole_city:
        return deny(_("Only the city sets the tenure cycle."))
    return ALLOWED


@rule("verification.check_unlimited")
def may_check_unlimited(scope: Scope, _object: Any = None) -> Verdict:
    """Signed-in officers check any number of codes (an HR office checks a season's
    applicants); everyone else is rate limited per client address."""
    if not scope.is_officer:
        return deny(_("The public check is limited per client address."))
    return ALLOWED
