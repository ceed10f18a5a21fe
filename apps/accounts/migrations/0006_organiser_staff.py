"""Base staff become organiser staff (issue 14): the role is renamed in place and the user's
`base` column becomes `organiser`; no login changes id. The check constraint naming the old
column and role is dropped first and recreated with the new names."""

import django.db.models.deletion
from django.db import migrations, models

TO_ORGANISER = "UPDATE accounts_user SET role = 'organiser_staff' WHERE role = 'base_staff'"
TO_BASE = "UPDATE accounts_user SET role = 'base_staff' WHERE role = 'organiser_staff'"
ROLES = [
    ("trainee", "Professional"),
    ("organiser_staff", "Organiser staff"),
    ("district_officer", "District officer"),
    ("city_officer", "City officer"),
    ("unit_admin", "Unit administrator"),
]


def _party(role, person=True, organiser=True, jurisdiction=True, unit=True):
    return models.Q(
        ("jurisdiction__isnull", jurisdiction),
        ("organiser__isnull", organiser),
        ("person__isnull", person),
        ("role", role),
        ("unit__isnull", unit),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_activation_code_for_logins"),
        ("bases", "0004_organiser"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="user", name="user_acts_for_exactly_one_party"),
        migrations.RenameField(model_name="user", old_name="base", new_name="organiser"),
        migrations.AlterField(
            model_name="user",
            name="organiser",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="staff",
                to="bases.organiser",
                verbose_name="organiser",
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(choices=ROLES, max_length=20, verbose_name="role"),
        ),
        migrations.RunSQL(TO_ORGANISER, TO_BASE),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    _party("trainee", person=False),
                    _party("organiser_staff", organiser=False),
                    _party("district_officer", jurisdiction=False),
                    _party("unit_admin", unit=False),
                    _party("city_officer"),
                    _connector="OR",
                ),
                name="user_acts_for_exactly_one_party",
            ),
        ),
    ]
