"""A plan belongs to an organiser (issue 14): the `base` column of plans and of their history
is renamed `organiser` (and its index renamed, not rebuilt), so every plan, roster and history
row keeps its id and its links."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("filings", "0004_history_initial"),
        ("bases", "0004_organiser"),
    ]

    operations = [
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
        migrations.RenameIndex(
            model_name="plan",
            new_name="plan_organiser_start",
            old_name="filings_pla_base_id_36a6dd_idx",
        ),
        # The index already covers the renamed column; only the state still names `base`.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="plan", name="plan_organiser_start"),
                migrations.AddIndex(
                    model_name="plan",
                    index=models.Index(
                        fields=["organiser", "-start_date", "-id"], name="plan_organiser_start"
                    ),
                ),
            ],
        ),
    ]
