"""The database itself keeps an issued verification as it was issued."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from apps.accounts.models import Role
from apps.verification.models import Verification
from apps.verification.services import verification_issue
from tests.dbowner import owner_credentials
from tests.verification.support import give_ledger


@pytest.fixture
def issued(personas, person):
    give_ledger(person, range(2020, 2025))
    return verification_issue(
        officer=personas[Role.DISTRICT_OFFICER],
        person=person,
        application_year=2025,
        title_applied="高级教师",
        title_level="associate_senior",
        opinion="经核对，任职周期内各年度学时情况属实。",
        base_url="https://jxjy.example.cn",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("total_hours", Decimal("999.0")),
        ("years", []),
        ("officer_name", "别人"),
        ("officer_org", "别的单位"),
        ("pdf_sha256", "0" * 64),
        ("code", "0" * 16),
        ("cycle_start", 2019),
    ],
)
def test_it_refuses_to_change_a_frozen_column(issued, field, value):
    with pytest.raises(DatabaseError), transaction.atomic():
        Verification.objects.filter(pk=issued.pk).update(**{field: value})
    assert getattr(Verification.objects.get(pk=issued.pk), field) == getattr(issued, field)


def test_it_refuses_a_whole_row_save_that_changes_the_hours(issued):
    issued.total_hours = Decimal("1.0")
    with pytest.raises(DatabaseError), transaction.atomic():
        issued.save()


def test_it_lets_the_status_move(issued):
    Verification.objects.filter(pk=issued.pk).update(status=Verification.Status.VALID)
    assert Verification.objects.get(pk=issued.pk).status == Verification.Status.VALID


def test_it_lets_a_save_pass_when_frozen_columns_are_unchanged(issued):
    issued.return_reason = "材料不全"
    issued.status = Verification.Status.RETURNED
    issued.save()


def test_it_refuses_to_delete(issued):
    with pytest.raises(DatabaseError), transaction.atomic():
        Verification.objects.filter(pk=issued.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM verification_verification")
    assert Verification.objects.filter(pk=issued.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_it_refuses_to_truncate(issued):
    with connection.cursor() as cursor:  # the test's own inserts leave deferred FK checks
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cur:
        cur.execute("TRUNCATE verification_verification CASCADE")
    # The owner meets the trigger; the portal's role (CI) is not even granted TRUNCATE.
    assert ("permission denied" if owner_credentials() else "frozen") in str(caught.value)


def test_it_keeps_the_re_review_pdf_once_set(personas, issued):
    from apps.verification.services import verification_confirm

    verification_confirm(
        verification=issued, officer=personas[Role.CITY_OFFICER], base_url="https://x.cn"
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        Verification.objects.filter(pk=issued.pk).update(reviewed_pdf="verifications/other.pdf")
    with pytest.raises(DatabaseError), transaction.atomic():
        Verification.objects.filter(pk=issued.pk).update(reviewed_pdf_sha256="0" * 64)
