"""Listing helpers shared by every table page: sorting by a whitelist, pagination, CSV streaming."""

import csv
import re
from dataclasses import dataclass

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, QuerySet, Subquery, Value
from django.db.models.query import ModelIterable, ValuesListIterable
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

DEFAULT_PAGE_SIZE = 25


def chosen_sort(sort: str | None, allowed: dict[str, str], default: str) -> str:
    """The order `apply_sort` applies: `sort` if its key is one of `allowed`, else the default."""
    return sort if (sort or "").lstrip("-") in allowed else default


def apply_sort(queryset, sort: str | None, allowed: dict[str, str], default: str):
    """Order by a user-chosen key from `allowed` (public name -> ORM path); unknown keys use the default."""
    key = (sort or "").lstrip("-")
    if key not in allowed:
        return queryset.order_by(*default.split(",")), default
    path = allowed[key]
    prefix = "-" if (sort or "").startswith("-") else ""
    return queryset.order_by(f"{prefix}{path}", "pk"), sort


TOTAL = "_page_total"


def _counts_inline(object_list) -> bool:
    """A queryset of model rows, or of rows as tuples of values (`values_list`), whose count can ride
    along with its page as a scalar subquery: no DISTINCT, union, grouping, aggregate or slice, which
    would change what COUNT(*) of it means."""
    if not isinstance(object_list, QuerySet) or object_list._iterable_class not in (
        ModelIterable,
        ValuesListIterable,
    ):
        return False
    query = object_list.query
    return not (
        query.distinct
        or query.combinator
        or query.group_by is not None
        or query.is_sliced
        or any(getattr(a, "contains_aggregate", False) for a in query.annotations.values())
    )


COUNT_FIRST_FROM = 1_000_000  # a page number beyond this is checked against the count first


class OnePassPaginator(Paginator):
    """Django's Paginator, answer for answer, that reads a page and the total in one statement:
    `SELECT …, (SELECT count(*) FROM <the same rows>) … LIMIT n OFFSET m` — PostgreSQL and SQLite run
    the uncorrelated subquery once — instead of a COUNT(*) and then the page: one round trip, and a
    total that cannot disagree with its page. The count query is still made where the page cannot
    tell it: a page past the end, or a queryset `_counts_inline` refuses."""

    def page(self, number):
        if "count" in self.__dict__ or self.orphans or not _counts_inline(self.object_list):
            return super().page(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number > COUNT_FIRST_FROM:  # an offset the database may not hold (bigint): counted first
            return super().page(number)
        rows = list(page_statement(self.object_list, number, self.per_page))
        if rows and self.object_list._iterable_class is ValuesListIterable:  # the total comes last
            self.count = rows[0][-1]
            rows = [row[:-1] for row in rows]
        elif rows:
            self.count = getattr(rows[0], TOTAL)
        elif number == 1:
            self.count = 0
        if number > self.num_pages:  # past the end: the count query tells where the end is
            raise EmptyPage(self.error_messages["no_results"])
        return self._get_page(rows, number, self)

    def get_page(self, number):
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages)


def page_statement(queryset: QuerySet, number: int, per_page: int) -> QuerySet:
    """Page `number` of `queryset` with the count of all its rows on each row (`TOTAL`): the one
    statement `OnePassPaginator` runs."""
    rows_only = queryset.order_by()
    rows_only.query.annotations = {}  # as `count()` drops them: a filter on one holds its expression
    total = Subquery(rows_only.annotate(_one=Value(1)).values("_one").annotate(n=Count("*")).values("n"))
    bottom = (number - 1) * per_page
    return queryset.annotate(**{TOTAL: total})[bottom : bottom + per_page]


def paginate(request, queryset, per_page: int = DEFAULT_PAGE_SIZE, param: str = "page"):
    """One page of `queryset` (`?page=`, or `?<param>=` for a second list on the same page; the
    pagination include takes `param` too)."""
    page = OnePassPaginator(queryset, per_page).get_page(request.GET.get(param))
    page.param = param
    return page


KEPT_PAGES = 10  # a list keeps the statements of its first pages; further pages go through the ORM


def paginate_kept(
    request, key: str, owner, build, per_page: int = DEFAULT_PAGE_SIZE, param: str = "page", values=()
):
    """`paginate(request, build(owner, *values), per_page, param)`, answer for answer, where `build`
    makes a client's (or a practice's) list the same way for every one — it reads nothing of the
    owner but its ids, and `values` (ids, dates, date-times: now) only as values: the page's
    statement — rows and count — is compiled once per database and page (`vcio.kept`, under `key`)
    and only bound afterwards. A page the statement cannot tell (empty, past the end, not a number,
    beyond the first KEPT_PAGES) and a build that cannot be kept go through `paginate`."""
    from django.db import connections

    from .kept import kept

    raw = request.GET.get(param)
    number = 1 if raw is None else int(raw) if raw.isascii() and raw.isdigit() else 0
    values = list(values)
    if 1 <= number <= KEPT_PAGES:
        connection = connections[owner._state.db or "default"]
        statement = kept(
            ("list-page", key, connection.alias, connection.vendor, number, per_page),
            owner,
            lambda o, vs: page_statement(build(o, *vs), number, per_page),
            connection,
            values,
        )
        rows = (
            statement.instances(owner, values, connection)
            if statement is not None and statement.kind is ModelIterable
            else []
        )
        if rows:
            paginator = OnePassPaginator((), per_page)
            paginator.count = getattr(rows[0], TOTAL)
            page = paginator._get_page(rows, number, paginator)
            page.param = param
            return page
    return paginate(request, build(owner, *values), per_page=per_page, param=param)


def page_number(request, param: str = "page") -> int:
    """`?page=` as a page number from 1 (anything unreadable: 1), for a list that pages itself."""
    try:
        return max(1, int(request.GET.get(param, 1)))
    except (TypeError, ValueError):
        return 1


@dataclass(frozen=True)
class PageCount:
    count: int
    num_pages: int


@dataclass(frozen=True)
class PageInfo:
    """A page of a list that pages itself (not a Paginator over a queryset), with what the pagination
    include reads: `number`, `paginator.count` and `.num_pages`, `start_index`, `end_index`…"""

    number: int
    per_page: int
    count: int
    param: str = "page"

    @property
    def paginator(self) -> PageCount:
        return PageCount(self.count, max(1, -(-self.count // self.per_page)))

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.count else 0

    def end_index(self) -> int:
        return min(self.count, self.number * self.per_page)

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.paginator.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


class _Echo:
    def write(self, value):
        return value


# A value a spreadsheet would not evaluate although it starts with + or -: a number or a phone number
# ("+1 555 0110", "-1200.50", "+44 (0)20 7946 0958").
_PHONE_OR_NUMBER = re.compile(r"[+-][\d\s().-]*\d[\d\s().-]*")


def safe_cell(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection) without mangling ordinary values: a cell that
    starts with `=`, `@`, a tab or a carriage return, or with `+`/`-` followed by anything but a
    number or phone number, gets a leading apostrophe."""
    text = "" if value is None else str(value)
    first = text[:1]
    if first in ("=", "@", "\t", "\r") or (first in ("+", "-") and not _PHONE_OR_NUMBER.fullmatch(text)):
        return "'" + text
    return text


def csv_response(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    """Stream rows (an iterable of sequences) as a CSV download."""
    writer = csv.writer(_Echo())

    def generate():
        # A UTF-8 byte-order mark first: Excel then reads accented and right-to-left names correctly.
        yield "\ufeff" + writer.writerow([safe_cell(v) for v in header])
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, safe_filename(filename))
    return response


def csv_file_response(filename: str, header: list[str], rows) -> HttpResponse:
    """A small, fixed CSV (an import's template or sample) sent whole: the same bytes and headers as
    `csv_response`."""
    streamed = csv_response(filename, header, rows)
    response = HttpResponse(b"".join(streamed.streaming_content), content_type=streamed["Content-Type"])
    response["Content-Disposition"] = streamed["Content-Disposition"]
    return response


def safe_filename(filename: str) -> str:
    """`Café "Ünion"\r\n contacts.csv` -> `cafe-union-contacts.csv`: ASCII, no quotes or line breaks."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, "csv"
    return f"{slugify(stem)[:80] or 'export'}.{slugify(ext) or 'csv'}"
