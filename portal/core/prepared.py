"""Querysets compiled once per process, then run with new values.

Django builds and compiles a queryset's SQL on every evaluation. For the few queries a page
runs on every request (the route to a listing with the rows its page shows, its matches),
that is most of their cost: 2.5 to 3.5 ms of CPU each, against well under a millisecond to
run them. A :class:`Prepared` query is built once per shape with :class:`Param` placeholders
where the values go, compiled once per database connection, and run with
``prepared.run(**values)``: the rows become model instances as the queryset's would (the
same ``select_related`` rows, no further query).

What a queryset's shape depends on besides its parameters (which view restrictions apply,
say) must be part of the key it is prepared under (:func:`prepared`).
"""

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import CharField, Expression, Field, IntegerField, Model, Q, QuerySet
from django.db.models.query import get_related_populators


class Param(Expression):
    """A value a prepared query is given each time it runs: one placeholder in its SQL,
    prepared for the database as ``output_field`` prepares a value."""

    def __init__(self, name: str, output_field: Field) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        return "%s", [self]

    def bind(self, values: dict[str, Any], connection: Any) -> Any:
        return self.output_field.get_db_prep_value(values[self.name], connection)


@dataclass(frozen=True)
class _Compiled:
    """A queryset's SQL and how its rows become instances, for one connection."""

    sql: str
    params: tuple
    compiler: Any  # converts values as the queryset's compiler does
    converters: dict
    columns: int  # what the rows carry past this were selected only to order them
    model: type[Model]
    init_list: tuple[str, ...]
    model_columns: slice
    populators: tuple
    annotations: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, queryset: QuerySet, alias: str) -> "_Compiled":
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        klass_info = compiler.klass_info
        select = compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        fields = [column[0] for column in select[: compiler.col_count]]
        return cls(
            sql=sql,
            params=tuple(params),
            compiler=compiler,
            converters=compiler.get_converters(fields),
            columns=compiler.col_count if compiler.has_extra_select else 0,
            model=klass_info["model"],
            init_list=tuple(column[0].target.attname for column in select[start:end]),
            model_columns=slice(start, end),
            populators=tuple(get_related_populators(klass_info, select, alias)),
            annotations=tuple((compiler.annotation_col_map or {}).items()),
        )

    def run(self, values: dict[str, Any], alias: str) -> list:
        connection = self.compiler.connection
        params = [p.bind(values, connection) if isinstance(p, Param) else p for p in self.params]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.columns:
            rows = [row[: self.columns] for row in rows]
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        found = []
        for row in rows:
            instance = self.model.from_db(alias, self.init_list, row[self.model_columns])
            for populator in self.populators:
                populator.populate(row, instance)
            for name, position in self.annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found


class Prepared:
    """``build()``'s queryset (with :class:`Param` placeholders), compiled once per
    connection; :meth:`run` gives its instances for the values of the placeholders."""

    def __init__(self, build: Callable[[], QuerySet]) -> None:
        self.build = build
        self._queryset: QuerySet | None = None
        self._compiled: dict[Any, _Compiled] = {}  # by connection: each thread has its own

    def run(self, **values: Any) -> list:
        queryset = self._queryset
        if queryset is None:
            queryset = self._queryset = self.build()
        alias = router.db_for_read(queryset.model)
        connection = connections[alias]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = _Compiled.of(queryset, alias)
        return compiled.run(values, alias)


PREPARED_KEPT = 256  # shapes kept per process (a new set of view restrictions is a new key)
_prepared: dict[Hashable, Prepared] = {}
_lock = threading.Lock()


def prepared(key: Hashable, build: Callable[[], QuerySet]) -> Prepared:
    """The query prepared under ``key`` (``build`` is called only the first time): the key
    names everything ``build`` depends on besides its parameters."""
    query = _prepared.get(key)
    if query is None:
        with _lock:
            if len(_prepared) >= PREPARED_KEPT:
                _prepared.clear()
            query = _prepared.setdefault(key, Prepared(build))
    return query


def children_of_param() -> Q:
    """Wagtail's ``child_of``, with the parent's tree path (``parent_path``) and the
    children's ``depth`` given when the query runs."""
    return Q(
        path__startswith=Param("parent_path", CharField()), depth=Param("depth", IntegerField())
    )
