"""The portal's database role owns nothing: it cannot lift the guards of the ledger and of frozen
verifications. CI runs the whole suite connected as that role (DATABASE_OWNER_URL set)."""

from __future__ import annotations

import io
import os

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from apps.credits.models import LedgerEntry
from tests.dbowner import owner_credentials

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles are PostgreSQL's"
)

LEDGER = LedgerEntry._meta.db_table
VERIFICATIONS = "verification_verification"


@pytest.fixture
def portal_role(db):
    if owner_credentials() is None:
        # DATABASE_OWNER_URL set (as .ci/run sets it) yet naming the role the suite connects
        # as: CI would silently test the owner. Fail rather than skip.
        assert not os.environ.get("DATABASE_OWNER_URL"), (
            "DATABASE_OWNER_URL names the role DATABASE_URL connects as: the suite is not "
            "running as the portal role"
        )
        pytest.skip("connected as the owner: set DATABASE_OWNER_URL to run as the portal role")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


def _refused(statement: str) -> str:
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cur:
        cur.execute(statement)
    return str(caught.value)


@pytest.mark.parametrize("table", [LEDGER, VERIFICATIONS])
def test_the_portal_role_cannot_disable_the_triggers(portal_role, table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [table],
        )
        triggers = [name for (name,) in cursor.fetchall()]
    assert triggers, f"{table} has no guard triggers"
    for statement in (
        f"ALTER TABLE {table} DISABLE TRIGGER ALL",
        f"ALTER TABLE {table} DISABLE TRIGGER USER",
        *(f"ALTER TABLE {table} DISABLE TRIGGER {name}" for name in triggers),
        *(f"DROP TRIGGER {name} ON {table}" for name in triggers),
    ):
        assert "must be owner" in _refused(statement)


@pytest.mark.parametrize("table", [LEDGER, VERIFICATIONS])
def test_the_portal_role_cannot_truncate(portal_role, table):
    assert "permission denied" in _refused(f"TRUNCATE {table} CASCADE")


def test_the_portal_role_cannot_switch_triggers_off_for_its_session(portal_role):
    assert "permission denied" in _refused("SET session_replication_role = replica")


def test_the_portal_role_owns_nothing_and_is_no_superuser(portal_role):
    from hefei_cpe import dbroles

    with connection.cursor() as cursor:
        assert dbroles.role_problems(cursor, role=portal_role) == []
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (False,)


def test_db_roles_refuses_to_run_as_the_portal_role(portal_role):
    with pytest.raises(CommandError, match="run this as the owner"):
        call_command("db_roles", portal_role, stdout=io.StringIO())
