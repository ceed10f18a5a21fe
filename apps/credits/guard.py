"""The database itself refuses to change or remove ledger entries.

PostgreSQL: row triggers on UPDATE and DELETE and a statement trigger on TRUNCATE raise an
exception. SQLite: BEFORE UPDATE / BEFORE DELETE triggers abort (SQLite has no TRUNCATE; its
"DELETE FROM t" fires the delete trigger once triggers exist). Installed by migration 0002.

`guard_remove` exists only for the test runner, which empties every table between
transactional tests; nothing in the application calls it.
"""

from __future__ import annotations

from hefei_cpe.triggers import Guard

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


GUARD = Guard(
    name="append-only ledger",
    postgresql_install=_POSTGRES_INSTALL,
    postgresql_remove=_POSTGRES_REMOVE,
    sqlite_install=_SQLITE_INSTALL,
    sqlite_remove=_SQLITE_REMOVE,
)
guard_install = GUARD.install
guard_remove = GUARD.remove
