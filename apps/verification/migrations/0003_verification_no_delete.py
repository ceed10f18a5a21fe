from django.db import migrations

from apps.verification.guard import guard_install, guard_remove


def reinstall(apps, schema_editor):
    # The guard now refuses DELETE on SQLite and TRUNCATE on PostgreSQL too.
    guard_remove(schema_editor.connection)
    guard_install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("verification", "0002_verification_frozen")]

    operations = [migrations.RunPython(reinstall, reinstall)]
