"""The database refuses to change or remove ledger entries (triggers on PostgreSQL and SQLite).

The SQL is the text of apps/credits/guard.py when this migration was written, copied here so
that editing the live guard never changes what this migration does: a changed guard needs a new
migration that carries its own SQL.
"""

from django.db import migrations

GUARD = {
    "postgresql": {
        "install": [
            """
                CREATE OR REPLACE FUNCTION credits_ledger_refuse() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION 'ledger entries are append-only: record a correcting entry instead' USING ERRCODE = 'integrity_constraint_violation';
                END;
                $$ LANGUAGE plpgsql
            """,
            """
                CREATE TRIGGER credits_ledger_no_update BEFORE UPDATE OR DELETE ON credits_ledgerentry
                FOR EACH ROW EXECUTE FUNCTION credits_ledger_refuse()
            """,
            """
                CREATE TRIGGER credits_ledger_no_truncate BEFORE TRUNCATE ON credits_ledgerentry
                FOR EACH STATEMENT EXECUTE FUNCTION credits_ledger_refuse()
            """,
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS credits_ledger_no_update ON credits_ledgerentry",
            "DROP TRIGGER IF EXISTS credits_ledger_no_truncate ON credits_ledgerentry",
            "DROP FUNCTION IF EXISTS credits_ledger_refuse()",
        ],
    },
    "sqlite": {
        "install": [
            """
                CREATE TRIGGER IF NOT EXISTS credits_ledger_no_update BEFORE UPDATE ON credits_ledgerentry
                BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: record a correcting entry instead'); END
            """,
            """
                CREATE TRIGGER IF NOT EXISTS credits_ledger_no_delete BEFORE DELETE ON credits_ledgerentry
                BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: record a correcting entry instead'); END
            """,
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS credits_ledger_no_update",
            "DROP TRIGGER IF EXISTS credits_ledger_no_delete",
        ],
    },
}


def _run(schema_editor, statements):
    vendor = schema_editor.connection.vendor
    if vendor not in statements:
        raise NotImplementedError(f"no trigger SQL for {vendor}")
    with schema_editor.connection.cursor() as cursor:
        for statement in statements[vendor]:
            cursor.execute(statement)


def install(apps, schema_editor):
    _run(schema_editor, {vendor: sql["install"] for vendor, sql in GUARD.items()})


def remove(apps, schema_editor):
    _run(schema_editor, {vendor: sql["remove"] for vendor, sql in GUARD.items()})


class Migration(migrations.Migration):
    dependencies = [("credits", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
