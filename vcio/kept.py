"""Kept statements: a client's (or a practice's) query compiled by the ORM once per database and run
again for any client of any practice (any practice).

Building and compiling a page's query through the ORM costs more than running it (a list page's
statement with its count subquery: about a millisecond of Python on the benchmark machine). A kept
statement is the ORM's own, word for word: `kept(key, client, build, connection, values)` builds it
with `build(client, values)` — a QuerySet, or (sql, params) — for this client and for a stand-in
client with other ids (every other field deferred) and other values, and compiles both. If the two
statements are the same text and their parameters differ only where the client's id, its practice's
id or the values differ (for a practice's query: the practice's id), the statement is kept with what each parameter is; later calls with the
same `key` only bind the new ids and values. Anything else is not kept (None) and the caller runs
the ORM: a build that reads more of the client (the stand-in fails), a statement whose text depends
on the ids or values, a parameter that is neither, a constant date or time (most likely today's,
which would be kept past midnight), or a queryset whose rows the ORM would make more
of than `instances` does (prefetches, values() rows, related objects it knows).

Used by a client's History tab (`vcio.history`), by the lists paged with
`vcio.listing.paginate_kept`, and through `kept_rows` / `kept_instances` by the client list's columns
(a page's client ids as values); `tests/vcio/test_kept_lists.py` and `tests/vcio/test_kept_rows.py`
hold the kept rows equal to the ORM's for clients of two practices.
"""

import re
import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from itertools import count

from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import Model
from django.db.models.query import ModelIterable, QuerySet, ValuesListIterable, get_related_populators

# Kept statements by key, or None where one cannot be kept. Keys are the callers' (each starts with
# its kind); a caller bounds how many it makes (a list keeps its first pages only).
KEPT: dict[tuple, "Kept | None"] = {}
_CLIENT, _PRACTICE = object(), object()
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")  # a date as SQLite takes it ("2026-11-28", "… 09:30:00")


class _Value(tuple):
    """A slot: the n-th value (`("value", n)`)."""


class Kept:
    """A statement the ORM compiled, kept with what each parameter is: the client's id, its
    practice's id, the n-th of the values it was built with, or a constant; and, for a query of
    model rows, its compiler — what Django's own iteration reads to make the rows model instances."""

    def __init__(self, sql: str, slots: list, compiler, kind=ModelIterable):
        self.sql, self.slots, self.compiler, self.kind = sql, slots, compiler, kind

    def params(self, client, values: list, connection) -> list:
        ids = _ids(client, connection)
        return [
            ids[slot]
            if slot is _CLIENT or slot is _PRACTICE
            else _prepped(values[slot[1]], connection)
            if type(slot) is _Value
            else slot
            for slot in self.slots
        ]

    def _fetched(self, client, values: list, connection) -> list:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params(client, values, connection))
            return cursor.fetchall()

    def rows(self, client, values: list, connection) -> list[tuple]:
        """The rows of a `values_list()` query as the ORM makes them: tuples, converted."""
        assert self.kind is ValuesListIterable, "rows() is for a values_list() query"
        return list(
            self.compiler.results_iter([self._fetched(client, values, connection)], tuple_expected=True)
        )

    def instances(self, client, values: list, connection) -> list:
        """The rows as Django's ModelIterable makes them: converted, the model's instance, its
        select_related objects and its annotations."""
        assert self.kind is ModelIterable, "instances() is for a query of model rows"
        compiler = self.compiler
        rows = self._fetched(client, values, connection)
        select, klass_info, annotations = compiler.select, compiler.klass_info, compiler.annotation_col_map
        converters = compiler.get_converters([expression for expression, _, _ in select])
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        model, fields = klass_info["model"], klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        names = [expression.target.attname for expression, _, _ in select[start:end]]
        related = get_related_populators(klass_info, select, connection.alias)
        found = []
        for row in rows:
            obj = model.from_db(connection.alias, names, row[start:end])
            for populator in related:
                populator.populate(row, obj)
            for name, position in annotations.items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found


def kept(key: tuple, client, build: Callable, connection, values: list = ()) -> Kept | None:
    """The statement `build(client, values)` makes — (sql, params), or a QuerySet of model rows or of
    `values_list()` tuples — compiled by the ORM once per `key` and kept, if it is the same for any
    client and values but for the client's and its practice's ids and those values (see the module's
    docstring). Values are non-negative integers (ids, years; the stand-in's small ones), UUIDs
    (ids; the stand-in's random), dates or date-times (the stand-in's ten thousand days earlier).
    None: not kept."""
    if key not in KEPT:
        KEPT[key] = _keep(client, build, connection, list(values))
    return KEPT[key]


def kept_rows(key: tuple, owner, build: Callable, values=()) -> list[tuple]:
    """`list(build(owner, *values))` for a `values_list()` query (tuples), through a statement kept
    under `key` (with the number of values, the database's alias and vendor) where one can be kept."""
    statement, connection, values = _kept_for(key, owner, build, values)
    if statement is None or statement.kind is not ValuesListIterable:
        return list(build(owner, *values))
    return statement.rows(owner, values, connection)


def kept_instances(key: tuple, owner, build: Callable, values=()) -> list:
    """`list(build(owner, *values))` for a query of model rows, as `kept_rows`."""
    statement, connection, values = _kept_for(key, owner, build, values)
    if statement is None or statement.kind is not ModelIterable:
        return list(build(owner, *values))
    return statement.instances(owner, values, connection)


KEPT_VALUES = 100  # a call with more values (a CSV's every row) goes through the ORM: a statement per count


def _kept_for(key: tuple, owner, build: Callable, values) -> tuple:
    values = list(values)
    # an owner given by its id has no instance to bind; a call with very many values is not kept
    if not isinstance(owner, Model) or len(values) > KEPT_VALUES:
        return None, None, values
    connection = connections[owner._state.db or "default"]
    full_key = (*key, connection.alias, connection.vendor, len(values))
    return kept(full_key, owner, lambda o, vs: build(o, *vs), connection, values), connection, values


def _compiled(made, connection):
    if isinstance(made, tuple):
        return (*made, None, None)
    kind = _plain_kind(made)
    if kind is None:
        raise ValueError("Not kept: the ORM makes more of these rows than `Kept` does.")
    compiler = made.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    return sql, params, compiler, kind


def _plain_kind(queryset: QuerySet):
    """ModelIterable or ValuesListIterable where `Kept.instances` or `Kept.rows` makes the rows as the
    ORM would: model instances, or tuples in the order the statement selects them — nothing
    prefetched or known, no combined query; else None."""
    if queryset._prefetch_related_lookups or queryset._known_related_objects or queryset.query.combinator:
        return None
    if queryset._iterable_class is ModelIterable:
        return ModelIterable
    if queryset._iterable_class is ValuesListIterable:
        query = queryset.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        fields = [*queryset._fields, *(f for f in query.annotation_select if f not in queryset._fields)]
        if not queryset._fields or fields == names:  # else the ORM reorders the columns
            return ValuesListIterable
    return None


def _keep(client, build: Callable, connection, values: list) -> Kept | None:
    model = type(client)
    try:
        others = _others(values)
        fields = _id_fields(model)
        stand_in = model.from_db(
            connection.alias,
            [field.attname for field in fields.values()],
            [uuid.uuid4() for _ in fields],
        )
        real_sql, real_params, compiler, kind = _compiled(build(client, values), connection)
        other_sql, other_params, _, _ = _compiled(build(stand_in, others), connection)
    except Exception:  # noqa: BLE001 - a build reading more of the client, rows not plain, a value of another kind
        return None
    if real_sql != other_sql or len(real_params) != len(other_params):
        return None
    real_ids, other_ids = _ids(client, connection), _ids(stand_in, connection)
    for i, (real, other) in enumerate(zip(values, others, strict=True)):
        slot = _Value(("value", i))
        real_ids[slot], other_ids[slot] = _prepped(real, connection), _prepped(other, connection)
    slots = []
    for real, other in zip(real_params, other_params, strict=True):
        if real == other and real not in real_ids.values():
            if isinstance(real, date | time) or (isinstance(real, str) and _ISO_DATE.match(real)):
                return None  # most likely today, or now: a constant only until tomorrow
            slots.append(real)
            continue
        slot = next((s for s in real_ids if real == real_ids[s] and other == other_ids[s]), None)
        if slot is None:
            return None
        slots.append(slot)
    return Kept(real_sql, slots, compiler, kind)


def _others(values: list) -> list:
    """The stand-in's values: of the same kinds, none equal to a real one, none equal to another."""
    taken = {value for value in values if _is_int(value)}
    spare = (n for n in count() if n not in taken)
    return [next(spare) if _is_int(value) else _other(value, i) for i, value in enumerate(values)]


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _other(value, i: int):
    """The stand-in's `i`-th value, not an integer: a value of the same kind that no real one equals.
    (Integers, `_others`: the smallest non-negative ones no real value takes — never out of an
    integer field's range, where the ORM would make the lookup an empty condition.)"""
    if isinstance(value, date):  # a date or a date-time (now): ten thousand days earlier
        return value - timedelta(days=10_007 + i)
    if isinstance(value, uuid.UUID):  # ids
        return uuid.uuid4()
    raise TypeError(
        f"A kept statement takes integers, UUIDs, dates and date-times as values, not {type(value)}."
    )


def _prepped(value, connection):
    """A value as the ORM passes it to the database: a date or a date-time adapted (SQLite takes text)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, uuid.UUID):  # as UUIDField.get_db_prep_value
        return value if connection.features.has_native_uuid_field else value.hex
    return value


_ID_FIELDS: dict[type, dict] = {}


def _id_fields(model) -> dict:
    """The fields naming an owner, by slot: a client's id and its practice's; a practice's id."""
    if model not in _ID_FIELDS:
        try:
            practice = model._meta.get_field("practice")
        except FieldDoesNotExist:
            _ID_FIELDS[model] = {_PRACTICE: model._meta.pk}
        else:
            _ID_FIELDS[model] = {_CLIENT: model._meta.pk, _PRACTICE: practice}
    return _ID_FIELDS[model]


def _ids(owner, connection) -> dict:
    """The owner's ids as the database takes them, by slot (`_id_fields`)."""
    return {
        slot: field.get_db_prep_value(getattr(owner, field.attname), connection)
        for slot, field in _id_fields(type(owner)).items()
    }
