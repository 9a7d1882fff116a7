"""Prepared reads: an ORM query compiled once per database and run again with new values.

Every page reads the same three things before its own data: the session, the signed-in user and the
user's memberships (with their practices, for the switcher). Through the ORM, building and compiling
each of those queries cost more than running it (about 0.4 ms of Python a query, against 0.2 ms in
the database, on the benchmark machine). A `Prepared` read is written as the ORM query it stands for;
on its first use with a database the query is compiled by Django — the statement is the ORM's, word
for word — and afterwards only the values change: bound, executed, converted by the same converters
the ORM applies, and made into model instances with `Model.from_db`.

The first compilation checks that the statement takes exactly the given values, in order, as the
given fields prepare them (`get_db_prep_value`); a query that does not (a lookup that transforms its
value, a filter the ORM reorders) is never prepared and every call goes through the ORM instead.
`tests/vcio/test_prepared.py` holds each prepared read equal to its ORM query on SQLite and
PostgreSQL.
"""

from collections.abc import Callable, Sequence

from django.db import connections
from django.db.models import Field, Model, QuerySet


class _Compiled:
    def __init__(self, sql: str, converters: list, layout: list, links: list[Field]):
        self.sql = sql
        self.converters = converters  # (position, [converter, ...], expression)
        self.layout = layout  # (model, attnames, pk position) of each model of the row, in select order
        self.links = links  # the first model's foreign key to each related model


class Prepared:
    """`make(*values)` builds the ORM query: a QuerySet of model instances, with one level of
    `select_related` models if any (a null foreign key's is None). `fields` are the model fields the
    values are compared with, in the order the statement takes them. `instances(*values)` answers
    the rows as model instances (related ones cached on the first model's row), or None when the
    query cannot be prepared or a value is None (the ORM writes `IS NULL`): run `make` then."""

    def __init__(self, make: Callable[..., QuerySet], fields: Sequence[Field], *, using: str = "default"):
        self.make = make
        self.fields = list(fields)
        self.using = using
        self._compiled: dict[tuple[str, str], _Compiled | None] = {}  # None: not preparable

    def _compile(self, connection, values) -> _Compiled | None:
        queryset = self.make(*values)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        expected = [
            field.get_db_prep_value(v, connection) for field, v in zip(self.fields, values, strict=True)
        ]
        if list(params) != expected or compiler.annotation_col_map or not compiler.klass_info:
            return None
        select = [expression for expression, _, _ in compiler.select]
        converters = [
            (i, convs, expression) for i, (convs, expression) in compiler.get_converters(select).items()
        ]
        layout, links = [self._part(compiler.klass_info, select)], []
        for related in compiler.klass_info.get("related_klass_infos", []):
            if related.get("related_klass_infos") or related["reverse"]:
                return None  # one level of select_related, forward only
            layout.append(self._part(related, select))
            links.append(related["field"])
        position = 0
        for _, (start, attnames) in layout:  # each model's columns follow the one before
            if start != position:
                return None
            position += len(attnames)
        if position != len(select):
            return None
        parts = [(model, attnames, attnames.index(model._meta.pk.attname)) for model, (_, attnames) in layout]
        return _Compiled(sql, converters, parts, links)

    @staticmethod
    def _part(klass_info, select):
        fields = klass_info["select_fields"]
        if fields != list(range(fields[0], fields[0] + len(fields))):
            return klass_info["model"], (-1, [])
        return klass_info["model"], (fields[0], [select[i].target.attname for i in fields])

    def instances(self, *values) -> list[Model] | None:
        connection = connections[self.using]
        key = (connection.alias, connection.vendor)
        if any(v is None for v in values):  # the ORM compares with IS NULL: another statement
            return None
        compiled = self._compiled.get(key, False)
        if compiled is False:
            compiled = self._compiled[key] = self._compile(connection, values)
        if compiled is None:
            return None
        params = [
            field.get_db_prep_value(v, connection) for field, v in zip(self.fields, values, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        found = []
        for row in rows:
            row = list(row)
            for i, convs, expression in compiled.converters:
                value = row[i]
                for convert in convs:
                    value = convert(value, expression, connection)
                row[i] = value
            objects, start = [], 0
            for model, attnames, pk in compiled.layout:
                part = row[start : start + len(attnames)]
                # a null foreign key's outer join: no related object, as select_related answers
                objects.append(None if part[pk] is None else model.from_db(self.using, attnames, part))
                start += len(attnames)
            for link, related in zip(compiled.links, objects[1:], strict=True):
                link.set_cached_value(objects[0], related)
            found.append(objects[0])
        return found
