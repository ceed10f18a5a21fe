from django.db import migrations

from apps.people.reference import reference_data_load


def load(apps, schema_editor):
    reference_data_load(apps.get_model("people", "Jurisdiction"), apps.get_model("people", "Industry"))


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
