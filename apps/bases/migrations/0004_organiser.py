"""Training bases become organisers (issue 14): a training base (Attachment 1) or an industry
authority. The table and its history table are renamed, not copied, so every id stays; the
existing rows are training bases (the default kind)."""

import django.db.models.deletion
from django.db import migrations, models

KINDS = [("training_base", "Training base"), ("industry_authority", "Industry authority")]


class Migration(migrations.Migration):
    # Every migration that names bases.TrainingBase runs before the rename.
    dependencies = [
        ("bases", "0003_history_initial"),
        ("people", "0009_person_import"),
        ("accounts", "0005_activation_code_for_logins"),
        ("filings", "0004_history_initial"),
    ]

    operations = [
        migrations.RenameModel("TrainingBase", "Organiser"),
        migrations.RenameModel("HistoricalTrainingBase", "HistoricalOrganiser"),
        migrations.AlterModelOptions(
            name="historicalorganiser",
            options={
                "get_latest_by": ("history_date", "history_id"),
                "ordering": ("-history_date", "-history_id"),
                "verbose_name": "organiser history",
                "verbose_name_plural": "historical organisers",
            },
        ),
        migrations.AlterModelOptions(
            name="organiser",
            options={
                "ordering": ["id"],
                "verbose_name": "organiser",
                "verbose_name_plural": "organisers",
            },
        ),
        migrations.AddField(
            model_name="historicalorganiser",
            name="industry",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="people.industry",
                verbose_name="industry",
            ),
        ),
        migrations.AddField(
            model_name="historicalorganiser",
            name="kind",
            field=models.CharField(
                choices=KINDS, default="training_base", max_length=20, verbose_name="kind"
            ),
        ),
        migrations.AddField(
            model_name="organiser",
            name="industry",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="authorities",
                to="people.industry",
                verbose_name="industry",
            ),
        ),
        migrations.AddField(
            model_name="organiser",
            name="kind",
            field=models.CharField(
                choices=KINDS, default="training_base", max_length=20, verbose_name="kind"
            ),
        ),
        migrations.AddIndex(
            model_name="organiser",
            index=models.Index(fields=["kind", "is_active"], name="organiser_kind_active"),
        ),
        migrations.AddConstraint(
            model_name="organiser",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind", "training_base"), ("industry__isnull", False), _connector="OR"
                ),
                name="organiser_authority_has_industry",
                violation_error_message="An industry authority names the industry it supervises.",
            ),
        ),
    ]
