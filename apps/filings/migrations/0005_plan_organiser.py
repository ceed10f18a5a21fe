"""A plan belongs to an organiser (issue 14): the `base` column of plans and of their history
is renamed `organiser`, so every plan, roster and history row keeps its id and its links."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("filings", "0004_history_initial"),
        ("bases", "0004_organiser"),
    ]

    operations = [
        # The index names the old field; SQLite rebuilds the table on a rename, so the index goes
        # first and comes back on the renamed column (plans are few: a quick rebuild).
        migrations.RemoveIndex(model_name="plan", name="filings_pla_base_id_36a6dd_idx"),
        migrations.RenameField(model_name="plan", old_name="base", new_name="organiser"),
        migrations.RenameField(model_name="historicalplan", old_name="base", new_name="organiser"),
        migrations.AlterField(
            model_name="historicalplan",
            name="organiser",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="bases.organiser",
                verbose_name="organiser",
            ),
        ),
        migrations.AlterField(
            model_name="plan",
            name="organiser",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="plans",
                to="bases.organiser",
                verbose_name="organiser",
            ),
        ),
        migrations.AddIndex(
            model_name="plan",
            index=models.Index(
                fields=["organiser", "-start_date", "-id"], name="plan_organiser_start"
            ),
        ),
    ]
