"""Inserting many rows fast: PostgreSQL's COPY, or `bulk_create` elsewhere (SQLite in tests).

`bulk_create` spends most of its time building model instances and preparing each value; a
roster of 10,000 trainees writes 30,000 rows, so the roster path hands plain tuples of values
ready for the database to COPY instead. Values: str, int, Decimal, bool, date, aware datetime,
dict/list (JSON) or None. Constraints and triggers apply to COPY as to INSERT.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db import connection, models

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: str) -> str:
    return value.translate(_ESCAPES)


def _datetime(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.isoformat()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)


_CONVERT: dict[type, Any] = {
    str: _text,
    int: str,
    Decimal: str,
    bool: lambda value: "t" if value else "f",
    type(None): lambda value: "\\N",
    dt.datetime: _datetime,
    dt.date: dt.date.isoformat,
    dict: _json,
    list: _json,
}


def _copy_text(value: Any) -> str:
    """Any supported value, subclasses (text choices, ...) included."""
    convert = _CONVERT.get(type(value))
    if convert is not None:
        return str(convert(value))
    for kind in (bool, str, int, Decimal, dt.datetime, dt.date, dict, list):
        if isinstance(value, kind):
            return str(_CONVERT[kind](value))
    raise TypeError(f"cannot COPY a {type(value).__name__}")


def _column(model: type[models.Model], name: str) -> str:
    """The database column of a concrete field, named by attribute (`person_id`) or field."""
    field = model._meta.get_field(name.removesuffix("_id"))
    assert isinstance(field, models.Field) and field.column is not None, name
    return field.column


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    skip_conflicts_on: str | None = None,
) -> int:
    """Inserts the rows (values in the order of `fields`, attribute names such as `person_id`);
    returns how many were inserted. Runs inside the caller's transaction.

    `skip_conflicts_on` names a unique column: rows whose value is already in the table (or
    arrives at the same moment from another transaction) are skipped instead of failing; on
    PostgreSQL the rows are then COPied into a temporary table and moved with
    `INSERT … ON CONFLICT DO NOTHING`."""
    columns = [_column(model, name) for name in fields]
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        if skip_conflicts_on is None:
            model._default_manager.bulk_create(objects, batch_size=1000)
            return len(objects)
        before = model._default_manager.count()
        model._default_manager.bulk_create(objects, batch_size=1000, ignore_conflicts=True)
        return model._default_manager.count() - before
    buffer = io.StringIO()
    count = 0
    convert = _CONVERT
    for row in rows:
        buffer.write("\t".join([(convert.get(type(v)) or _copy_text)(v) for v in row]))
        buffer.write("\n")
        count += 1
    if not count:
        return 0
    buffer.seek(0)
    quote = connection.ops.quote_name
    quoted = ", ".join(quote(c) for c in columns)
    table = quote(str(model._meta.db_table))
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2's own cursor, under Django's wrapper
        if skip_conflicts_on is None:
            raw.copy_expert(f"COPY {table} ({quoted}) FROM STDIN", buffer)
            return count
        # Only quoted identifiers from the model are interpolated into these statements. The
        # staging table lives until the transaction ends and is reused by later calls in it,
        # so a caller recording item by item in one transaction does not pile up locks.
        staging = quote(f"_copy_{model._meta.db_table}")
        raw.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {quoted} FROM {table} WITH NO DATA"
        )
        raw.execute(f"DELETE FROM {staging}")  # noqa: S608
        raw.copy_expert(f"COPY {staging} ({quoted}) FROM STDIN", buffer)
        conflict = quote(_column(model, skip_conflicts_on))
        raw.execute(
            f"INSERT INTO {table} ({quoted}) SELECT {quoted} FROM {staging} "  # noqa: S608
            f"ON CONFLICT ({conflict}) DO NOTHING"
        )
        inserted = raw.rowcount
        return int(inserted)


def values_in(
    model: type[models.Model], column: str, values: Sequence[Any], fields: Sequence[str]
) -> list[tuple[Any, ...]]:
    """`fields` of the rows whose `column` is one of `values`: on PostgreSQL one array
    parameter (`= ANY(%s)`), which for 10,000 values is far cheaper to build than IN (...)."""
    if not values:
        return []
    if connection.vendor != "postgresql":
        found: list[tuple[Any, ...]] = []
        for start in range(0, len(values), 5000):
            found.extend(
                model._default_manager.filter(
                    **{f"{column}__in": values[start : start + 5000]}
                ).values_list(*fields)
            )
        return found
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(model, f)) for f in fields)
    where = quote(_column(model, column))
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        # Only quoted identifiers from the model are interpolated; the values are a parameter.
        sql = f"SELECT {columns} FROM {table} WHERE {where} = ANY(%s)"  # noqa: S608
        cursor.execute(sql, [list(values)])
        return list(cursor.fetchall())


def delete_in(model: type[models.Model], column: str, values: Sequence[Any]) -> int:
    """Deletes the rows whose `column` is one of `values` (one array parameter on PostgreSQL,
    without loading the rows: for tables nothing cascades from); returns how many."""
    if not values:
        return 0
    if connection.vendor != "postgresql":
        deleted = 0
        for start in range(0, len(values), 5000):
            chunk = values[start : start + 5000]
            deleted += model._default_manager.filter(**{f"{column}__in": chunk}).delete()[0]
        return deleted
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    where = quote(_column(model, column))
    with connection.cursor() as cursor:
        # Only quoted identifiers from the model are interpolated; the values are a parameter.
        cursor.execute(f"DELETE FROM {table} WHERE {where} = ANY(%s)", [list(values)])  # noqa: S608
        return int(cursor.rowcount)


@contextmanager
def indexes_deferred(tables: Sequence[str], *, foreign_keys: bool = True) -> Iterator[None]:
    """Drops the secondary indexes, unique and (with `foreign_keys`) foreign-key constraints of
    empty tables for a bulk load and rebuilds them from their own definitions afterwards (as
    pg_restore does). Two cores at most: one parallel worker beside the leader per index."""
    saved_constraints: list[tuple[str, str, str]] = []
    saved_indexes: list[str] = []
    kinds = ["u", "f"] if foreign_keys else ["u"]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = ANY(%s)",
                [table, kinds],
            )
            for name, definition in cursor.fetchall():
                saved_constraints.append((table, name, definition))
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [table],
            )
            for name, definition in cursor.fetchall():
                saved_indexes.append(definition)
                cursor.execute(f"DROP INDEX {name}")
        for table, name, _definition in saved_constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    yield
    if not tables:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("SET LOCAL max_parallel_maintenance_workers = 1")
        for definition in saved_indexes:
            cursor.execute(definition)
        for table, name, definition in saved_constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
