"""The demo's unit administrator: `unit-hupo` for 蜀山区琥珀小学 (whose people include 张明),
with one claim of the school's people waiting for its screening (单位初审). Idempotent."""

from __future__ import annotations

from typing import Any

from apps.accounts.models import Role, User
from apps.credits.models import Claim
from apps.demo import DEMO_PASSWORD, DEMO_TRAINEE_ID
from apps.demo.credits import _claim
from apps.people import crypto
from apps.people.models import Person, Unit

UNIT_NAME = "蜀山区琥珀小学"
USERNAME = "unit-hupo"
CLAIM_TITLE = "蜀山区小学数学优质课评比观摩研讨会"


def load(*, stdout: Any) -> None:
    unit = Unit.objects.filter(name=UNIT_NAME, jurisdiction__code="shushan").first()
    if unit is None:
        return
    admin = User.objects.filter(username=USERNAME).first()
    if admin is None:
        admin = User(
            username=USERNAME,
            full_name="琥珀小学 孙管理",
            role=Role.UNIT_ADMIN,
            unit=unit,
            phone="0551-65550101",
        )
        admin.set_password(DEMO_PASSWORD)
        admin.full_clean()
        admin.save()
    # A colleague of 张明 (his own ledger stays as the credits demo tells it).
    claimant = (
        Person.objects.filter(unit=unit)
        .exclude(id_number_hash=crypto.keyed_hash(DEMO_TRAINEE_ID))
        .order_by("pk")
        .first()
    )
    if claimant is None:
        return
    claim = _claim(
        claimant,
        "provincial_conference",
        2026,
        CLAIM_TITLE,
        paper_chars=0,
    )
    waiting = Claim.objects.filter(person__unit=unit, status=Claim.Status.SCREENING).count()
    stdout.write(
        f"单位管理员 {USERNAME}（{unit.name}）：待初审申报 {waiting} 条（{claim.receipt_no}）。"
    )
