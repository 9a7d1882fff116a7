"""PostgreSQL row-level security in the test suite.

The suite connects as `postgres` (a superuser, who bypasses RLS) so that factories can write any
practice's rows. Every request made with Django's test client (pages and API) or to the live
server of the browser tests runs as the application role instead: `SET ROLE vcio_app` when the
request starts, `RESET ROLE` when it ends (after a streamed body has been read). So on PostgreSQL
the whole suite proves that every page and endpoint works under row-level security, with the
policies and grants `migrate` set up.

The role statements go through the raw DB-API connection: they are the harness's, not the app's,
and are not counted by `django_assert_num_queries`.
"""

import threading
import time
from contextlib import contextmanager, suppress

import pytest
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, connection

APP_ROLE = "vcio_app"
DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def set_role(role: str | None) -> None:
    """SET ROLE (or RESET ROLE) on the test connection, unseen by query counts."""
    if role:
        connection.ensure_connection()
    elif connection.connection is None:
        return
    with connection.connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {connection.ops.quote_name(role)}" if role else "RESET ROLE")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, plus (on PostgreSQL) the application role with its grants in it,
    committed before any test's transaction starts. Roles are per cluster: test workers running at
    the same time may race to create it, hence the retries."""
    if on_postgresql():
        from vcio.rls import create_app_role

        with django_db_blocker.unblock():
            for attempt in range(5):
                try:
                    create_app_role(APP_ROLE)
                    break
                except DatabaseError:
                    if attempt == 4:
                        raise
                    time.sleep(0.2 * (attempt + 1))


@pytest.fixture
def app_role(django_db_setup):
    """The application role's name on PostgreSQL (None on SQLite)."""
    return APP_ROLE if on_postgresql() else None


_in_flight = {"count": 0}
_in_flight_lock = threading.Lock()


def _start(sender, **kwargs):
    from django.core.handlers.base import BaseHandler

    # The test client's handler, or the live server's (each of its requests has a thread and a
    # connection of its own, closed after the request).
    if isinstance(sender, type) and issubclass(sender, BaseHandler):
        with _in_flight_lock:
            _in_flight["count"] += 1
        set_role(APP_ROLE)


def wait_for_requests_to_finish(timeout: float = 10.0) -> None:
    """For the browser tests: a request still running in the live server holds its transaction's locks
    (requests are transactions on PostgreSQL), and the flush after the test would deadlock with it."""
    deadline = time.monotonic() + timeout
    while _in_flight["count"] > 0 and time.monotonic() < deadline:
        time.sleep(0.05)


def _finish(sender, **kwargs):
    with _in_flight_lock:
        _in_flight["count"] = max(0, _in_flight["count"] - 1)
    # request_finished's sender is the response class; only the test client's thread has the role set.
    with suppress(DatabaseError):  # an aborted test transaction: its rollback ends the role too
        set_role(None)


@pytest.fixture(autouse=True)
def _requests_as_app_role(request):
    """On PostgreSQL, every request of a test using the database (test client or live server) runs as
    the app role."""
    if not (on_postgresql() and DB_FIXTURES & set(request.fixturenames)):
        yield
        return
    _in_flight["count"] = 0
    request_started.connect(_start, dispatch_uid="tests.rls.start")
    request_finished.connect(_finish, dispatch_uid="tests.rls.finish")
    try:
        yield
    finally:
        request_started.disconnect(dispatch_uid="tests.rls.start")
        request_finished.disconnect(dispatch_uid="tests.rls.finish")
        with suppress(DatabaseError):  # a streamed body never read (a test's rollback resets it too)
            set_role(None)


def rls_statements(kind: str = "page") -> int:
    """What a request adds to a query count on PostgreSQL under this harness (0 on SQLite), for tests
    that assert an exact number: the request's transaction is a savepoint inside the test's (SAVEPOINT
    and RELEASE; a real request's BEGIN and COMMIT are not counted), one statement for the request's
    settings and one for the practice; an API-key request also spans practices for the key lookup
    (on and off), which a page does not."""
    if not on_postgresql():
        return 0
    return {"page": 4, "api_key": 6}[kind]


@contextmanager
def as_app_role():
    """Run the enclosed ORM code on the test connection as the application role."""
    set_role(APP_ROLE)
    try:
        yield
    finally:
        with suppress(DatabaseError):
            set_role(None)


@contextmanager
def requests_as_owner():
    """Test-client requests in this block run as the tables' owner (a superuser: no RLS) — for the
    control half of a test that shows what RLS stops."""
    connected = request_started.disconnect(dispatch_uid="tests.rls.start")
    try:
        yield
    finally:
        if connected:
            request_started.connect(_start, dispatch_uid="tests.rls.start")
