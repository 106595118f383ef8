"""Querysets built and compiled once per process, then run again with new values.

Django builds and compiles a queryset's SQL anew on every request. For the small
queries of the busiest pages, which PostgreSQL answers from an index in a tenth
of a millisecond, that is most of their cost: the home page's two queries took
0.9 ms of Python to build and compile, a quarter of the page. A `PreparedQuery`
builds its queryset once per shape with stand-in values, keeps the SQL and its
parameters, and runs that SQL with each call's values in the stand-ins' places,
as a `RawQuerySet` of the same model.

Django passes every value as a parameter, so a stand-in is found among the
parameters by equality: stand-ins are values no query holds as a constant. A
list of ids goes in as one array parameter (`array_of_ids`), so that the SQL
does not depend on its length. Topic suggestions run their unions of names this
way too (`topics/suggestions.py`), as rows rather than instances.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.query import RawQuerySet

# Stand-ins no real query holds.
STAND_IN_ID = -424242
STAND_IN_TIME = datetime(1900, 1, 1, 0, 0, 0, 424242, tzinfo=UTC)
STAND_IN_IDS = [-424242]
OTHER_STAND_IN_IDS = [-424243]


def array_of_ids(ids: list[int]) -> RawSQL:
    """Return `ids` as a subquery of one array parameter, for `pk__in=`."""
    return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (parameter position, value name)
    model: type[Model]
    alias: str


class PreparedQuery:
    """A queryset compiled once for each shape, run with each call's values.

    `build(*shape, **values)` returns the queryset. `shape` changes the SQL
    itself (a LIMIT, say) and keys the compiled SQL; `values` are parameters,
    given stand-ins here as keyword arguments (or by `stand_ins_for`, when the
    shape decides what a stand-in must look like).
    """

    def __init__(self, build: Callable[..., QuerySet], **stand_ins: Any) -> None:
        self.build = build
        self.stand_ins = stand_ins
        self.compiled: dict[tuple[Hashable, ...], Compiled] = {}

    def __call__(self, *shape: Hashable, **values: Any) -> RawQuerySet:
        """Return the model instances the queryset of `shape` finds with `values`."""
        compiled, params = self.prepare(shape, values)
        return RawQuerySet(compiled.sql, model=compiled.model, params=params, using=compiled.alias)

    def rows(self, *shape: Hashable, **values: Any) -> list[dict[str, Any]]:
        """Return the rows, as dictionaries, that the queryset of `shape` finds with `values`."""
        compiled, params = self.prepare(shape, values)
        with connections[compiled.alias].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            columns = [column.name for column in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def stand_ins_for(self, shape: tuple[Hashable, ...]) -> dict[str, Any]:
        """Return the stand-ins to build the queryset of `shape` with."""
        return self.stand_ins

    def prepare(self, shape: tuple[Hashable, ...], values: dict[str, Any]) -> tuple[Compiled, list]:
        stand_ins = self.stand_ins_for(shape)
        if values.keys() != stand_ins.keys():
            raise TypeError(f"Give these values, and only these: {', '.join(stand_ins)}.")
        compiled = self.compiled.get(shape)
        if compiled is None:
            queryset = self.build(*shape, **stand_ins)
            compiled = self.compiled[shape] = self.compile(queryset, stand_ins)
        params = list(compiled.params)
        for position, name in compiled.slots:
            params[position] = values[name]
        return compiled, params

    @staticmethod
    def compile(queryset: QuerySet, stand_ins: dict[str, Any]) -> Compiled:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
        slots = tuple(
            (position, name)
            for position, param in enumerate(params)
            for name, stand_in in stand_ins.items()
            if type(param) is type(stand_in) and param == stand_in
        )
        if len({position for position, _ in slots}) != len(slots):
            raise RuntimeError("Two values have the same stand-in; give each its own.")
        missing = set(stand_ins) - {name for _, name in slots}
        if missing:
            raise RuntimeError(f"The query takes no parameter for {', '.join(sorted(missing))}.")
        written = [name for name, stand_in in stand_ins.items() if str(stand_in) in sql]
        if written:
            raise RuntimeError(f"The query writes {', '.join(written)} into its SQL.")
        return Compiled(sql, tuple(params), slots, queryset.model, queryset.db)
