"""The database itself refuses to change or remove ledger entries.

PostgreSQL: row triggers on UPDATE and DELETE and a statement trigger on TRUNCATE raise an
exception. SQLite: BEFORE UPDATE / BEFORE DELETE triggers abort (SQLite has no TRUNCATE; its
"DELETE FROM t" fires the delete trigger once triggers exist). Installed by migration 0002.

`guard_remove` exists only for the test runner, which empties every table between
transactional tests; nothing in the application calls it.
"""

from __future__ import annotations

from typing import Any

TABLE = "credits_ledgerentry"
MESSAGE = "ledger entries are append-only: record a correcting entry instead"

_POSTGRES_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION credits_ledger_refuse() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER credits_ledger_no_update BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION credits_ledger_refuse()
    """,
    f"""
    CREATE TRIGGER credits_ledger_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION credits_ledger_refuse()
    """,
]
_POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS credits_ledger_no_update ON {TABLE}",
    f"DROP TRIGGER IF EXISTS credits_ledger_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS credits_ledger_refuse()",
]
_SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER IF NOT EXISTS credits_ledger_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS credits_ledger_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS credits_ledger_no_update",
    "DROP TRIGGER IF EXISTS credits_ledger_no_delete",
]


def _statements(vendor: str, install: bool) -> list[str]:
    if vendor == "postgresql":
        return _POSTGRES_INSTALL if install else _POSTGRES_REMOVE
    if vendor == "sqlite":
        return _SQLITE_INSTALL if install else _SQLITE_REMOVE
    raise NotImplementedError(f"no append-only guard for {vendor}")


def guard_install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install=True):
            cursor.execute(statement)


def guard_remove(connection: Any) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install=False):
            cursor.execute(statement)
