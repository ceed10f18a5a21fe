"""Migration 0005 gives verifications recorded before it an empty opinion (their pages say it
was not given) and leaves them frozen, the new column included; going back to 0004 puts the
guard of 0004 back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from apps.accounts.models import Role
from apps.verification.models import Verification
from tests.dbowner import as_owner
from tests.factories import make_person, make_user

BEFORE = ("verification", "0004_derived_cycle")
SET_OPINION = "UPDATE verification_verification SET opinion = %s WHERE id = %s"
SET_TOTAL_HOURS = "UPDATE verification_verification SET total_hours = %s WHERE id = %s"
SET_STATUS = "UPDATE verification_verification SET status = %s WHERE id = %s"


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _leaves() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _refused(sql: str, params: list) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


@pytest.mark.django_db(transaction=True)
def test_an_older_verification_gets_an_empty_opinion_and_stays_frozen():
    person = make_person(name="周敏")
    officer = make_user(Role.DISTRICT_OFFICER, jurisdiction=person.unit.jurisdiction)
    with as_owner():
        targets = [node for node in _leaves() if node[0] != "verification"] + [BEFORE]
        executor = _migrate(targets)
        Old = executor.loader.project_state(targets).apps.get_model("verification", "Verification")
        assert "opinion" not in {f.name for f in Old._meta.get_fields()}
        old = Old.objects.create(
            person_id=person.pk,
            person_name=person.name,
            id_number_masked=person.id_number_masked,
            unit_name=person.unit.name,
            title_applied="一级教师",
            title_level="intermediate",
            application_year=2025,
            cycle_start=2020,
            cycle_end=2024,
            total_hours=Decimal("450.0"),
            public_hours=Decimal("150.0"),
            professional_hours=Decimal("300.0"),
            years=[],
            compliant=False,
            refusal_reasons=["2022 年度：专业科目不足"],
            officer_id=officer.pk,
            officer_name=officer.full_name,
            officer_org=officer.organisation_name,
            jurisdiction_id=person.unit.jurisdiction_id,
            issued_at=timezone.now(),
            status="refused",
        )
        # The guard of 0004 holds before the migration.
        assert _refused(SET_TOTAL_HOURS, [1, old.pk])
        _migrate(_leaves())

        migrated = Verification.objects.get(pk=old.pk)
        assert migrated.opinion == ""
        assert migrated.refusal_reasons == ["2022 年度：专业科目不足"]
        # Frozen as before, the new column included: an opinion cannot be written in later.
        assert _refused(SET_OPINION, ["补写的意见", old.pk])
        assert _refused(SET_TOTAL_HOURS, [1, old.pk])
        assert Verification.objects.get(pk=old.pk).opinion == ""
        # Status moves still pass.
        assert not _refused(SET_STATUS, ["refused", old.pk])

        # Back to 0004: the column goes and the guard of 0004 is back.
        _migrate(targets)
        assert _refused(SET_TOTAL_HOURS, [1, old.pk])
        _migrate(_leaves())
