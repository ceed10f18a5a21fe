"""Re-evaluates every person's year totals (PersonYear) under the rules engine v2.

Issue 11 changed how hours are credited (time order, item numbers, either-or for good, awards by
rank, 72-hour years before 2016, aid years lending nothing). Ledger entries never change; only the
derived per-year summary is rebuilt from them.

The rebuild calls the ledger's own service rather than re-implementing the engine's case on
historical models: the summary must be exactly what the running code computes. On a new
database there are no entries and it does nothing.
"""

from django.db import migrations


def rebuild(apps, schema_editor):
    from apps.credits.ledger import person_years_refresh_all

    LedgerEntry = apps.get_model("credits", "LedgerEntry")
    PersonYear = apps.get_model("credits", "PersonYear")
    if LedgerEntry.objects.exists() or PersonYear.objects.exists():
        person_years_refresh_all()


class Migration(migrations.Migration):
    dependencies = [
        ("credits", "0004_evidence_encrypted_at_rest"),
        ("people", "0005_jurisdiction_kind_unplaced"),
    ]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True)]
