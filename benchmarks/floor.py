"""The served floor: a case's floor statement answered as a request, through the same WSGI handler
and middleware stack as the page, by a view that does nothing else — it runs the one raw SQL
statement, encodes the rows as JSON and answers them. Issue 9 measured its floors this way (the
client list's floor, 5.8 ms, was a request to the server, not a statement alone).

The harness fills `FLOORS` (token -> (sql, params)) in its own process before it measures; the view
exists only under the benchmark's settings (`benchmarks.urls`), never in the product."""

import json

from django.db import connections
from django.http import Http404, HttpResponse

FLOORS: dict[str, tuple[str, list]] = {}


def rows_as_json(sql: str, params: list) -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return json.dumps(rows, default=str)


def floor_view(request, token: str):
    try:
        sql, params = FLOORS[token]
    except KeyError:
        raise Http404 from None
    return HttpResponse(rows_as_json(sql, params), content_type="application/json")
