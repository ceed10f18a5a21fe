"""Migrations carry their SQL and data as they were when written, and new databases still get
the triggers that guard the ledger and issued verifications."""

from __future__ import annotations

import ast
import importlib
import textwrap
from pathlib import Path

import pytest
from django.db import connection

from apps.credits import guard as ledger_guard
from apps.verification import guard as verification_guard

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = sorted(ROOT.glob("apps/*/migrations/0*.py"))


def _project_imports(path: Path) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            # `from apps.credits import at_rest` names the module apps.credits.at_rest.
            names = [node.module] if node.module.endswith(".models") else []
            modules.extend(names or [f"{node.module}.{alias.name}" for alias in node.names])
        elif isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
    return [m for m in modules if m.split(".")[0] in {"apps", "hefei_cpe"}]


def test_it_finds_the_migrations():
    assert len(MIGRATIONS) > 10


# Data migrations that must run the application's current code, and why. Schema, trigger SQL and
# reference rows never belong here: they are copied into their migration as they were.
RUNS_CURRENT_CODE = {
    # Encrypts evidence files stored before encryption at rest, with the portal's own file
    # format and keys (a new database has no such files, so it does nothing there).
    "credits/0004_evidence_encrypted_at_rest.py": {"apps.credits.at_rest"},
    # Rebuilds the derived year totals exactly as the running engine computes them.
    "credits/0005_year_totals_rules_v2.py": {"apps.credits.ledger"},
}


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_it_imports_no_live_code_into_a_migration(path):
    """Only the field callables Django itself writes (`apps.<app>.models`) may be imported:
    trigger SQL and reference rows are copied into the migration as they were."""
    name = f"{path.parent.parent.name}/{path.name}"
    allowed = RUNS_CURRENT_CODE.get(name, set())
    live = {
        m
        for m in _project_imports(path)
        if not m.endswith(".models") and not any(m.startswith(f"{a}.") or m == a for a in allowed)
    }
    assert not live, f"{path.relative_to(ROOT)} imports {live}: copy the SQL or data into it"


def test_it_lists_only_migrations_that_exist():
    names = {f"{p.parent.parent.name}/{p.name}" for p in MIGRATIONS}
    assert set(RUNS_CURRENT_CODE) <= names


def _normalised(statements) -> list[str]:
    return [" ".join(textwrap.dedent(s).split()) for s in statements]


@pytest.mark.parametrize(
    ("guard", "migration"),
    [
        (ledger_guard, "apps.credits.migrations.0002_ledger_append_only"),
        (verification_guard, "apps.verification.migrations.0005_verification_opinion"),
    ],
)
def test_it_has_a_migration_for_the_live_guard(guard, migration):
    """Editing a guard module changes no existing migration; this fails until a new migration
    carries the edited SQL (then point this test at it)."""
    latest = importlib.import_module(migration).GUARD
    assert _normalised(latest["postgresql"]["install"]) == _normalised(guard._POSTGRES_INSTALL)
    assert _normalised(latest["postgresql"]["remove"]) == _normalised(guard._POSTGRES_REMOVE)
    assert _normalised(latest["sqlite"]["install"]) == _normalised(guard._SQLITE_INSTALL)
    assert _normalised(latest["sqlite"]["remove"]) == _normalised(guard._SQLITE_REMOVE)


def _triggers() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
            )
        else:
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        return {(table, name) for table, name in cursor.fetchall()}


@pytest.mark.django_db
def test_it_gives_a_new_database_the_triggers():
    """The test database is built by the migrations, as a new installation's is."""
    if connection.vendor == "postgresql":
        expected = {
            ("credits_ledgerentry", "credits_ledger_no_update"),
            ("credits_ledgerentry", "credits_ledger_no_truncate"),
            ("verification_verification", "verification_frozen"),
            ("verification_verification", "verification_no_truncate"),
        }
    else:
        expected = {
            ("credits_ledgerentry", "credits_ledger_no_update"),
            ("credits_ledgerentry", "credits_ledger_no_delete"),
            ("verification_verification", "verification_frozen"),
            ("verification_verification", "verification_no_delete"),
        }
    assert expected <= _triggers()
