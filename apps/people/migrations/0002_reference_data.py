from django.db import migrations

from apps.people.reference import INDUSTRIES, JURISDICTIONS


def load(apps, schema_editor):
    Jurisdiction = apps.get_model("people", "Jurisdiction")
    Industry = apps.get_model("people", "Industry")
    for order, (code, name, kind) in enumerate(JURISDICTIONS, start=1):
        Jurisdiction.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "sort_order": order}
        )
    for code, name in INDUSTRIES:
        Industry.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
