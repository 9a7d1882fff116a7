"""A history list over many sources (a client's History tab) finds its page in one statement and then
loads only the versions it shows (`_page_in_two_steps`). It must give the very page — order, ties,
previous versions, the "older" cursor — that reading every source in full gives (`_page_in_one_step`);
and "Show older changes" must walk every version once, however many share a timestamp."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clients import services
from clients.models import Client, Contact
from vcio import history
from vcio.history import _SOURCES, _filtered, _page_in_one_step, _page_in_two_steps

pytestmark = pytest.mark.django_db


def page_key(shown, older):
    return [(source.label, r.history_id, r.previous_history_id) for source, r in shown], older


@pytest.fixture
def busy_client(owner_a, client_a1):
    """A client whose history spans two sources, with versions sharing a timestamp across them."""
    contacts = [
        services.contact_create(client=client_a1, actor=owner_a, name=f"Contact {i}") for i in range(3)
    ]
    for i in range(9):
        services.client_update(client=client_a1, actor=owner_a, headcount=100 + i)
        services.contact_update(contact=contacts[i % 3], actor=owner_a, title=f"Title {i}")
    moment = timezone.now() - timedelta(minutes=5)
    # a tie across the sources, in the middle of the list, and another at its very end
    ids = list(
        Client.history.filter(id=client_a1.pk).order_by("-history_date").values_list("history_id", flat=True)
    )
    Client.history.filter(history_id__in=ids[3:6]).update(history_date=moment)
    first = (
        Contact.history.filter(id=contacts[1].pk)
        .order_by("-history_date")
        .values_list("history_id", flat=True)
    )
    Contact.history.filter(history_id__in=list(first)[:2]).update(history_date=moment)
    oldest = timezone.now() - timedelta(days=30)
    Contact.history.filter(history_type="+").update(history_date=oldest)
    dates = list(Client.history.values_list("history_date", flat=True))
    dates += list(Contact.history.values_list("history_date", flat=True))
    assert dates.count(moment) == 5 and dates.count(oldest) == 3
    return client_a1


def sources_of(client, **filters):
    return [(s, _filtered(s.rows(client), n, **filters)) for n, s in enumerate(_SOURCES)]


NO_FILTERS = {"user_id": None, "date_from": None, "date_to": None, "before": None}


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 5, 7, 25, 100])
def test_every_page_is_the_one_reading_every_source_gives(busy_client, limit):
    before, seen = None, []
    while True:
        sources = sources_of(busy_client, **{**NO_FILTERS, "before": before})
        one = page_key(*_page_in_one_step(sources, limit))
        two = page_key(*_page_in_two_steps(sources, limit))
        assert two == one
        assert two[0], "a page is never empty while there is an older cursor"
        seen += [(label, history_id) for label, history_id, _ in two[0]]
        if two[1] is None:
            break
        before = history.parse_before(two[1])
    everything = [(s.label, r.history_id) for s in _SOURCES for r in s.rows(busy_client)]
    assert len(everything) == 22  # the client: created and 9 changes; 3 contacts: created and 3 changes each
    assert sorted(seen) == sorted(everything)  # page by page, every version once


def test_filters_give_the_same_page(busy_client, owner_a, consultant_a):
    today = timezone.localdate()
    for filters in (
        {**NO_FILTERS, "user_id": owner_a.pk},
        {**NO_FILTERS, "user_id": consultant_a.pk},  # nothing: an empty page, no cursor
        {**NO_FILTERS, "date_from": today},
        {**NO_FILTERS, "date_to": today - timedelta(days=1)},
    ):
        sources = sources_of(busy_client, **filters)
        assert page_key(*_page_in_two_steps(sources, 6)) == page_key(*_page_in_one_step(sources, 6))


def test_the_client_history_tab_reads_its_sources_in_one_statement(
    as_owner_a, busy_client, django_assert_max_num_queries
):
    from django.urls import reverse

    url = reverse("clients:history", kwargs={"practice_slug": "alpha", "client_pk": busy_client.pk})
    as_owner_a.get(url)
    with django_assert_max_num_queries(len(_SOURCES)) as queries:  # one per source was the old way
        response = as_owner_a.get(url)
    unions = [q["sql"] for q in queries.captured_queries if " UNION ALL " in q["sql"]]
    assert len(unions) == 1
    assert unions[0].count(" UNION ALL ") == len(_SOURCES) - 1
    assert "Headcount" in response.content.decode()


def test_versions_sharing_a_timestamp_are_split_across_pages_without_a_gap(as_owner_a, owner_a, client_a1):
    """An import writes many versions at one timestamp: more than a page of them is walked in full."""
    from django.urls import reverse

    from vcio.history import HISTORY_PAGE_SIZE

    contacts = [
        services.contact_create(client=client_a1, actor=owner_a, name=f"Imported {i}")
        for i in range(HISTORY_PAGE_SIZE + 10)
    ]
    moment = timezone.now() - timedelta(hours=1)
    Contact.history.filter(id__in=[c.pk for c in contacts]).update(history_date=moment)
    url = reverse("clients:history", kwargs={"practice_slug": "alpha", "client_pk": client_a1.pk})
    seen, cursor = [], None
    for _ in range(5):
        response = as_owner_a.get(url, {"before": cursor} if cursor else {})
        seen += [entry["object"] for entry in response.context["entries"]]
        cursor = response.context["entries"].older
        if cursor is None:
            break
    imported = sorted(e for e in seen if e.startswith("Imported"))
    assert imported == sorted(c.name for c in contacts)  # each once: none skipped, none repeated


def test_a_version_deleted_between_the_two_statements_is_left_out(busy_client, monkeypatch):
    """A purge may delete a version after the first statement found it and before its source loads it."""
    sources = sources_of(busy_client, **NO_FILTERS)
    full, _ = _page_in_two_steps(sources, 5)
    gone_source, gone = full[2]
    load = history._with_previous

    def load_after_a_purge(source, qs):
        type(gone)._default_manager.filter(history_id=gone.history_id).delete()
        return load(source, qs)

    monkeypatch.setattr(history, "_with_previous", load_after_a_purge)
    shown, older = _page_in_two_steps(sources, 5)
    expected = [
        (s.label, r.history_id) for s, r in full if r.history_id != gone.history_id or s != gone_source
    ]
    assert [(s.label, r.history_id) for s, r in shown] == expected
    assert older is not None and older.endswith(f"~{full[-1][1].history_id}")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "2026-11-27T10:00:00+00:00",
            "2026-11-27T10:00:00+00:00",
        ),  # a link from before cursors had a position
        ("2026-11-27T10:00:00 00:00~3~120", "2026-11-27T10:00:00+00:00~3~120"),  # "+" arrives as a space
        ("2026-11-27T10:00:00+00:00~3", None),
        ("2026-11-27T10:00:00+00:00~-1~5", None),
        ("2026-11-27T10:00:00+00:00~a~5", None),
        ("2026-11-27T10:00:00~3~120", None),  # naive
        ("yesterday", None),
        ("", None),
    ],
)
def test_cursor_parsing(value, expected):
    cursor = history.parse_before(value)
    assert (str(cursor) if cursor else None) == expected


@pytest.mark.parametrize("position", ["1~99999999999999999999999", "99999999999999999999999~5", "0~0"])
def test_an_absurd_cursor_is_a_page_not_an_error(as_owner_a, busy_client, position):
    from django.urls import reverse

    url = reverse("clients:history", kwargs={"practice_slug": "alpha", "client_pk": busy_client.pk})
    response = as_owner_a.get(url, {"before": f"{timezone.now().isoformat()}~{position}"})
    assert response.status_code == 200


def entries_key(entries):
    return [
        (e["kind"], e["object"], e["action"], e["date"], e["changes"], e["user"]) for e in entries
    ], entries.older


def kept(kind):
    return [v for k, v in history._KEPT.items() if k[0] == kind]


def record_key(r):
    return (
        type(r),
        r.history_id,
        r.previous_history_id,
        {f.attname: getattr(r, f.attname) for f in r._meta.concrete_fields},
    )


def test_the_kept_statements_find_and_load_the_page_of_every_client(
    busy_client, client_a2, canary_client_b, owner_a, owner_b
):
    """The tab's first page runs statements compiled once (`_kept`): for each client, of either
    practice, and each page size, the page is the one the ORM path gives, version for version."""
    services.client_update(client=client_a2, actor=owner_a, headcount=7)
    services.client_update(client=canary_client_b, actor=owner_b, headcount=9)
    history._KEPT.clear()
    for limit in (5, 1, 25):
        for client in (busy_client, client_a2, canary_client_b, busy_client):
            page = history.client_history(client=client, limit=limit)
            orm = history.merged_history([(s, s.rows(client)) for s in _SOURCES], limit=limit)
            assert entries_key(page) == entries_key(orm)
            assert page
    assert len(kept("page")) == 3 and None not in kept("page")  # kept, and used
    assert kept("load") and None not in kept("load")
    # the earlier versions and the users who made the changes: kept too
    assert kept("history.previous") and None not in kept("history.previous")
    assert kept("history.users") and None not in kept("history.users")
    from django.db import connection

    for key, loader in list(history._KEPT.items()):
        if key[0] != "load":
            continue
        _, _, _, source_id, count = key
        source = next(s for s in _SOURCES if id(s) == source_id)
        ids = list(
            source.rows(busy_client).order_by("-history_id").values_list("history_id", flat=True)[:count]
        )
        if len(ids) == count:
            mine = loader.instances(busy_client, ids, connection)
            theirs = history._versions(source, source.rows(busy_client), ids)
            assert sorted(map(record_key, mine), key=str) == sorted(map(record_key, theirs), key=str)


def test_a_source_reading_more_of_the_client_is_not_kept(busy_client, client_a2, owner_a, monkeypatch):
    """A source whose rows depend on more than the client's and its practice's ids (here its name)
    must not be run with a statement compiled for another client: the ORM path reads it."""
    services.client_update(client=client_a2, actor=owner_a, headcount=7)
    by_name = history.HistorySource(
        "Named", lambda c: Client.history.filter(practice_id=c.practice_id, name=c.name)
    )
    monkeypatch.setattr(history, "_SOURCES", [*_SOURCES, by_name])
    history._KEPT.clear()
    for client in (busy_client, client_a2):
        page = history.client_history(client=client)
        orm = history.merged_history([(s, s.rows(client)) for s in history._SOURCES])
        assert entries_key(page) == entries_key(orm)
    assert kept("page") == [None]


def test_a_filtered_or_older_page_is_not_the_kept_statements(busy_client, owner_a):
    history._KEPT.clear()
    first = history.client_history(client=busy_client, limit=5)
    older = history.client_history(client=busy_client, limit=5, before=history.parse_before(first.older))
    mine = history.client_history(client=busy_client, limit=5, user_id=owner_a.pk)
    assert older and older[0]["date"] <= first[-1]["date"]
    assert entries_key(mine) == entries_key(
        history.merged_history([(s, s.rows(busy_client)) for s in _SOURCES], limit=5, user_id=owner_a.pk)
    )
    assert len(kept("page")) == 1


def test_a_source_whose_statement_depends_on_which_client_is_not_kept(
    busy_client, client_a2, owner_a, monkeypatch
):
    """A source that writes another statement for another client (here: only the busy client's
    contacts whoever changed them, any other client's only those changed without a user) must not run
    the busy client's statement for the others: the stand-in builds the other one, and the page is not
    kept."""
    services.contact_create(client=client_a2, actor=owner_a, name="Changed by a user")

    def by_client(c):
        rows = Contact.history.filter(practice_id=c.practice_id, client_id=c.pk)
        return rows if c.pk == busy_client.pk else rows.filter(history_user__isnull=True)

    monkeypatch.setattr(history, "_SOURCES", [*_SOURCES[:-1], history.HistorySource("Mine", by_client)])
    history._KEPT.clear()
    for client in (busy_client, client_a2):
        page = history.client_history(client=client)
        orm = history.merged_history([(s, s.rows(client)) for s in history._SOURCES])
        assert entries_key(page) == entries_key(orm)
    assert kept("page") == [None]
