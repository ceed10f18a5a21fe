"""Who may do what to a claim: pure functions of a scope and the claim, asked alike by views,
services and templates (`{% can "credits.claim_review" claim as may_review %}`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.accounts.scope import ALLOWED, Scope, Verdict, deny, rule
from apps.credits.models import Claim

# Medical credits are reviewed by the city (DESIGN: "Medical credits need a city officer").
CITY_ONLY_KINDS = frozenset({"medical_credit"})


@rule("credits.claim_review")
def may_review_claim(scope: Scope, claim: Claim | None = None) -> Verdict:
    """An officer answering for the claimant's jurisdiction, while the claim is pending; the
    city alone for the city-only kinds. Without a claim: whether this user reviews claims.
    Reads `claim.person.unit`: pass a claim fetched with them."""
    if not scope.is_officer:
        return deny(_("Only officers review claims."))
    if claim is None:
        return ALLOWED
    if not scope.covers_jurisdiction(claim.person.unit.jurisdiction_id):
        return deny(_("This claim is of another jurisdiction."))
    if claim.status != Claim.Status.PENDING:
        return deny(
            _("This claim has already been decided (%(status)s).")
            % {"status": claim.get_status_display()}
        )
    if claim.kind in CITY_ONLY_KINDS and not scope.whole_city:
        return deny(_("Medical credits are reviewed by the city bureau."))
    return ALLOWED


@rule("credits.claim_review_city_kinds")
def may_review_city_kinds(scope: Scope) -> Verdict:
    """The city's queue opens on the kinds only it decides, and can widen to all claims."""
    if not scope.whole_city:
        return deny(_("Medical credits are reviewed by the city bureau."))
    return ALLOWED


@rule("credits.claim_withdraw")
def may_withdraw_claim(scope: Scope, claim: Claim) -> Verdict:
    """The claimant, while it is pending."""
    if scope.person_id is None or claim.person_id != scope.person_id:
        return deny(_("Only the professional who made a claim can withdraw it."))
    if claim.status != Claim.Status.PENDING:
        return deny(_("Only a claim awaiting review can be withdrawn."))
    return ALLOWED
