"""Writes on people. Views, admin, commands and imports all call these."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.scope import require
from apps.people import crypto, idnumber
from apps.people.models import IdNumberAccess, Industry, Person, Unit
from apps.people.permissions import may_reveal_id_number
from hefei_cpe import cleaning

# What an officer may correct on a person; the ID number is set once, at registration.
EDITABLE_FIELDS = (
    "name",
    "unit",
    "industry",
    "title",
    "title_level",
    "title_year",
    "transferred_in_year",
)


@transaction.atomic
def person_create(
    *,
    name: str,
    id_number: str,
    unit: Unit,
    industry: Industry,
    title: str = "",
    title_level: str = "",
    title_year: int | None = None,
    transferred_in_year: int | None = None,
) -> Person:
    resident_id = idnumber.parse(id_number)
    if Person.objects.filter(id_number_hash=crypto.keyed_hash(resident_id.number)).exists():
        raise ValidationError(
            {"id_number": _("A professional with this resident ID number is already registered.")}
        )
    person = Person(
        name=cleaning.name(name),
        unit=unit,
        industry=industry,
        title=title.strip(),
        title_level=title_level,
        title_year=title_year,
        transferred_in_year=transferred_in_year,
    )
    person.set_id_number(resident_id)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, **fields: Any) -> Person:
    """Change the editable facts of a person. The ID number itself never changes here."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"person_update() cannot change {sorted(unknown)}")
    for field, value in fields.items():
        if field == "name":
            value = cleaning.name(value)  # as every upload stores names
        setattr(person, field, value.strip() if isinstance(value, str) else value)
    person.full_clean()
    person.save()
    return person


def person_reveal_id_number(*, officer: User, person: Person, ip_address: str | None) -> str:
    """The full number, for an officer who may see this person; the opening is logged."""
    require(may_reveal_id_number(officer.scope, person), PermissionError)
    IdNumberAccess.objects.create(officer=officer, person=person, ip_address=ip_address)
    return person.reveal_id_number()


def id_numbers_shown_record(
    *,
    user: User,
    rows: QuerySet[Any],
    person_field: str = "pk",
    purpose: IdNumberAccess.Purpose,
    detail: str = "",
    ip_address: str | None = None,
) -> int:
    """Log that `user` was shown the full ID numbers of the people that `rows` name through
    `person_field` (an exported roster, say): one log row per person, so each person's log
    says who saw their number, however it was shown. One INSERT … SELECT whatever the count."""
    people = rows.order_by().values(shown_person=F(person_field)).distinct()
    select_sql, select_params = people.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ("officer_id", "person_id", "accessed_at", "ip_address", "purpose", "detail")
    # Identifiers quoted by the backend and SQL compiled by Django; every value is a parameter.
    table = quote(IdNumberAccess._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    select = f"SELECT %s, shown.shown_person, %s, %s, %s, %s FROM ({select_sql}) shown"  # noqa: S608
    sql = f"INSERT INTO {table} ({names}) {select}"
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params = (user.pk, now, ip_address, str(purpose), detail[:200], *select_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def unit_save(*, unit: Unit) -> Unit:
    """Create or correct a unit; the model's constraints (name unique in a jurisdiction,
    credit code unique) are checked first so the officer gets a message, not an error page."""
    unit.full_clean()
    unit.save()
    return unit
