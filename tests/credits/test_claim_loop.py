"""The claim's way (DESIGN §3.4): unit screening when the unit has an administrator, the
office's decision, the correction loop, the receipt number, the history and bulk approval."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.accounts.models import Role
from apps.credits.claims import (
    claim_approve,
    claim_forward,
    claim_resubmit,
    claim_return,
    claim_submit,
    claim_withdraw,
    claims_approve_bulk,
)
from apps.credits.evidence import evidence_check
from apps.credits.models import Claim, ClaimStep, LedgerEntry
from tests.credits.helpers import png
from tests.factories import make_person, make_user

PAPER = {"journal": "national", "chars": 3000, "indexed": False, "paper_id": "p1"}


def submit(person, *, attested=True, paper_id="p1", files=None):
    return claim_submit(
        person=person,
        kind="paper",
        year=2025,
        params={**PAPER, "paper_id": paper_id},
        title="小学数学作业设计研究",
        description="",
        files=evidence_check(files or [png()]),
        attested=attested,
        today_year=2026,
    )


@pytest.fixture
def officer(shushan):
    return make_user(Role.DISTRICT_OFFICER, jurisdiction=shushan)


@pytest.fixture
def unit_admin(person):
    return make_user(Role.UNIT_ADMIN, unit=person.unit)


def _actions(claim):
    return list(claim.steps.order_by("at", "id").values_list("action", flat=True))


def test_it_refuses_a_claim_not_confirmed_true_and_writes_nothing(person):
    with pytest.raises(ValidationError) as caught:
        submit(person, attested=False)
    assert "本人承诺信息属实" in str(caught.value.message_dict["attested"])
    assert not Claim.objects.exists()


def test_it_gives_a_receipt_number_and_records_the_submission(person):
    claim = submit(person)
    assert re.fullmatch(rf"SB\d{{4}}-{claim.pk:06d}", claim.receipt_no)
    assert claim.attested_at is not None
    assert _actions(claim) == ["submitted"]


def test_without_an_administrator_the_claim_goes_straight_to_the_office(person, officer):
    claim = submit(person)
    assert claim.status == Claim.Status.PENDING and claim.office == person.unit.jurisdiction
    assert claim_approve(claim=claim, officer=officer, opinion="").status == "approved"


def test_a_suspended_administrator_does_not_hold_claims(person, unit_admin):
    unit_admin.is_active = False
    unit_admin.save()
    assert submit(person).status == Claim.Status.PENDING


def test_the_unit_screens_first_then_the_office_approves(person, unit_admin, officer):
    claim = submit(person)
    assert claim.status == Claim.Status.SCREENING
    with pytest.raises(ValidationError):
        claim_approve(claim=claim, officer=officer, opinion="")
    claim = claim_forward(claim=claim, user=unit_admin, opinion="材料齐全")
    assert claim.status == Claim.Status.PENDING
    claim = claim_approve(claim=claim, officer=officer, opinion="同意")
    assert claim.entry.hours == Decimal("15.0")
    steps = list(claim.steps.order_by("at", "id"))
    assert [s.action for s in steps] == ["submitted", "forwarded", "approved"]
    assert steps[1].actor == unit_admin and steps[1].actor_org == person.unit.name
    assert steps[1].opinion == "材料齐全" and steps[2].actor_name == officer.full_name


def test_another_units_administrator_cannot_screen(person, unit_admin, shushan):
    other_unit = make_person().unit
    stranger = make_user(Role.UNIT_ADMIN, unit=other_unit)
    claim = submit(person)
    with pytest.raises(ValidationError):
        claim_forward(claim=claim, user=stranger)
    with pytest.raises(ValidationError):
        claim_return(claim=claim, user=stranger, opinion="x")


def test_a_returned_claim_is_corrected_and_goes_round_again(person, unit_admin, officer):
    claim = claim_forward(claim=submit(person), user=unit_admin)
    with pytest.raises(ValidationError) as caught:
        claim_return(claim=claim, user=officer, opinion="  ")
    assert "opinion" in caught.value.message_dict
    claim = claim_return(claim=claim, user=officer, opinion="请补充期刊封面")
    assert claim.status == Claim.Status.RETURNED
    with pytest.raises(ValidationError):
        claim_approve(claim=claim, officer=officer, opinion="")
    # Bad corrections write nothing.
    with pytest.raises(ValidationError):
        claim_resubmit(
            claim=claim,
            person=person,
            params={**PAPER, "chars": -1},
            title="x",
            description="",
            files=[],
            attested=True,
            today_year=2026,
        )
    claim.refresh_from_db()
    assert claim.status == Claim.Status.RETURNED
    claim = claim_resubmit(
        claim=claim,
        person=person,
        params={**PAPER, "chars": 5000},
        title="小学数学作业设计研究（修订）",
        description="已补充封面",
        files=evidence_check([png("封面.png")]),
        attested=True,
        today_year=2026,
    )
    # Round again: the unit screens it first, with the same receipt number.
    assert claim.status == Claim.Status.SCREENING
    assert claim.evidence.count() == 2
    claim = claim_forward(claim=claim, user=unit_admin)
    claim = claim_approve(claim=claim, officer=officer, opinion="")
    assert _actions(claim) == [
        "submitted",
        "forwarded",
        "returned",
        "resubmitted",
        "forwarded",
        "approved",
    ]
    assert LedgerEntry.objects.count() == 1


def test_the_unit_may_return_a_claim_and_only_the_claimant_resubmits(
    person, other_person, unit_admin
):
    claim = claim_return(claim=submit(person), user=unit_admin, opinion="单位名称不符")
    step = claim.steps.get(action=ClaimStep.Action.RETURNED)
    assert step.opinion == "单位名称不符" and step.actor == unit_admin
    with pytest.raises(Claim.DoesNotExist):
        claim_resubmit(
            claim=claim,
            person=other_person,
            params=PAPER,
            title="x",
            description="",
            files=[],
            attested=True,
        )
    assert claim_withdraw(claim=claim, person=person).status == Claim.Status.WITHDRAWN
    assert _actions(claim)[-1] == "withdrawn"


def test_bulk_approval_credits_each_once_and_lists_failures(
    person, officer, baohe, other_person, django_assert_max_num_queries
):
    claims = [submit(person, paper_id=f"p{i}") for i in range(3)]
    claim_return(claim=claims[2], user=officer, opinion="补材料")
    foreign = submit(other_person)
    ids = [c.pk for c in claims] + [foreign.pk, claims[0].pk]
    outcome = claims_approve_bulk(claim_ids=ids, officer=officer, opinion="同意")
    assert sorted(c.pk for c in outcome.approved) == [claims[0].pk, claims[1].pk]
    failed = dict(outcome.failed)
    # named by the receipt number the professional was given; a claim outside the officer's
    # jurisdiction only by the id that was sent
    assert set(failed) == {claims[2].receipt_no, str(foreign.pk)}
    assert "退回" in failed[claims[2].receipt_no]
    assert LedgerEntry.objects.count() == 2
    again = claims_approve_bulk(claim_ids=[claims[0].pk], officer=officer, opinion="")
    assert not again.approved and LedgerEntry.objects.count() == 2


def test_the_migration_gives_old_claims_an_office_a_receipt_and_their_history(person, officer):
    """credits 0007 on claims made before the flow: run on the live models, which have the
    same fields as the migration's historical ones."""
    import importlib

    from django.apps import apps

    backfill = importlib.import_module(
        "apps.credits.migrations.0007_claim_history_backfill"
    ).backfill
    approved = claim_approve(claim=submit(person), officer=officer, opinion="同意")
    pending = submit(person, paper_id="p2")
    ClaimStep.objects.all().delete()
    Claim.objects.update(office=None, receipt_no=None)
    backfill(apps, None)
    approved.refresh_from_db()
    pending.refresh_from_db()
    assert approved.office == person.unit.jurisdiction
    assert approved.receipt_no == f"SB{approved.submitted_at.year}-{approved.pk:06d}"
    assert _actions(approved) == ["submitted", "approved"]
    step = approved.steps.get(action="approved")
    assert step.actor == officer and step.opinion == "同意" and step.at == approved.reviewed_at
    assert _actions(pending) == ["submitted"]
