"""The issuing officer's opinion (区县审核意见) on a verification or refusal, and the frozen-row
guard naming it.

Rows recorded before it was asked for keep an empty opinion (their pages say it was not given);
the column is frozen like the other issued columns. The guard's SQL is the text of
apps/verification/guard.py when this migration was written, copied here (GUARD) with the guard
of 0004 it replaces (PREVIOUS), so editing the live guard never changes what this migration does.
"""

from django.db import migrations, models

GUARD = {'postgresql': {'install': ['\n'
                            '    CREATE OR REPLACE FUNCTION verification_frozen_refuse() RETURNS '
                            'trigger AS $$\n'
                            '    BEGIN\n'
                            "        IF TG_OP IN ('DELETE', 'TRUNCATE') THEN\n"
                            "            RAISE EXCEPTION 'an issued verification is frozen: its "
                            "hours, years, officer and date never change' USING ERRCODE = "
                            "'integrity_constraint_violation';\n"
                            '        END IF;\n'
                            '        IF NEW.person_id IS DISTINCT FROM OLD.person_id\n'
                            '            OR NEW.person_name IS DISTINCT FROM OLD.person_name\n'
                            '            OR NEW.id_number_masked IS DISTINCT FROM '
                            'OLD.id_number_masked\n'
                            '            OR NEW.unit_name IS DISTINCT FROM OLD.unit_name\n'
                            '            OR NEW.current_title IS DISTINCT FROM OLD.current_title\n'
                            '            OR NEW.title_applied IS DISTINCT FROM OLD.title_applied\n'
                            '            OR NEW.title_level IS DISTINCT FROM OLD.title_level\n'
                            '            OR NEW.application_year IS DISTINCT FROM '
                            'OLD.application_year\n'
                            '            OR NEW.cycle_start IS DISTINCT FROM OLD.cycle_start\n'
                            '            OR NEW.cycle_end IS DISTINCT FROM OLD.cycle_end\n'
                            '            OR NEW.total_hours IS DISTINCT FROM OLD.total_hours\n'
                            '            OR NEW.public_hours IS DISTINCT FROM OLD.public_hours\n'
                            '            OR NEW.professional_hours IS DISTINCT FROM '
                            'OLD.professional_hours\n'
                            '            OR NEW.years IS DISTINCT FROM OLD.years\n'
                            '            OR NEW.compliant IS DISTINCT FROM OLD.compliant\n'
                            '            OR NEW.refusal_reasons IS DISTINCT FROM '
                            'OLD.refusal_reasons\n'
                            '            OR NEW.officer_id IS DISTINCT FROM OLD.officer_id\n'
                            '            OR NEW.officer_name IS DISTINCT FROM OLD.officer_name\n'
                            '            OR NEW.officer_org IS DISTINCT FROM OLD.officer_org\n'
                            '            OR NEW.jurisdiction_id IS DISTINCT FROM '
                            'OLD.jurisdiction_id\n'
                            '            OR NEW.issued_at IS DISTINCT FROM OLD.issued_at\n'
                            '            OR NEW.code IS DISTINCT FROM OLD.code\n'
                            '            OR NEW.pdf IS DISTINCT FROM OLD.pdf\n'
                            '            OR NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256\n'
                            '            OR NEW.needs_review IS DISTINCT FROM OLD.needs_review\n'
                            '            OR NEW.title_year_used IS DISTINCT FROM '
                            'OLD.title_year_used\n'
                            '            OR NEW.cycle_cap IS DISTINCT FROM OLD.cycle_cap\n'
                            '            OR NEW.backfilled_years IS DISTINCT FROM '
                            'OLD.backfilled_years\n'
                            '            OR NEW.opinion IS DISTINCT FROM OLD.opinion\n'
                            "            OR (OLD.reviewed_pdf <> '' AND NEW.reviewed_pdf IS "
                            'DISTINCT FROM OLD.reviewed_pdf)\n'
                            "            OR (OLD.reviewed_pdf_sha256 <> '' AND "
                            'NEW.reviewed_pdf_sha256 IS DISTINCT FROM OLD.reviewed_pdf_sha256)\n'
                            '            OR (OLD.replaced_by_id IS NOT NULL AND NEW.replaced_by_id '
                            'IS DISTINCT FROM OLD.replaced_by_id) THEN\n'
                            "            RAISE EXCEPTION 'an issued verification is frozen: its "
                            "hours, years, officer and date never change' USING ERRCODE = "
                            "'integrity_constraint_violation';\n"
                            '        END IF;\n'
                            '        RETURN NEW;\n'
                            '    END;\n'
                            '    $$ LANGUAGE plpgsql\n'
                            '    ',
                            '\n'
                            '    CREATE TRIGGER verification_frozen BEFORE UPDATE OR DELETE ON '
                            'verification_verification\n'
                            '    FOR EACH ROW EXECUTE FUNCTION verification_frozen_refuse()\n'
                            '    ',
                            '\n'
                            '    CREATE TRIGGER verification_no_truncate BEFORE TRUNCATE ON '
                            'verification_verification\n'
                            '    FOR EACH STATEMENT EXECUTE FUNCTION verification_frozen_refuse()\n'
                            '    '],
                'remove': ['DROP TRIGGER IF EXISTS verification_frozen ON '
                           'verification_verification',
                           'DROP TRIGGER IF EXISTS verification_no_truncate ON '
                           'verification_verification',
                           'DROP FUNCTION IF EXISTS verification_frozen_refuse()']},
 'sqlite': {'install': ['\n'
                        '    CREATE TRIGGER IF NOT EXISTS verification_frozen BEFORE UPDATE ON '
                        'verification_verification\n'
                        '    FOR EACH ROW WHEN NEW.person_id IS NOT OLD.person_id OR '
                        'NEW.person_name IS NOT OLD.person_name OR NEW.id_number_masked IS NOT '
                        'OLD.id_number_masked OR NEW.unit_name IS NOT OLD.unit_name OR '
                        'NEW.current_title IS NOT OLD.current_title OR NEW.title_applied IS NOT '
                        'OLD.title_applied OR NEW.title_level IS NOT OLD.title_level OR '
                        'NEW.application_year IS NOT OLD.application_year OR NEW.cycle_start IS '
                        'NOT OLD.cycle_start OR NEW.cycle_end IS NOT OLD.cycle_end OR '
                        'NEW.total_hours IS NOT OLD.total_hours OR NEW.public_hours IS NOT '
                        'OLD.public_hours OR NEW.professional_hours IS NOT OLD.professional_hours '
                        'OR NEW.years IS NOT OLD.years OR NEW.compliant IS NOT OLD.compliant OR '
                        'NEW.refusal_reasons IS NOT OLD.refusal_reasons OR NEW.officer_id IS NOT '
                        'OLD.officer_id OR NEW.officer_name IS NOT OLD.officer_name OR '
                        'NEW.officer_org IS NOT OLD.officer_org OR NEW.jurisdiction_id IS NOT '
                        'OLD.jurisdiction_id OR NEW.issued_at IS NOT OLD.issued_at OR NEW.code IS '
                        'NOT OLD.code OR NEW.pdf IS NOT OLD.pdf OR NEW.pdf_sha256 IS NOT '
                        'OLD.pdf_sha256 OR NEW.needs_review IS NOT OLD.needs_review OR '
                        'NEW.title_year_used IS NOT OLD.title_year_used OR NEW.cycle_cap IS NOT '
                        'OLD.cycle_cap OR NEW.backfilled_years IS NOT OLD.backfilled_years OR '
                        "NEW.opinion IS NOT OLD.opinion OR (OLD.reviewed_pdf <> '' AND "
                        'NEW.reviewed_pdf IS NOT OLD.reviewed_pdf) OR (OLD.reviewed_pdf_sha256 <> '
                        "'' AND NEW.reviewed_pdf_sha256 IS NOT OLD.reviewed_pdf_sha256) OR "
                        '(OLD.replaced_by_id IS NOT NULL AND NEW.replaced_by_id IS NOT '
                        'OLD.replaced_by_id)\n'
                        "    BEGIN SELECT RAISE(ABORT, 'an issued verification is frozen: its "
                        "hours, years, officer and date never change'); END\n"
                        '    ',
                        '\n'
                        '    CREATE TRIGGER IF NOT EXISTS verification_no_delete BEFORE DELETE ON '
                        'verification_verification\n'
                        "    BEGIN SELECT RAISE(ABORT, 'an issued verification is frozen: its "
                        "hours, years, officer and date never change'); END\n"
                        '    '],
            'remove': ['DROP TRIGGER IF EXISTS verification_frozen',
                       'DROP TRIGGER IF EXISTS verification_no_delete']}}

PREVIOUS = {'postgresql': {'install': ['\n'
                            '    CREATE OR REPLACE FUNCTION verification_frozen_refuse() RETURNS '
                            'trigger AS $$\n'
                            '    BEGIN\n'
                            "        IF TG_OP IN ('DELETE', 'TRUNCATE') THEN\n"
                            "            RAISE EXCEPTION 'an issued verification is frozen: its "
                            "hours, years, officer and date never change' USING ERRCODE = "
                            "'integrity_constraint_violation';\n"
                            '        END IF;\n'
                            '        IF NEW.person_id IS DISTINCT FROM OLD.person_id\n'
                            '            OR NEW.person_name IS DISTINCT FROM OLD.person_name\n'
                            '            OR NEW.id_number_masked IS DISTINCT FROM '
                            'OLD.id_number_masked\n'
                            '            OR NEW.unit_name IS DISTINCT FROM OLD.unit_name\n'
                            '            OR NEW.current_title IS DISTINCT FROM OLD.current_title\n'
                            '            OR NEW.title_applied IS DISTINCT FROM OLD.title_applied\n'
                            '            OR NEW.title_level IS DISTINCT FROM OLD.title_level\n'
                            '            OR NEW.application_year IS DISTINCT FROM '
                            'OLD.application_year\n'
                            '            OR NEW.cycle_start IS DISTINCT FROM OLD.cycle_start\n'
                            '            OR NEW.cycle_end IS DISTINCT FROM OLD.cycle_end\n'
                            '            OR NEW.total_hours IS DISTINCT FROM OLD.total_hours\n'
                            '            OR NEW.public_hours IS DISTINCT FROM OLD.public_hours\n'
                            '            OR NEW.professional_hours IS DISTINCT FROM '
                            'OLD.professional_hours\n'
                            '            OR NEW.years IS DISTINCT FROM OLD.years\n'
                            '            OR NEW.compliant IS DISTINCT FROM OLD.compliant\n'
                            '            OR NEW.refusal_reasons IS DISTINCT FROM '
                            'OLD.refusal_reasons\n'
                            '            OR NEW.officer_id IS DISTINCT FROM OLD.officer_id\n'
                            '            OR NEW.officer_name IS DISTINCT FROM OLD.officer_name\n'
                            '            OR NEW.officer_org IS DISTINCT FROM OLD.officer_org\n'
                            '            OR NEW.jurisdiction_id IS DISTINCT FROM '
                            'OLD.jurisdiction_id\n'
                            '            OR NEW.issued_at IS DISTINCT FROM OLD.issued_at\n'
                            '            OR NEW.code IS DISTINCT FROM OLD.code\n'
                            '            OR NEW.pdf IS DISTINCT FROM OLD.pdf\n'
                            '            OR NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256\n'
                            '            OR NEW.needs_review IS DISTINCT FROM OLD.needs_review\n'
                            '            OR NEW.title_year_used IS DISTINCT FROM '
                            'OLD.title_year_used\n'
                            '            OR NEW.cycle_cap IS DISTINCT FROM OLD.cycle_cap\n'
                            '            OR NEW.backfilled_years IS DISTINCT FROM '
                            'OLD.backfilled_years\n'
                            "            OR (OLD.reviewed_pdf <> '' AND NEW.reviewed_pdf IS "
                            'DISTINCT FROM OLD.reviewed_pdf)\n'
                            "            OR (OLD.reviewed_pdf_sha256 <> '' AND "
                            'NEW.reviewed_pdf_sha256 IS DISTINCT FROM OLD.reviewed_pdf_sha256)\n'
                            '            OR (OLD.replaced_by_id IS NOT NULL AND NEW.replaced_by_id '
                            'IS DISTINCT FROM OLD.replaced_by_id) THEN\n'
                            "            RAISE EXCEPTION 'an issued verification is frozen: its "
                            "hours, years, officer and date never change' USING ERRCODE = "
                            "'integrity_constraint_violation';\n"
                            '        END IF;\n'
                            '        RETURN NEW;\n'
                            '    END;\n'
                            '    $$ LANGUAGE plpgsql\n'
                            '    ',
                            '\n'
                            '    CREATE TRIGGER verification_frozen BEFORE UPDATE OR DELETE ON '
                            'verification_verification\n'
                            '    FOR EACH ROW EXECUTE FUNCTION verification_frozen_refuse()\n'
                            '    ',
                            '\n'
                            '    CREATE TRIGGER verification_no_truncate BEFORE TRUNCATE ON '
                            'verification_verification\n'
                            '    FOR EACH STATEMENT EXECUTE FUNCTION verification_frozen_refuse()\n'
                            '    '],
                'remove': ['DROP TRIGGER IF EXISTS verification_frozen ON '
                           'verification_verification',
                           'DROP TRIGGER IF EXISTS verification_no_truncate ON '
                           'verification_verification',
                           'DROP FUNCTION IF EXISTS verification_frozen_refuse()']},
 'sqlite': {'install': ['\n'
                        '    CREATE TRIGGER IF NOT EXISTS verification_frozen BEFORE UPDATE ON '
                        'verification_verification\n'
                        '    FOR EACH ROW WHEN NEW.person_id IS NOT OLD.person_id OR '
                        'NEW.person_name IS NOT OLD.person_name OR NEW.id_number_masked IS NOT '
                        'OLD.id_number_masked OR NEW.unit_name IS NOT OLD.unit_name OR '
                        'NEW.current_title IS NOT OLD.current_title OR NEW.title_applied IS NOT '
                        'OLD.title_applied OR NEW.title_level IS NOT OLD.title_level OR '
                        'NEW.application_year IS NOT OLD.application_year OR NEW.cycle_start IS '
                        'NOT OLD.cycle_start OR NEW.cycle_end IS NOT OLD.cycle_end OR '
                        'NEW.total_hours IS NOT OLD.total_hours OR NEW.public_hours IS NOT '
                        'OLD.public_hours OR NEW.professional_hours IS NOT OLD.professional_hours '
                        'OR NEW.years IS NOT OLD.years OR NEW.compliant IS NOT OLD.compliant OR '
                        'NEW.refusal_reasons IS NOT OLD.refusal_reasons OR NEW.officer_id IS NOT '
                        'OLD.officer_id OR NEW.officer_name IS NOT OLD.officer_name OR '
                        'NEW.officer_org IS NOT OLD.officer_org OR NEW.jurisdiction_id IS NOT '
                        'OLD.jurisdiction_id OR NEW.issued_at IS NOT OLD.issued_at OR NEW.code IS '
                        'NOT OLD.code OR NEW.pdf IS NOT OLD.pdf OR NEW.pdf_sha256 IS NOT '
                        'OLD.pdf_sha256 OR NEW.needs_review IS NOT OLD.needs_review OR '
                        'NEW.title_year_used IS NOT OLD.title_year_used OR NEW.cycle_cap IS NOT '
                        'OLD.cycle_cap OR NEW.backfilled_years IS NOT OLD.backfilled_years OR '
                        "(OLD.reviewed_pdf <> '' AND NEW.reviewed_pdf IS NOT OLD.reviewed_pdf) OR "
                        "(OLD.reviewed_pdf_sha256 <> '' AND NEW.reviewed_pdf_sha256 IS NOT "
                        'OLD.reviewed_pdf_sha256) OR (OLD.replaced_by_id IS NOT NULL AND '
                        'NEW.replaced_by_id IS NOT OLD.replaced_by_id)\n'
                        "    BEGIN SELECT RAISE(ABORT, 'an issued verification is frozen: its "
                        "hours, years, officer and date never change'); END\n"
                        '    ',
                        '\n'
                        '    CREATE TRIGGER IF NOT EXISTS verification_no_delete BEFORE DELETE ON '
                        'verification_verification\n'
                        "    BEGIN SELECT RAISE(ABORT, 'an issued verification is frozen: its "
                        "hours, years, officer and date never change'); END\n"
                        '    '],
            'remove': ['DROP TRIGGER IF EXISTS verification_frozen',
                       'DROP TRIGGER IF EXISTS verification_no_delete']}}


def _run(schema_editor, statements):
    vendor = schema_editor.connection.vendor
    if vendor not in statements:
        raise NotImplementedError(f"no trigger SQL for {vendor}")
    with schema_editor.connection.cursor() as cursor:
        for statement in statements[vendor]:
            cursor.execute(statement)


def remove_previous(apps, schema_editor):
    """Lift the guard of 0004 before the column is added (SQLite rebuilds the table)."""
    _run(schema_editor, {vendor: sql["remove"] for vendor, sql in PREVIOUS.items()})


def install_previous(apps, schema_editor):
    _run(schema_editor, {vendor: sql["install"] for vendor, sql in PREVIOUS.items()})


def install(apps, schema_editor):
    _run(schema_editor, {vendor: sql["install"] for vendor, sql in GUARD.items()})


def remove(apps, schema_editor):
    _run(schema_editor, {vendor: sql["remove"] for vendor, sql in GUARD.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("verification", "0004_derived_cycle"),
    ]

    operations = [
        # The frozen-row guard names every frozen column: lifted while the column is added,
        # then installed again naming it.
        migrations.RunPython(remove_previous, install_previous),
        migrations.AddField(
            model_name="verification",
            name="opinion",
            field=models.CharField(
                default="", max_length=150, verbose_name="verification opinion"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(install, remove),
    ]
