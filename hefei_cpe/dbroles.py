"""The least-privilege database role the portal runs as (PostgreSQL).

Migrations run as the owner of the tables; the portal connects as a role that owns nothing and
holds only what it needs: SELECT, INSERT, UPDATE, DELETE on the tables and use of their
sequences. Never TRUNCATE, TRIGGER or REFERENCES, never CREATE in the schema, never a superuser,
so it can neither `ALTER TABLE … DISABLE TRIGGER` (owner only) nor
`SET session_replication_role = replica` (superuser only) to rewrite the append-only ledger or a
frozen verification: the triggers bind it. (UPDATE and DELETE stay granted because ordinary
tables need them; on the ledger and verifications the triggers refuse them.)

Used by `manage.py db_roles` and by the test suite, which creates and migrates its database as
the owner and then runs connected as the portal role.
"""

from __future__ import annotations

from typing import Any

from psycopg2 import sql

# Granted on every table and sequence, now and (through default privileges) for tables that
# later migrations create.
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
SEQUENCE_PRIVILEGES = "USAGE, SELECT, UPDATE"


def role_ensure(cursor: Any, *, role: str, password: str | None) -> bool:
    """Creates the login role (owning nothing, no special attributes) unless it exists; makes
    sure an existing one has none of the attributes that would lift the guards. True if new."""
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    exists = cursor.fetchone() is not None
    attributes = sql.SQL(
        "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT"
    )
    verb = sql.SQL("ALTER ROLE") if exists else sql.SQL("CREATE ROLE")
    statement = sql.SQL("{} {} WITH {}").format(verb, sql.Identifier(role), attributes)
    if password:
        statement = sql.SQL("{} PASSWORD {}").format(statement, sql.Literal(password))
    cursor.execute(statement)
    return not exists


def portal_privileges_grant(cursor: Any, *, role: str, database: str) -> None:
    """Grants the portal role exactly its privileges in `database` (run as the table owner).
    Idempotent: run it after every migration (the test suite does)."""
    who = sql.Identifier(role)
    for statement in (
        sql.SQL("REVOKE ALL ON DATABASE {} FROM {}").format(sql.Identifier(database), who),
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
            sql.Identifier(database), who
        ),
        sql.SQL("REVOKE ALL ON SCHEMA public FROM {}").format(who),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(who),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(who),
        sql.SQL("GRANT " + TABLE_PRIVILEGES + " ON ALL TABLES IN SCHEMA public TO {}").format(who),
        sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {}").format(who),
        sql.SQL("GRANT " + SEQUENCE_PRIVILEGES + " ON ALL SEQUENCES IN SCHEMA public TO {}").format(
            who
        ),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT "
            + TABLE_PRIVILEGES
            + " ON TABLES TO {}"
        ).format(who),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT "
            + SEQUENCE_PRIVILEGES
            + " ON SEQUENCES TO {}"
        ).format(who),
    ):
        cursor.execute(statement)


def role_problems(cursor: Any, *, role: str) -> list[str]:
    """What would let this role lift the database guards (empty when it is least-privileged)."""
    problems: list[str] = []
    cursor.execute(
        "SELECT rolsuper, rolcreaterole, rolbypassrls, rolreplication FROM pg_roles "
        "WHERE rolname = %s",
        [role],
    )
    row = cursor.fetchone()
    if row is None:
        return [f"role {role} does not exist"]
    for flag, name in zip(
        row, ("SUPERUSER", "CREATEROLE", "BYPASSRLS", "REPLICATION"), strict=True
    ):
        if flag:
            problems.append(f"role {role} has {name}")
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND pg_has_role(%s, c.relowner, 'USAGE')",
        [role],
    )
    owned = [name for (name,) in cursor.fetchall()]
    if owned:
        problems.append(f"role {role} owns (or inherits the owner of) {', '.join(sorted(owned))}")
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind = 'r' "
        "AND (has_table_privilege(%s, c.oid, 'TRUNCATE') "
        "OR has_table_privilege(%s, c.oid, 'TRIGGER'))",
        [role, role],
    )
    truncatable = [name for (name,) in cursor.fetchall()]
    if truncatable:
        problems.append(f"role {role} may TRUNCATE or add triggers on {', '.join(truncatable)}")
    return problems
