"""The frozen-verification guard also refuses DELETE on SQLite and TRUNCATE on PostgreSQL.

The SQL is the text of apps/verification/guard.py when this migration was written, copied here
so that editing the live guard never changes what this migration does. Reversing it puts back
the guard of 0002 (its SQL is repeated below, as it was).
"""

from django.db import migrations

GUARD = {
    "postgresql": {
        "install": [
            """
                CREATE OR REPLACE FUNCTION verification_frozen_refuse() RETURNS trigger AS $$
                BEGIN
                    IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
                        RAISE EXCEPTION 'an issued verification is frozen: its hours, years, officer and date never change' USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    IF NEW.person_id IS DISTINCT FROM OLD.person_id
                        OR NEW.person_name IS DISTINCT FROM OLD.person_name
                        OR NEW.id_number_masked IS DISTINCT FROM OLD.id_number_masked
                        OR NEW.unit_name IS DISTINCT FROM OLD.unit_name
                        OR NEW.current_title IS DISTINCT FROM OLD.current_title
                        OR NEW.title_applied IS DISTINCT FROM OLD.title_applied
                        OR NEW.title_level IS DISTINCT FROM OLD.title_level
                        OR NEW.application_year IS DISTINCT FROM OLD.application_year
                        OR NEW.cycle_start IS DISTINCT FROM OLD.cycle_start
                        OR NEW.cycle_end IS DISTINCT FROM OLD.cycle_end
                        OR NEW.total_hours IS DISTINCT FROM OLD.total_hours
                        OR NEW.public_hours IS DISTINCT FROM OLD.public_hours
                        OR NEW.professional_hours IS DISTINCT FROM OLD.professional_hours
                        OR NEW.years IS DISTINCT FROM OLD.years
                        OR NEW.compliant IS DISTINCT FROM OLD.compliant
                        OR NEW.refusal_reasons IS DISTINCT FROM OLD.refusal_reasons
                        OR NEW.officer_id IS DISTINCT FROM OLD.officer_id
                        OR NEW.officer_name IS DISTINCT FROM OLD.officer_name
                        OR NEW.officer_org IS DISTINCT FROM OLD.officer_org
                        OR NEW.jurisdiction_id IS DISTINCT FROM OLD.jurisdiction_id
                        OR NEW.issued_at IS DISTINCT FROM OLD.issued_at
                        OR NEW.code IS DISTINCT FROM OLD.code
                        OR NEW.pdf IS DISTINCT FROM OLD.pdf
                        OR NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256
                        OR NEW.needs_review IS DISTINCT FROM OLD.needs_review
                        OR (OLD.reviewed_pdf <> '' AND NEW.reviewed_pdf IS DISTINCT FROM OLD.reviewed_pdf)
                        OR (OLD.reviewed_pdf_sha256 <> '' AND NEW.reviewed_pdf_sha256 IS DISTINCT FROM OLD.reviewed_pdf_sha256) THEN
                        RAISE EXCEPTION 'an issued verification is frozen: its hours, years, officer and date never change' USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    RETURN NEW;
                END;
                $$ LANGUAGE plpgsql
            """,
            """
                CREATE TRIGGER verification_frozen BEFORE UPDATE OR DELETE ON verification_verification
                FOR EACH ROW EXECUTE FUNCTION verification_frozen_refuse()
            """,
            """
                CREATE TRIGGER verification_no_truncate BEFORE TRUNCATE ON verification_verification
                FOR EACH STATEMENT EXECUTE FUNCTION verification_frozen_refuse()
            """,
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS verification_frozen ON verification_verification",
            "DROP TRIGGER IF EXISTS verification_no_truncate ON verification_verification",
            "DROP FUNCTION IF EXISTS verification_frozen_refuse()",
        ],
    },
    "sqlite": {
        "install": [
            """
                CREATE TRIGGER IF NOT EXISTS verification_frozen BEFORE UPDATE ON verification_verification
                FOR EACH ROW WHEN NEW.person_id IS NOT OLD.person_id OR NEW.person_name IS NOT OLD.person_name OR NEW.id_number_masked IS NOT OLD.id_number_masked OR NEW.unit_name IS NOT OLD.unit_name OR NEW.current_title IS NOT OLD.current_title OR NEW.title_applied IS NOT OLD.title_applied OR NEW.title_level IS NOT OLD.title_level OR NEW.application_year IS NOT OLD.application_year OR NEW.cycle_start IS NOT OLD.cycle_start OR NEW.cycle_end IS NOT OLD.cycle_end OR NEW.total_hours IS NOT OLD.total_hours OR NEW.public_hours IS NOT OLD.public_hours OR NEW.professional_hours IS NOT OLD.professional_hours OR NEW.years IS NOT OLD.years OR NEW.compliant IS NOT OLD.compliant OR NEW.refusal_reasons IS NOT OLD.refusal_reasons OR NEW.officer_id IS NOT OLD.officer_id OR NEW.officer_name IS NOT OLD.officer_name OR NEW.officer_org IS NOT OLD.officer_org OR NEW.jurisdiction_id IS NOT OLD.jurisdiction_id OR NEW.issued_at IS NOT OLD.issued_at OR NEW.code IS NOT OLD.code OR NEW.pdf IS NOT OLD.pdf OR NEW.pdf_sha256 IS NOT OLD.pdf_sha256 OR NEW.needs_review IS NOT OLD.needs_review OR (OLD.reviewed_pdf <> '' AND NEW.reviewed_pdf IS NOT OLD.reviewed_pdf) OR (OLD.reviewed_pdf_sha256 <> '' AND NEW.reviewed_pdf_sha256 IS NOT OLD.reviewed_pdf_sha256)
                BEGIN SELECT RAISE(ABORT, 'an issued verification is frozen: its hours, years, officer and date never change'); END
            """,
            """
                CREATE TRIGGER IF NOT EXISTS verification_no_delete BEFORE DELETE ON verification_verification
                BEGIN SELECT RAISE(ABORT, 'an issued verification is frozen: its hours, years, officer and date never change'); END
            """,
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS verification_frozen",
            "DROP TRIGGER IF EXISTS verification_no_delete",
        ],
    },
}

# 0002's guard, for the reverse step.
PREVIOUS = {
    "postgresql": {
        "install": [
            """
                CREATE OR REPLACE FUNCTION verification_frozen_refuse() RETURNS trigger AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        RAISE EXCEPTION 'an issued verification is frozen: its hours, years, officer and date never change' USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    IF NEW.person_id IS DISTINCT FROM OLD.person_id
                        OR NEW.person_name IS DISTINCT FROM OLD.person_name
                        OR NEW.id_number_masked IS DISTINCT FROM OLD.id_number_masked
                        OR NEW.unit_name IS DISTINCT FROM OLD.unit_name
                        OR NEW.current_title IS DISTINCT FROM OLD.current_title
                        OR NEW.title_applied IS DISTINCT FROM OLD.title_applied
                        OR NEW.title_level IS DISTINCT FROM OLD.title_level
                        OR NEW.application_year IS DISTINCT FROM OLD.application_year
                        OR NEW.cycle_start IS DISTINCT FROM OLD.cycle_start
                        OR NEW.cycle_end IS DISTINCT FROM OLD.cycle_end
                        OR NEW.total_hours IS DISTINCT FROM OLD.total_hours
                        OR NEW.public_hours IS DISTINCT FROM OLD.public_hours
                        OR NEW.professional_hours IS DISTINCT FROM OLD.professional_hours
                        OR NEW.years IS DISTINCT FROM OLD.years
                        OR NEW.compliant IS DISTINCT FROM OLD.compliant
                        OR NEW.refusal_reasons IS DISTINCT FROM OLD.refusal_reasons
                        OR NEW.officer_id IS DISTINCT FROM OLD.officer_id
                        OR NEW.officer_name IS DISTINCT FROM OLD.officer_name
                        OR NEW.officer_org IS DISTINCT FROM OLD.officer_org
                        OR NEW.jurisdiction_id IS DISTINCT FROM OLD.jurisdiction_id
                        OR NEW.issued_at IS DISTINCT FROM OLD.issued_at
                        OR NEW.code IS DISTINCT FROM OLD.code
                        OR NEW.pdf IS DISTINCT FROM OLD.pdf
                        OR NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256
                        OR NEW.needs_review IS DISTINCT FROM OLD.needs_review
                        OR (OLD.reviewed_pdf <> '' AND NEW.reviewed_pdf IS DISTINCT FROM OLD.reviewed_pdf)
                        OR (OLD.reviewed_pdf_sha256 <> '' AND NEW.reviewed_pdf_sha256 IS DISTINCT FROM OLD.reviewed_pdf_sha256) THEN
                        RAISE EXCEPTION 'an issued verification is frozen: its hours, years, officer and date never change' USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    RETURN NEW;
                END;
                $$ LANGUAGE plpgsql
            """,
            """
                CREATE TRIGGER verification_frozen BEFORE UPDATE OR DELETE ON verification_verification
                FOR EACH ROW EXECUTE FUNCTION verification_frozen_refuse()
            """,
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS verification_frozen ON verification_verification",
            "DROP FUNCTION IF EXISTS verification_frozen_refuse()",
        ],
    },
    "sqlite": {
        "install": [
            """
                CREATE TRIGGER IF NOT EXISTS verification_frozen BEFORE UPDATE ON verification_verification
                FOR EACH ROW WHEN NEW.person_id IS NOT OLD.person_id OR NEW.person_name IS NOT OLD.person_name OR NEW.id_number_masked IS NOT OLD.id_number_masked OR NEW.unit_name IS NOT OLD.unit_name OR NEW.current_title IS NOT OLD.current_title OR NEW.title_applied IS NOT OLD.title_applied OR NEW.title_level IS NOT OLD.title_level OR NEW.application_year IS NOT OLD.application_year OR NEW.cycle_start IS NOT OLD.cycle_start OR NEW.cycle_end IS NOT OLD.cycle_end OR NEW.total_hours IS NOT OLD.total_hours OR NEW.public_hours IS NOT OLD.public_hours OR NEW.professional_hours IS NOT OLD.professional_hours OR NEW.years IS NOT OLD.years OR NEW.compliant IS NOT OLD.compliant OR NEW.refusal_reasons IS NOT OLD.refusal_reasons OR NEW.officer_id IS NOT OLD.officer_id OR NEW.officer_name IS NOT OLD.officer_name OR NEW.officer_org IS NOT OLD.officer_org OR NEW.jurisdiction_id IS NOT OLD.jurisdiction_id OR NEW.issued_at IS NOT OLD.issued_at OR NEW.code IS NOT OLD.code OR NEW.pdf IS NOT OLD.pdf OR NEW.pdf_sha256 IS NOT OLD.pdf_sha256 OR NEW.needs_review IS NOT OLD.needs_review OR (OLD.reviewed_pdf <> '' AND NEW.reviewed_pdf IS NOT OLD.reviewed_pdf) OR (OLD.reviewed_pdf_sha256 <> '' AND NEW.reviewed_pdf_sha256 IS NOT OLD.reviewed_pdf_sha256)
                BEGIN SELECT RAISE(ABORT, 'an issued verification is frozen: its hours, years, officer and date never change'); END
            """,
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS verification_frozen",
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


def forward(apps, schema_editor):
    _run(schema_editor, {vendor: sql["remove"] for vendor, sql in PREVIOUS.items()})
    _run(schema_editor, {vendor: sql["install"] for vendor, sql in GUARD.items()})


def backward(apps, schema_editor):
    _run(schema_editor, {vendor: sql["remove"] for vendor, sql in GUARD.items()})
    _run(schema_editor, {vendor: sql["install"] for vendor, sql in PREVIOUS.items()})


class Migration(migrations.Migration):
    dependencies = [("verification", "0002_verification_frozen")]

    operations = [migrations.RunPython(forward, backward)]
