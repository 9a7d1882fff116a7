"""`paginate_kept` answers as `paginate` does for every client of every practice, its page's statement
compiled once (`vcio.kept`); what cannot be kept — a build reading more of the client, rows the ORM
makes more of, a constant date — goes through the ORM."""

from datetime import date

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from clients.models import Contact
from tests.factories import ClientFactory, ContactFactory
from vcio import kept
from vcio.listing import paginate, paginate_kept

pytestmark = pytest.mark.django_db

PAGE_PARAMS = [None, "1", "2", "3", "4", "01", "0", "-1", "x", "", "1.0", "2.5", "٢", "²", "11", str(2**80)]


def contacts(client):
    return Contact.objects.for_client(client).order_by("name", "pk")


@pytest.fixture
def clients(practice_a, practice_b):
    """Three clients of two practices, with 7, 4 and 0 contacts."""
    made = [
        ClientFactory(practice=practice_a),
        ClientFactory(practice=practice_a),
        ClientFactory(practice=practice_b),
    ]
    for client, count in zip(made, (7, 4, 0), strict=True):
        for i in range(count):
            ContactFactory(client=client, name=f"{client.name[:20]} contact {i:02}")
    kept.KEPT.clear()
    yield made
    kept.KEPT.clear()


def request(page):
    return RequestFactory().get("/", {} if page is None else {"page": page})


def answer(page):
    return (
        [(c.pk, c.name, c.client_id, c.practice_id) for c in page.object_list],
        page.number,
        page.paginator.count,
        page.paginator.num_pages,
        page.has_previous(),
        page.has_next(),
        page.start_index(),
        page.end_index(),
        page.param,
    )


def kept_statements(key):
    return {k: v for k, v in kept.KEPT.items() if k[:2] == ("list-page", key)}


@pytest.mark.parametrize("param", PAGE_PARAMS)
def test_each_client_of_each_practice_gets_what_the_orm_answers(clients, param):
    for client in clients + clients:  # the second round runs what the first kept
        ours = paginate_kept(request(param), "contacts", client, contacts, per_page=3)
        assert answer(ours) == answer(paginate(request(param), contacts(client), per_page=3))
        assert {c.client_id for c in ours.object_list} <= {client.pk}


def test_a_kept_page_is_one_statement_and_no_compilation(clients, monkeypatch):
    first, second, _ = clients
    paginate_kept(request("2"), "contacts", first, contacts, per_page=3)
    assert [v is not None for v in kept_statements("contacts").values()] == [True]

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(SQLCompiler, "as_sql", no_compiling)
    with CaptureQueriesContext(connection) as ctx:
        page = paginate_kept(request("2"), "contacts", second, contacts, per_page=3)
    reads = [q for q in ctx.captured_queries if "set_config" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
    assert len(reads) == 1
    assert [c.name for c in page.object_list] == [f"{second.name[:20]} contact 03"]
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (2, 4, 2)


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda c: contacts(c).filter(title=c.name), id="reads-the-clients-name"),
        pytest.param(lambda c: contacts(c).prefetch_related("client"), id="prefetches"),
        pytest.param(lambda c: contacts(c).filter(created_at__date__lte=date.today()), id="todays-date"),
        pytest.param(lambda c: contacts(c).values("pk", "name"), id="values-rows"),
    ],
)
def test_what_cannot_be_kept_goes_through_the_orm(clients, build):
    first, second, _ = clients
    for client in (first, second):
        ours = paginate_kept(request("1"), "other", client, build, per_page=3)
        theirs = paginate(request("1"), build(client), per_page=3)
        assert list(ours.object_list) == list(theirs.object_list)
        assert ours.paginator.count == theirs.paginator.count
    assert list(kept_statements("other").values()) == [None]


def test_a_list_of_tuples_is_answered_by_the_orm(clients):
    """A `values_list()` page's statement can be kept (for `kept_rows`), but a page is made of model
    instances: the list goes through the ORM, answer for answer, never a 500."""
    first, second, _ = clients

    def build(client):
        return contacts(client).values_list("pk", "name")

    for client in (first, second, first):
        ours = paginate_kept(request("2"), "tuples", client, build, per_page=3)
        theirs = paginate(request("2"), build(client), per_page=3)
        assert list(ours.object_list) == list(theirs.object_list) and ours.object_list
        assert ours.paginator.count == theirs.paginator.count


def test_a_prefetch_still_prefetches(clients):
    """Were the prefetch kept, its rows would come without it: a query per row."""
    first, _, _ = clients
    page = paginate_kept(request("1"), "prefetching", first, lambda c: contacts(c).prefetch_related("client"))
    with CaptureQueriesContext(connection) as ctx:
        names = {c.client.name for c in page.object_list}
    assert names == {first.name}
    assert len(ctx.captured_queries) == 0


def test_the_first_pages_only_are_kept(clients):
    first, _, _ = clients
    for number in range(1, 13):
        page = paginate_kept(request(str(number)), "one-a-page", first, contacts, per_page=1)
        assert page.number == min(number, 7)  # past the end: the last page, as the ORM answers
    assert sorted(k[4] for k in kept_statements("one-a-page")) == list(range(1, 11))


def test_a_practices_list_is_kept_for_any_practice(practice_a, practice_b, owner_a, admin_a, owner_b):
    """A practice's list (its members): the practice's id is the one slot."""
    from accounts.member_selectors import members

    def build(practice):
        return members(practice=practice)

    kept.KEPT.clear()
    for practice in (practice_a, practice_b, practice_a):
        ours = paginate_kept(request("1"), "members", practice, build, per_page=1)
        theirs = paginate(request("1"), build(practice), per_page=1)
        assert [m.pk for m in ours.object_list] == [m.pk for m in theirs.object_list]
        assert ours.paginator.count == theirs.paginator.count == (2 if practice == practice_a else 1)
        assert {m.practice_id for m in ours.object_list} == {practice.pk}
        assert ours.object_list[0].user.email == theirs.object_list[0].user.email  # select_related
    assert [v is not None for v in kept_statements("members").values()] == [True]
    kept.KEPT.clear()


def test_a_date_time_is_a_value_of_the_kept_statement(clients):
    """`now` given as a value (the Meetings list as it opens: from now on) is bound on every call,
    never kept as the first call's constant."""
    from datetime import UTC, datetime

    from django.utils import timezone

    first, second, _ = clients
    older = Contact.objects.filter(client=first).order_by("name")[:3]
    Contact.objects.filter(pk__in=[c.pk for c in older]).update(created_at=datetime(2020, 1, 1, tzinfo=UTC))

    def build(client, now):
        return contacts(client).filter(created_at__lte=now)

    for client, now, count in [
        (first, timezone.now(), 7),
        (first, datetime(2021, 1, 1, tzinfo=UTC), 3),
        (second, timezone.now(), 4),
        (first, datetime(2019, 1, 1, tzinfo=UTC), 0),
    ]:
        ours = paginate_kept(request("1"), "until", client, build, per_page=5, values=[now])
        theirs = paginate(request("1"), build(client, now), per_page=5)
        assert answer(ours) == answer(theirs)
        assert ours.paginator.count == count
    assert [v is not None for v in kept_statements("until").values()] == [True]


def test_a_value_of_another_kind_is_not_kept(clients):
    first, _, _ = clients
    page = paginate_kept(
        request("1"), "titled", first, lambda c, title: contacts(c).filter(title=title), values=["CEO"]
    )
    assert page.paginator.count == 7
    assert list(kept_statements("titled").values()) == [None]


def test_a_date_time_value_is_bound_as_the_orm_binds_it(clients):
    """An aware date-time off UTC: SQLite compares text, so the value must be adapted (to UTC) as the
    ORM adapts it, on every call — not only when the statement was kept."""
    from datetime import UTC, datetime, timedelta, timezone

    first, _, _ = clients
    a, b, *_ = Contact.objects.filter(client=first).order_by("name")
    Contact.objects.filter(pk=a.pk).update(created_at=datetime(2020, 12, 31, 18, tzinfo=UTC))
    Contact.objects.filter(pk=b.pk).update(created_at=datetime(2020, 12, 31, 20, tzinfo=UTC))

    def build(client, now):
        return contacts(client).filter(created_at__lte=now)

    paginate_kept(request("1"), "adapted", first, build, values=[datetime(2030, 1, 1, tzinfo=UTC)])
    five_hours_east = timezone(timedelta(hours=5))
    now = datetime(2021, 1, 1, tzinfo=five_hours_east)  # 19:00 UTC: after a, before b
    ours = paginate_kept(request("1"), "adapted", first, build, values=[now])
    assert [c.pk for c in ours.object_list] == [a.pk]
    assert answer(ours) == answer(paginate(request("1"), build(first, now)))
