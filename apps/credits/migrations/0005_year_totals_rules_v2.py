"""Re-evaluates every person's year totals (PersonYear) under the rules engine v2.

Issue 11 changed how hours are credited (time order, item numbers, either-or for good, awards by
rank, 72-hour years before 2016, aid years lending nothing). Ledger entries never change; only the
derived per-year summary is rebuilt from them.

Unlike SQL or reference rows, which a migration copies as they were, a re-evaluation must use
the rules in force: it runs the management command ``refresh_year_totals`` (by name, so no live
code is imported here), the same command an operator runs after any later change of the rules.
On a new database there are no entries and it does nothing.
"""

from django.core.management import call_command
from django.db import migrations


def rebuild(apps, schema_editor):
    LedgerEntry = apps.get_model("credits", "LedgerEntry")
    PersonYear = apps.get_model("credits", "PersonYear")
    if LedgerEntry.objects.exists() or PersonYear.objects.exists():
        call_command("refresh_year_totals", verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("credits", "0004_evidence_encrypted_at_rest"),
        ("people", "0005_jurisdiction_kind_unplaced"),
    ]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True)]
