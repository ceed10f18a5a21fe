"""Querysets compiled once per process and run with new values: for the few queries that
every signed-in request makes (the user, a ledger page's person).

Building a queryset and compiling it to SQL costs the ORM about 0.2–0.7 ms of Python a
query (select_related joins and annotations cost the most), several times what the
database spends answering a primary-key look-up. A `CompiledQuery` builds its queryset once
per shape with stand-in values (sentinels) for the values that change, keeps the SQL and how
its rows become model instances, and on each call runs that SQL with the real values put in
place of the sentinels — the same SQL, objects, `select_related` instances and annotations
as the queryset gives (tests/test_compiled.py compares them).

The function that builds the queryset must be pure: the same shape for the same arguments,
no database read or clock in it (a scope is a frozen value: `Scope(kind, anchor_id)`), and
every changing value passed through its keyword arguments, which it receives as sentinels.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators

M = TypeVar("M", bound=Model)

# Far outside any id or year: a constant of a query never equals one by accident.
_SENTINEL_BASE = -(2**62)


@dataclass(frozen=True)
class _Plan:
    alias: str
    sql: str | None  # None: the query can match no row (e.g. a scope that reaches nothing)
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (position in params, name of the value)
    compiler: Any
    converters: Any
    model: type[Model]
    fields: tuple[int, int]
    init_list: tuple[str, ...]
    populators: tuple[Any, ...]
    annotations: tuple[tuple[str, int], ...]


class CompiledQuery(Generic[M]):
    """`build(shape..., **values)` gives the queryset; `get(shape, **values)` runs it.

    `shape` is a hashable that selects the queryset's form (e.g. the kind of a scope); each
    distinct shape is compiled once. `values` are the integers that change from call to
    call (ids): `build` receives them as sentinels."""

    def __init__(self, build: Callable[..., QuerySet[M]]) -> None:
        self._build = build
        self._plans: dict[tuple[Hashable, tuple[str, ...]], _Plan] = {}
        self._lock = threading.Lock()

    def _plan(self, shape: Hashable, names: tuple[str, ...]) -> _Plan:
        key = (shape, names)
        plan = self._plans.get(key)
        if plan is not None:
            return plan
        sentinels = {name: _SENTINEL_BASE - index for index, name in enumerate(names)}
        queryset = self._build(shape, **sentinels)
        if (
            getattr(queryset, "_prefetch_related_lookups", ())
            or getattr(queryset, "_known_related_objects", {})
            or queryset._iterable_class is not ModelIterable
        ):
            raise TypeError("CompiledQuery takes querysets of model instances, no prefetches")
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            sql, params = None, ()
        by_value = {value: name for name, value in sentinels.items()}
        slots = tuple(
            (position, by_value[value])
            for position, value in enumerate(params)
            if isinstance(value, int) and value in by_value
        )
        klass_info = compiler.klass_info
        select = compiler.select
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        fields = [s[0] for s in select[0 : compiler.col_count]]
        plan = _Plan(
            alias=queryset.db,
            sql=sql,
            params=tuple(params),
            slots=slots,
            compiler=compiler,
            converters=compiler.get_converters(fields),
            model=klass_info["model"],
            fields=(first, last),
            init_list=tuple(f[0].target.attname for f in select[first:last]),
            populators=tuple(get_related_populators(klass_info, select, queryset.db)),  # type: ignore[call-arg]
            annotations=tuple(compiler.annotation_col_map.items()),
        )
        with self._lock:
            self._plans.setdefault(key, plan)
        return plan

    def get(self, shape: Hashable, **values: int) -> M | None:
        """The one object the query finds with these values, or None."""
        plan = self._plan(shape, tuple(sorted(values)))
        if plan.sql is None:
            return None
        params = list(plan.params)
        for position, name in plan.slots:
            params[position] = int(values[name])
        with connections[plan.alias].cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchmany(2)
        if len(rows) > 1:
            error = plan.model.MultipleObjectsReturned  # type: ignore[attr-defined]
            raise error(f"{plan.model.__name__}: more than one row")
        if not rows:
            return None
        if plan.converters:
            rows = list(plan.compiler.apply_converters(rows, plan.converters))
        row = rows[0]
        first, last = plan.fields
        obj = plan.model.from_db(plan.alias, list(plan.init_list), row[first:last])
        for populator in plan.populators:
            populator.populate(row, obj)
        for name, position in plan.annotations:
            setattr(obj, name, row[position])
        return obj  # type: ignore[return-value]
