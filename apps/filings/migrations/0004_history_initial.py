"""Existing rows get their first history record: the state they had when history began
(django-simple-history"s "+" row, reason "initial", no user). One INSERT … SELECT per table,
so a million people take seconds. The code is written out here, not imported, so later edits
of the application never change what this migration does."""

from django.db import migrations
from django.utils import timezone


def _copy(apps, schema_editor, app_label, name):
    model = apps.get_model(app_label, name)
    historical = apps.get_model(app_label, "Historical" + name)
    connection = schema_editor.connection
    quote = schema_editor.quote_name
    columns = [
        f.column for f in historical._meta.concrete_fields if not f.name.startswith("history_")
    ]
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    sql = (
        f"INSERT INTO {quote(historical._meta.db_table)} "
        f"({', '.join(quote(c) for c in columns + extra)}) "
        f"SELECT {', '.join(quote(c) for c in columns)}, %s, %s, %s, NULL "
        f"FROM {quote(model._meta.db_table)}"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, "initial", "+"])


def initial(apps, schema_editor):
    for name in ("Plan",):
        _copy(apps, schema_editor, "filings", name)


class Migration(migrations.Migration):
    dependencies = [("filings", "0003_historicalplan")]

    operations = [migrations.RunPython(initial, migrations.RunPython.noop)]
