"""Prepared reads (`vcio.prepared`): the session, the signed-in user and the user's memberships are
read on every page by statements compiled once — the ORM's own statements, answered with the same
values (converted as the ORM converts them, on SQLite and PostgreSQL alike); a query that cannot be
prepared goes through the ORM."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.access import MEMBERSHIPS_READ, _memberships_of, resolve_membership
from accounts.auth_backends import USER_READ, ModelBackend
from accounts.models import Membership, Practice, User
from clients.mixins import _client_read
from clients.models import Client
from tests.factories import PracticeFactory
from vcio.prepared import Prepared
from vcio.sessions import SESSION_READ, SessionStore

pytestmark = pytest.mark.django_db


def _values(obj) -> dict:
    """Every column's value with its Python type: a UUID, a datetime and a boolean stay what they are
    (SQLite answers them as text and integers; the converters make them so)."""
    return {
        f.attname: (getattr(obj, f.attname), type(getattr(obj, f.attname))) for f in obj._meta.concrete_fields
    }


def test_the_memberships_read_is_the_orms_statement_and_answer(owner_a, practice_b):
    Membership.objects.create(practice=practice_b, user=owner_a, role="viewer")
    expected = list(_memberships_of(owner_a.pk))
    orm_sql = str(_memberships_of(owner_a.pk).query)
    with CaptureQueriesContext(connection) as queries:
        found = MEMBERSHIPS_READ.instances(owner_a.pk)
    assert len(queries) == 1
    assert [m.pk for m in found] == [m.pk for m in expected] and len(found) == 2
    for got, want in zip(found, expected, strict=True):
        assert _values(got) == _values(want)
        with CaptureQueriesContext(connection) as queries:
            practice = got.practice  # read with it, as select_related reads it
        assert not queries and _values(practice) == _values(want.practice)
    # the same statement as the ORM's (its parameter is the only difference)
    assert queries_sql_shape(orm_sql) == queries_sql_shape(
        MEMBERSHIPS_READ._compiled[("default", connection.vendor)].sql
    )


def queries_sql_shape(sql: str) -> str:
    return " ".join(sql.replace('"', "").split()).split(" WHERE ")[0]


def test_the_user_read_answers_the_orms_user(owner_a):
    (found,) = USER_READ.instances(owner_a.pk)
    assert _values(found) == _values(User.objects.get(pk=owner_a.pk))
    assert ModelBackend().get_user(owner_a.pk) == owner_a
    owner_a.is_active = False
    owner_a.save()
    assert ModelBackend().get_user(owner_a.pk) is None  # Django's rule: an inactive user is nobody
    assert USER_READ.instances(PracticeFactory().pk) == []


def test_the_session_read_answers_a_live_session_and_nothing_for_an_expired_one(client, owner_a):
    client.force_login(owner_a)
    key = client.cookies["sessionid"].value
    store = SessionStore(key)
    assert store.load()["_auth_user_id"] == str(owner_a.pk)
    (found,) = SESSION_READ.instances(key, timezone.now())
    assert found.session_data == Session.objects.get(session_key=key).session_data
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    store = SessionStore(key)
    assert store.load() == {} and store.session_key is None
    # a signed-in page: the expired session signs the user out
    response = client.get(reverse("practice_home", args=[owner_a.memberships.get().practice.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_signed_in_page_reads_session_user_and_memberships_once_each(client, owner_a, practice_a):
    client.force_login(owner_a)
    url = reverse("clients:list", args=[practice_a.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    tables = [q["sql"].split(" FROM ", 1)[1].split()[0] for q in queries if " FROM " in q["sql"]]
    assert tables[:3] == ['"django_session"', '"accounts_user"', '"accounts_membership"']
    membership, memberships = resolve_membership(owner_a, practice_a.slug)
    assert membership.practice == practice_a and memberships == [membership]


def test_a_query_that_cannot_be_prepared_goes_through_the_orm(practice_a):
    # `icontains` sends "%value%", not the value: the statement does not take it as given
    by_name = Prepared(
        lambda name: Practice.objects.filter(name__icontains=name), [Practice._meta.get_field("name")]
    )
    assert by_name.instances(practice_a.name[:3]) is None
    assert by_name._compiled[("default", connection.vendor)] is None  # and it is not tried again
    # a None is compared with IS NULL by the ORM: never bound
    by_id = Prepared(lambda pk: Practice.objects.filter(pk=pk), [Practice._meta.pk])
    assert by_id.instances(None) is None and by_id._compiled == {}
    assert [p.pk for p in by_id.instances(practice_a.pk)] == [practice_a.pk]


def test_the_client_read_answers_the_orms_client_with_or_without_its_consultant(
    practice_a, practice_b, client_a1, owner_a
):
    read = _client_read(("primary_consultant",))
    for consultant in (None, owner_a):
        client_a1.primary_consultant = consultant
        client_a1.save()
        (found,) = read.instances(practice_a.pk, client_a1.pk)
        want = Client.objects.select_related("primary_consultant").get(pk=client_a1.pk)
        assert _values(found) == _values(want)
        with CaptureQueriesContext(connection) as queries:
            got = found.primary_consultant  # read with it (an outer join), even when there is none
        assert not queries and (got and _values(got)) == (
            want.primary_consultant and _values(want.primary_consultant)
        )
    assert read.instances(practice_b.pk, client_a1.pk) == []  # another practice's: nothing, a 404
