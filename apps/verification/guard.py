"""The database refuses to change what a verification froze at issue.

An UPDATE that changes any frozen column (the hours, the years, the officer, the organisation,
the date, the code, the stored PDF and its hash, the person and cycle, the officer's opinion) is
refused by a trigger, on PostgreSQL and on SQLite alike. The re-review PDF may be set once and
then stays. Status moves (re-review, return, revocation) touch other columns only, and pass.

Deleting rows is refused too: a row trigger on PostgreSQL (DELETE) and a statement trigger
(TRUNCATE), a BEFORE DELETE trigger on SQLite. Installed by migrations 0002 and 0003; 0004 and
0005 install it again naming the columns added since.
`guard_remove` exists only for the test runner, which empties every table between
transactional tests (see tests/conftest.py); nothing in the application calls it.
"""

from __future__ import annotations

from hefei_cpe.triggers import Guard

TABLE = "verification_verification"
MESSAGE = "an issued verification is frozen: its hours, years, officer and date never change"
FROZEN = [
    "person_id",
    "person_name",
    "id_number_masked",
    "unit_name",
    "current_title",
    "title_applied",
    "title_level",
    "application_year",
    "cycle_start",
    "cycle_end",
    "total_hours",
    "public_hours",
    "professional_hours",
    "years",
    "compliant",
    "refusal_reasons",
    "officer_id",
    "officer_name",
    "officer_org",
    "jurisdiction_id",
    "issued_at",
    "code",
    "pdf",
    "pdf_sha256",
    "needs_review",
    "title_year_used",
    "cycle_cap",
    "backfilled_years",
    "opinion",
]
SET_ONCE = ["reviewed_pdf", "reviewed_pdf_sha256"]
# replaced_by is set once too, but it is a nullable key: compared with IS NOT NULL below.
SET_ONCE_KEYS = ["replaced_by_id"]


def _postgres_condition() -> str:
    changed = [f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN]
    changed += [f"(OLD.{c} <> '' AND NEW.{c} IS DISTINCT FROM OLD.{c})" for c in SET_ONCE]
    changed += [
        f"(OLD.{c} IS NOT NULL AND NEW.{c} IS DISTINCT FROM OLD.{c})" for c in SET_ONCE_KEYS
    ]
    return "\n            OR ".join(changed)


def _sqlite_condition() -> str:
    # JSON columns are text in SQLite: compared as stored, which Django writes identically.
    changed = [f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN]
    changed += [f"(OLD.{c} <> '' AND NEW.{c} IS NOT OLD.{c})" for c in SET_ONCE]
    changed += [f"(OLD.{c} IS NOT NULL AND NEW.{c} IS NOT OLD.{c})" for c in SET_ONCE_KEYS]
    return " OR ".join(changed)


_POSTGRES_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION verification_frozen_refuse() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF {_postgres_condition()} THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER verification_frozen BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION verification_frozen_refuse()
    """,
    f"""
    CREATE TRIGGER verification_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION verification_frozen_refuse()
    """,
]
_POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS verification_frozen ON {TABLE}",
    f"DROP TRIGGER IF EXISTS verification_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS verification_frozen_refuse()",
]
_SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER IF NOT EXISTS verification_frozen BEFORE UPDATE ON {TABLE}
    FOR EACH ROW WHEN {_sqlite_condition()}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS verification_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS verification_frozen",
    "DROP TRIGGER IF EXISTS verification_no_delete",
]


GUARD = Guard(
    name="frozen-verification",
    postgresql_install=_POSTGRES_INSTALL,
    postgresql_remove=_POSTGRES_REMOVE,
    sqlite_install=_SQLITE_INSTALL,
    sqlite_remove=_SQLITE_REMOVE,
)
guard_install = GUARD.install
guard_remove = GUARD.remove
