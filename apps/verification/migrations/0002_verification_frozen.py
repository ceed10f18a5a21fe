from django.db import migrations

from apps.verification.guard import guard_install, guard_remove


def install(apps, schema_editor):
    guard_install(schema_editor.connection)


def remove(apps, schema_editor):
    guard_remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("verification", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
