"""Who may do what to a claim: pure functions of a scope and the claim, asked alike by views,
services and templates (`{% can "credits.claim_review" claim as may_review %}`).

A claim's way (DESIGN §3.4): the unit's administrator screens it first (status `screening`),
then the office recorded on it decides (`claim.office`: the person's jurisdiction, or the city
health authority for medical credits); either may return it to the professional for
correction, who resubmits it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.accounts.scope import ALLOWED, Scope, Verdict, deny, rule
from apps.credits.models import Claim

# Medical credits are stamped by the city health authority (notice: "申报人学习记录须经市级行政
# 主管部门盖章核定"), whatever the person's district: their claims go to its officers.
MEDICAL_KINDS = frozenset({"medical_credit"})
HEALTH_AUTHORITY_CODE = "city-health"


def _decides(scope: Scope, claim: Claim) -> bool:
    """An officer of the office the claim is routed to (the city answers for every office)."""
    office_id = claim.office_id or claim.person.unit.jurisdiction_id
    return scope.covers_jurisdiction(office_id)


@rule("credits.claim_review")
def may_review_claim(scope: Scope, claim: Claim | None = None) -> Verdict:
    """An officer of the claim's office, once the unit has screened it. Without a claim:
    whether this user reviews claims. Reads `claim.person.unit`: pass a claim fetched with
    them."""
    if not scope.is_officer:
        return deny(_("Only officers review claims."))
    if claim is None:
        return ALLOWED
    if not _decides(scope, claim):
        return deny(_("This claim is decided by another office."))
    if claim.status == Claim.Status.SCREENING:
        return deny(_("This claim awaits its unit's screening."))
    if claim.status != Claim.Status.PENDING:
        return deny(
            _("This claim has already been decided (%(status)s).")
            % {"status": claim.get_status_display()}
        )
    return ALLOWED


@rule("credits.claim_screen")
def may_screen_claim(scope: Scope, claim: Claim | None = None) -> Verdict:
    """The administrator of the claimant's unit, while the claim awaits screening (单位初审).
    Without a claim: whether this user screens claims."""
    if scope.unit_id is None:
        return deny(_("Only a unit's administrator screens its people's claims."))
    if claim is None:
        return ALLOWED
    if claim.person.unit_id != scope.unit_id:
        return deny(_("This claim is of another unit."))
    if claim.status != Claim.Status.SCREENING:
        return deny(
            _("This claim is not awaiting screening (%(status)s).")
            % {"status": claim.get_status_display()}
        )
    return ALLOWED


@rule("credits.claim_return")
def may_return_claim(scope: Scope, claim: Claim) -> Verdict:
    """Whoever has the claim in hand: the unit's administrator while screening, the office's
    officer while it awaits review."""
    if claim.status == Claim.Status.SCREENING:
        return may_screen_claim(scope, claim)
    return may_review_claim(scope, claim)


@rule("credits.claim_withdraw")
def may_withdraw_claim(scope: Scope, claim: Claim) -> Verdict:
    """The claimant, while it is still on its way."""
    if scope.person_id is None or claim.person_id != scope.person_id:
        return deny(_("Only the professional who made a claim can withdraw it."))
    if not claim.is_open:
        return deny(_("Only a claim awaiting review can be withdrawn."))
    return ALLOWED


@rule("credits.claim_resubmit")
def may_resubmit_claim(scope: Scope, claim: Claim) -> Verdict:
    """The claimant, once a reviewer has returned it for correction."""
    if scope.person_id is None or claim.person_id != scope.person_id:
        return deny(_("Only the professional who made a claim can correct it."))
    if claim.status != Claim.Status.RETURNED:
        return deny(_("Only a claim returned for correction can be corrected and resubmitted."))
    return ALLOWED
