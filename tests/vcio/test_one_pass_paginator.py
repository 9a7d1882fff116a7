"""`OnePassPaginator` answers as Django's Paginator does, page for page and error for error, with the
page and its total read in one statement (the HTML lists' `paginate` and the API's pagination)."""

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import Count, OuterRef, Subquery
from django.test.utils import CaptureQueriesContext

from clients.models import Client, Contact
from tests.factories import ClientFactory, ContactFactory
from vcio.listing import OnePassPaginator

pytestmark = pytest.mark.django_db

NUMBERS = [1, 2, 3, 4, 5, 0, -1, "1", "3", "abc", None, 2.0, 2.5, "", 10**6, 10**6 + 1, 2**80, str(2**80)]


@pytest.fixture
def clients(practice_a, practice_b):
    for i in range(7):
        ClientFactory(practice=practice_a, name=f"Client {i:02}")
    ClientFactory(practice=practice_b, name="Someone else's")
    return Client.objects.for_practice(practice_a).order_by("name", "pk")


def answer(paginator, how, number):
    try:
        page = getattr(paginator, how)(number)
    except (EmptyPage, PageNotAnInteger) as exc:
        return type(exc), str(exc)
    return (
        [row if isinstance(row, tuple) else row.pk for row in page.object_list],
        page.number,
        paginator.count,
        paginator.num_pages,
        page.has_next(),
        page.start_index(),
        page.end_index(),
    )


@pytest.mark.parametrize("how", ["page", "get_page"])
@pytest.mark.parametrize("number", NUMBERS)
def test_answers_as_djangos_paginator(clients, how, number):
    assert answer(OnePassPaginator(clients, 3), how, number) == answer(Paginator(clients, 3), how, number)


@pytest.mark.parametrize("how", ["page", "get_page"])
@pytest.mark.parametrize("number", NUMBERS)
def test_rows_as_values_answer_as_djangos_paginator(clients, how, number):
    """The API reads a list whose fields are all columns as tuples (`TenantViewSet.list`): the total
    rides along as a last column, which the page's rows do not show."""
    rows = clients.values_list("pk", "name")
    assert answer(OnePassPaginator(rows, 3), how, number) == answer(Paginator(rows, 3), how, number)


def test_rows_as_values_with_their_total_in_one_statement(clients):
    paginator = OnePassPaginator(clients.values_list("pk", "name"), 3)
    assert rows_read(paginator, 2) == 1
    assert paginator.count == 7
    assert [name for _, name in paginator.get_page(3)] == ["Client 06"]


@pytest.mark.parametrize("how", ["page", "get_page"])
@pytest.mark.parametrize("number", [1, 2, "x"])
def test_an_empty_list(practice_a, how, number):
    empty = Client.objects.for_practice(practice_a).order_by("name", "pk")
    assert answer(OnePassPaginator(empty, 3), how, number) == answer(Paginator(empty, 3), how, number)


def reads(ctx) -> int:
    """The statements that read rows (not row-level security's settings on PostgreSQL)."""
    return sum(
        1 for q in ctx.captured_queries if "set_config" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    )


def rows_read(paginator, number):
    with CaptureQueriesContext(connection) as ctx:
        list(paginator.get_page(number))
    return reads(ctx)


def test_a_page_and_its_total_in_one_statement(clients):
    assert rows_read(OnePassPaginator(clients, 3), 2) == 1
    assert rows_read(OnePassPaginator(clients, 3), 1) == 1
    assert rows_read(OnePassPaginator(clients.filter(name="nobody"), 3), 1) == 1  # page 1 empty: total 0
    assert rows_read(Paginator(clients, 3), 2) == 2


def test_past_the_end_the_count_says_where_the_end_is(clients):
    paginator = OnePassPaginator(clients, 3)
    with CaptureQueriesContext(connection) as ctx:
        page = paginator.get_page(9)
        names = [c.name for c in page]
    assert page.number == 3 and names == ["Client 06"]
    assert reads(ctx) == 3  # the empty page, the count, the last page


def test_a_distinct_queryset_is_counted_apart(practice_a, clients):
    for client in clients[:2]:
        ContactFactory(client=client)
        ContactFactory(client=client)
    joined = clients.filter(contacts__in=Contact.objects.for_practice(practice_a)).distinct()
    paginator = OnePassPaginator(joined, 10)
    assert rows_read(paginator, 1) == 2
    assert paginator.count == 2


def test_a_filter_on_an_annotation_counts_as_it_filters(practice_a, clients):
    for client in clients[:3]:
        ContactFactory(client=client)
    contacts = Contact.objects.for_practice(practice_a).filter(client=OuterRef("pk")).order_by()
    with_contacts = clients.annotate(
        contacts_n=Subquery(contacts.values("client").annotate(n=Count("pk")).values("n"))
    ).filter(contacts_n__gt=0)
    paginator = OnePassPaginator(with_contacts, 2)
    page = paginator.get_page(1)
    assert paginator.count == 3 and [c.contacts_n for c in page] == [1, 1]
    assert answer(OnePassPaginator(with_contacts, 2), "page", 2) == answer(
        Paginator(with_contacts, 2), "page", 2
    )


def test_the_api_answers_a_page_beyond_any_offset_with_a_404(api, api_key_a, clients):
    """Found by the API fuzzer: `?page=2645855561076070940672` made an OFFSET PostgreSQL cannot hold."""
    http = api(api_key_a[1])
    assert http.get(f"/api/v1/clients/?page={2**80}").status_code == 404
