"""PostgreSQL row-level security (vcio.rls, vcio.tenancy): the database itself refuses what a forgotten
practice filter would leak.

Most tests run on PostgreSQL only (SQLite has no row-level security); they act as the application
role (`SET ROLE vcio_app`, which owns no table and is no superuser), while factories write as the
tables' owner. The "control" half of the request tests makes the same request as the owner, to show
that the planted bug really leaks without RLS. A few tests of `vcio.tenancy` run on both databases.
"""

import io
import logging
import os
import subprocess
import sys
import uuid
import zoneinfo
from decimal import Decimal

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import DatabaseError, connection, transaction
from django.db.models import Value
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiKey, Membership
from clients.models import Client, Contact
from roadmaps.models import Initiative
from vcio import rls
from vcio.tenancy import all_practices, practice_context

from .factories import ContactFactory, InitiativeFactory, UserFactory
from .rls_support import APP_ROLE, as_app_role, requests_as_owner

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row-level security is PostgreSQL's; SQLite (the embedded default) has none — "
    "run with DATABASE_URL=postgres://…",
)
CANARY = "CANARY-Bravo-Client"


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


@pytest.fixture
def world(practice_a, practice_b, client_a1, client_a2, canary_client_b, app_role):
    practice_a.time_zone, practice_b.time_zone = "America/New_York", "Pacific/Auckland"
    practice_a.save()
    practice_b.save()
    ContactFactory(client=client_a1, name="Alice Own-Contact")
    return practice_a, practice_b


# --- every tenant table has RLS, FORCE and its policy (and a table without one is reported) --------


@postgresql_only
def test_every_tenant_table_has_rls_force_and_its_policy():
    rows = {row.table: row for row in rls.status()}
    model_tables = {t.table for t in rls.tenant_tables()}

    assert model_tables <= set(rows)
    for expected in (
        "clients_client",
        "clients_historicalclient",  # audit history
        "roadmaps_initiativegoal",  # a many-to-many through table
        "roadmaps_historicalinitiativegoal",
        "accounts_apikey",
        "accounts_invitation",
    ):
        assert expected in rows, expected
    assert [row.table for row in rows.values() if not row.ok] == []
    assert all(row.rls and row.force and row.policy for row in rows.values())
    # the read-only "own rows" policy where the model asks for it (and on its history table)
    for table in (
        "accounts_membership",
        "accounts_historicalmembership",
        "clients_portalaccess",
        "clients_historicalportalaccess",
    ):
        assert rows[table].user_policy is True, table
    assert rows["clients_client"].user_policy is None
    call_command("rls_status", stdout=io.StringIO())  # exits 0: no SystemExit


@postgresql_only
def test_a_table_without_a_policy_fails_the_check(capsys):
    with connection.cursor() as cursor:  # a new table with a practice column and no policy
        cursor.execute("CREATE TABLE rls_probe_unguarded (id serial PRIMARY KEY, practice_id uuid NOT NULL)")

    row = next(row for row in rls.status() if row.table == "rls_probe_unguarded")
    assert (row.label, row.rls, row.force, row.policy, row.ok) == ("(no model)", False, False, False, False)
    with pytest.raises(SystemExit) as exit_info:
        call_command("rls_status")
    assert exit_info.value.code == 1
    assert "rls_probe_unguarded" in capsys.readouterr().err


@postgresql_only
def test_migrate_puts_back_a_missing_policy_by_the_same_mechanism_and_is_idempotent():
    with connection.cursor() as cursor:
        cursor.execute("DROP POLICY tenant_isolation ON roadmaps_initiativegoal")
        cursor.execute("ALTER TABLE roadmaps_initiativegoal NO FORCE ROW LEVEL SECURITY")
        cursor.execute("DROP POLICY tenant_user_read ON accounts_membership")
    broken = {row.table for row in rls.status() if not row.ok}
    assert broken == {"roadmaps_initiativegoal", "accounts_membership"}

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # what every migrate sends

    assert [row.table for row in rls.status() if not row.ok] == []
    assert rls.apply_policies() == []  # nothing left to do: no DDL on a second run


# --- the database refuses what the ORM forgot ----------------------------------------------------


@postgresql_only
def test_a_query_without_the_practice_filter_returns_no_row_of_another_practice(world):
    practice_a, practice_b = world
    with as_app_role():
        # no practice chosen: nothing at all (fail closed)
        assert Client.objects.count() == 0 and Contact.objects.count() == 0

        with practice_context(practice_a.pk):
            assert names(Client.objects.all()) == {"Acme Dental", "Apex Legal"}
            assert CANARY not in names(Client.history.all())
            assert "CANARY-Bravo-Contact" not in names(Contact.objects.all())
            with connection.cursor() as cursor:
                cursor.execute("SELECT name FROM clients_client")
                assert {name for (name,) in cursor.fetchall()} == {"Acme Dental", "Apex Legal"}

        with practice_context(practice_b.pk):
            assert names(Client.objects.all()) == {CANARY}


@postgresql_only
def test_writes_to_another_practices_rows_are_refused_by_the_database(world, client_a1, canary_client_b):
    practice_a, practice_b = world
    with as_app_role(), practice_context(practice_a.pk):
        # UPDATE and DELETE do not even see the row
        assert Client.objects.filter(pk=canary_client_b.pk).update(name="hijacked") == 0
        assert Contact.objects.filter(client_id=canary_client_b.pk).delete()[0] == 0
        # INSERT into another practice, and moving a row there, break the policy's WITH CHECK
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            Contact.objects.create(practice=practice_b, client=canary_client_b, name="planted")
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            Client.objects.filter(pk=client_a1.pk).update(practice=practice_b)

    canary_client_b.refresh_from_db()
    assert canary_client_b.name == CANARY
    assert Contact.objects.filter(client=canary_client_b).count() == 1
    assert Client.objects.get(pk=client_a1.pk).practice_id == practice_a.pk


@postgresql_only
def test_memberships_of_the_user_are_readable_across_practices_but_not_writable(world, owner_a, owner_b):
    practice_a, practice_b = world
    membership_b = Membership.objects.create(practice=practice_b, user=owner_a, role="viewer")
    with as_app_role(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('app.user_id', %s, true)", [str(owner_a.pk)])
        mine = set(Membership.objects.values_list("practice_id", flat=True))
        assert mine == {practice_a.pk, practice_b.pk}  # the practice switcher
        assert not Membership.objects.filter(user=owner_b).exists()  # not someone else's
        assert Membership.objects.filter(pk=membership_b.pk).update(role="owner") == 0  # read-only
    membership_b.refresh_from_db()
    assert membership_b.role == "viewer"


# --- all_practices(): the one audited way across ------------------------------------------------


@postgresql_only
def test_all_practices_sees_everything_logs_why_and_ends_with_the_block(world, caplog):
    caplog.set_level(logging.INFO, logger="vcio.tenancy.audit")
    with as_app_role():
        with all_practices("test: a census of every client"):
            assert names(Client.objects.all_practices()) == {"Acme Dental", "Apex Legal", CANARY}
        assert Client.objects.count() == 0  # off again after the block

        with pytest.raises(ValueError), all_practices("test: a block that fails"):
            raise ValueError
        assert Client.objects.count() == 0  # …also when the block raised

    records = [r for r in caplog.records if r.name == "vcio.tenancy.audit"]
    assert [r.levelno for r in records] == [logging.INFO, logging.INFO]
    assert "test: a census of every client" in records[0].getMessage()


def test_all_practices_needs_a_reason_and_the_queryset_method_needs_the_block(caplog):
    with pytest.raises(ValueError, match="reason"), all_practices(""):
        pass
    with pytest.raises(RuntimeError, match="all_practices"):
        Client.objects.all_practices()
    caplog.set_level(logging.INFO, logger="vcio.tenancy.audit")
    with all_practices("test: spanning on any database"):
        assert Client.objects.all_practices().model is Client
    assert "test: spanning on any database" in caplog.text


# --- requests as the app role: a planted unscoped query still shows only the practice's rows ---------


@postgresql_only
def test_client_list_page_with_an_unscoped_query_shows_only_the_practices_clients(
    world, as_owner_a, monkeypatch
):
    import clients.selectors

    def unscoped_client_list(*, practice, **filters):  # the bug: the practice filter forgotten
        qs = Client.objects.select_related("primary_consultant").annotate(contact_count=Value(0))
        return qs.order_by("name"), "name"

    monkeypatch.setattr(clients.selectors, "client_list", unscoped_client_list)
    url = reverse("clients:list", args=["alpha"])

    html = as_owner_a.get(url).content.decode()
    assert "Acme Dental" in html and "Apex Legal" in html
    assert CANARY not in html
    csv = b"".join(as_owner_a.get(url + "?format=csv").streaming_content).decode()
    assert "Acme Dental" in csv and CANARY not in csv

    with requests_as_owner():  # control: without RLS the planted bug leaks
        assert CANARY in as_owner_a.get(url).content.decode()


@postgresql_only
def test_client_overview_with_an_unscoped_query_shows_only_the_practices_contacts(
    world, as_owner_a, client_a1, monkeypatch
):
    import clients.selectors

    monkeypatch.setattr(clients.selectors, "client_contacts", lambda *, client: Contact.objects.all())
    url = reverse("clients:overview", args=["alpha", client_a1.pk])

    response = as_owner_a.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice Own-Contact" in html and "CANARY-Bravo-Contact" not in html

    with requests_as_owner():
        assert "CANARY-Bravo-Contact" in as_owner_a.get(url).content.decode()


@postgresql_only
def test_api_with_an_unscoped_queryset_answers_only_the_practices_initiatives(
    world, api, api_key_a, client_a1, canary_client_b, monkeypatch
):
    import roadmaps.selectors

    InitiativeFactory(client=client_a1, title="Alpha firewall refresh")
    InitiativeFactory(client=canary_client_b, title="CANARY-Bravo-Initiative")
    monkeypatch.setattr(
        roadmaps.selectors,
        "initiatives_of_practice",
        lambda *, practice, **_: roadmaps.selectors._ranked(
            Initiative.objects.select_related("owner", "sponsor", "client").prefetch_related("goals")
        ),
    )
    http = api(api_key_a[1])

    response = http.get("/api/v1/initiatives/")
    assert response.status_code == 200
    titles = [row["title"] for row in response.json()["results"]]
    assert titles == ["Alpha firewall refresh"]

    with requests_as_owner():
        assert "CANARY-Bravo-Initiative" in http.get("/api/v1/initiatives/").content.decode()


@postgresql_only
def test_the_django_admin_spans_practices_for_staff_and_says_so(world, login, caplog):
    caplog.set_level(logging.INFO, logger="vcio.tenancy.audit")
    staff = UserFactory(email="ops@vcio.example.com", is_staff=True, is_superuser=True)
    http = login(staff)

    html = http.get("/admin/clients/client/").content.decode()
    assert "Acme Dental" in html and CANARY in html
    assert http.get("/admin/clients/contact/add/").status_code == 200
    assert "Django admin: ops@vcio.example.com GET /admin/clients/client/" in caplog.text


# --- a request's settings end with its transaction (a pooled connection carries nothing over) ------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_practice_ends_with_the_request_and_a_streamed_export_still_sees_its_rows(
    practice_a, practice_b, client_a1, canary_client_b, as_owner_a, app_role
):
    url = reverse("clients:list", args=["alpha"])
    response = as_owner_a.get(url + "?format=csv")
    # the view's transaction is over (committed) before the body is streamed
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('app.practice_id', true)")
        assert cursor.fetchone()[0] in ("", None)
    csv = b"".join(response.streaming_content).decode()
    assert "Acme Dental" in csv and CANARY not in csv

    assert as_owner_a.get(url).status_code == 200
    with connection.cursor() as cursor:  # the next request on this connection starts with nothing
        cursor.execute(
            "SELECT current_setting('app.practice_id', true), current_setting('app.user_id', true),"
            " current_setting('app.all_practices', true), current_user"
        )
        practice_id, user_id, spanning, user = cursor.fetchone()
    assert (practice_id or "", user_id or "", spanning or "") == ("", "", "")
    assert user != APP_ROLE  # and the harness put the owner back


# --- tasks and commands -------------------------------------------------------------------------


def count_clients_task(*, practice_id) -> tuple[int, str]:
    """A task as the architecture wants them: ids in, everything scoped by the practice."""
    with practice_context(practice_id) as practice:
        return Client.objects.for_practice(practice).count(), timezone.get_current_timezone_name()


@postgresql_only
def test_practice_context_runs_a_task_in_its_practice(world):
    practice_a, practice_b = world
    with as_app_role():
        assert count_clients_task(practice_id=practice_a.pk) == (2, "America/New_York")
        assert count_clients_task(practice_id=practice_b.pk) == (1, "Pacific/Auckland")
        with practice_context(practice_a.pk):
            assert Client.objects.count() == 2  # even a query that forgets the filter
            with practice_context(practice_b.pk):
                assert names(Client.objects.all()) == {CANARY}
            assert Client.objects.count() == 2  # restored on leaving the inner one
        assert Client.objects.count() == 0


def test_practice_context_sets_and_restores_the_time_zone(practice_a):
    practice_a.time_zone = "Asia/Tokyo"
    practice_a.save()
    before = timezone.get_current_timezone_name()
    with practice_context(practice_a.pk) as practice:
        assert practice == practice_a
        assert timezone.get_current_timezone() == zoneinfo.ZoneInfo("Asia/Tokyo")
    assert timezone.get_current_timezone_name() == before


@postgresql_only
def test_commands_work_as_the_app_role(world, owner_a, capsys):
    with as_app_role():
        call_command("create_api_key", practice="alpha", name="RLS key", read_only=True)
        call_command("seed_demo", practice="RLS Demo Practice")
        call_command("seed_demo", practice="RLS Demo Practice", if_empty=True)
    out = capsys.readouterr().out
    assert out.count("OWNER olivia@rls-demo-practice.example.com") == 2  # seeded, then listed again
    assert ApiKey.objects.filter(practice=world[0], name="RLS key").exists()
    demo_clients = Client.objects.filter(practice__slug="rls-demo-practice")
    assert demo_clients.count() >= 3
    assert sum(i.one_time_cost for i in Initiative.objects.filter(client__in=demo_clients)) > Decimal(0)


# --- the application role -----------------------------------------------------------------------


@postgresql_only
def test_create_app_role_makes_a_login_role_that_owns_nothing_and_can_only_touch_data():
    name = f"vcio_app_test_{uuid.uuid4().hex[:8]}"  # created inside the test's transaction, rolled back
    call_command("create_app_role", name=name, password="s3cret-Pa55", stdout=io.StringIO())
    call_command("create_app_role", name=name, stdout=io.StringIO())  # again: no error
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolcanlogin, rolsuper, rolbypassrls, rolcreatedb, rolcreaterole FROM pg_roles"
            " WHERE rolname = %s",
            [name],
        )
        assert cursor.fetchone() == (True, False, False, False, False)
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = %s)",
            [name],
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT has_table_privilege(%s, 'clients_client', 'SELECT, INSERT, UPDATE, DELETE'),"
            " has_table_privilege(%s, 'clients_client', 'TRUNCATE'),"
            " has_table_privilege(%s, 'clients_client', 'REFERENCES')",
            [name, name, name],
        )
        assert cursor.fetchone() == (True, False, False)
        # tables the owner creates later are granted too (ALTER DEFAULT PRIVILEGES)
        cursor.execute("CREATE TABLE rls_probe_later (id serial PRIMARY KEY)")
        cursor.execute("SELECT has_table_privilege(%s, 'rls_probe_later', 'INSERT')", [name])
        assert cursor.fetchone()[0] is True
    with pytest.raises(CommandError, match="owns no tables"):
        call_command("create_app_role", name=connection.settings_dict["USER"])


@postgresql_only
def test_the_app_role_cannot_turn_row_level_security_off():
    with as_app_role():
        for statement in (
            "ALTER TABLE clients_client DISABLE ROW LEVEL SECURITY",
            "DROP POLICY tenant_isolation ON clients_client",
            "SET row_security = off; SELECT count(*) FROM clients_client",
        ):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement)
                cursor.fetchall()


def test_setup_database_migrates_then_runs_the_registered_load_steps(monkeypatch):
    from vcio import registry

    ran = []
    monkeypatch.setattr(registry, "_SETUP_STEPS", {})
    registry.register_setup_step(
        registry.SetupStep("second", lambda **kw: ran.append(("second", kw["using"])), 20)
    )
    registry.register_setup_step(
        registry.SetupStep("first", lambda **kw: ran.append(("first", kw["using"])), 10)
    )
    args = ["--allow-owner"] if connection.vendor == "postgresql" else []

    out = io.StringIO()
    call_command("setup_database", *args, verbosity=0, stdout=out)

    assert ran == [("first", "default"), ("second", "default")]
    assert "Setup step: first" in out.getvalue()


@postgresql_only
def test_setup_database_on_postgresql_wants_the_owners_url_unless_told():
    with pytest.raises(CommandError, match="DATABASE_OWNER_URL"):
        call_command("setup_database", verbosity=0)


@postgresql_only
def test_setup_database_migrates_as_the_owner_and_the_app_logs_in_as_a_role_that_owns_nothing(tmp_path):
    """The production path end to end, on a database of its own: `setup_database` with the owner's URL
    creates the app role of DATABASE_URL; then the app, connected as that role, creates a practice and
    a client and reads them only inside that practice."""
    base = connection.settings_dict
    database = f"{base['NAME']}_setup"[:63]
    role, password = f"vcio_app_{uuid.uuid4().hex[:10]}", uuid.uuid4().hex
    host, port = base["HOST"] or "127.0.0.1", base["PORT"] or "5432"
    admin = psycopg2.connect(
        dbname="postgres", user=base["USER"], password=base["PASSWORD"] or None, host=host, port=port
    )
    admin.autocommit = True
    owner_auth = base["USER"] + (f":{base['PASSWORD']}" if base["PASSWORD"] else "")
    env = {
        **os.environ,
        "DATABASE_OWNER_URL": f"postgres://{owner_auth}@{host}:{port}/{database}",
        "DATABASE_URL": f"postgres://{role}:{password}@{host}:{port}/{database}",
        "CELERY_TASK_ALWAYS_EAGER": "True",
    }
    env.pop("DATABASE_APP_ROLE", None)

    def manage(*args, code=0):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == code, result.stdout + result.stderr
        return result.stdout

    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}"')
        cursor.execute(f'CREATE DATABASE "{database}"')
    try:
        out = manage("setup_database", "--verbosity", "0")
        assert f"Application role {role} created" in out
        assert "Row-level security in place" in manage("rls_status")
        probe = (  # as the app role: a practice with a client, then what it can read with and without it
            "from django.db import connection; from accounts.models import User; "
            "from accounts.services import practice_create; from clients.models import Client; "
            "from vcio.tenancy import practice_context; "
            "c = connection.cursor(); c.execute('SELECT current_user'); print(c.fetchone()[0]); "
            "u = User.objects.create_user('o@setup.example.com', 'pw-123456789'); "
            "p = practice_create(name='Setup Check', owner=u); "
            "exec('with practice_context(p.pk): Client.objects.create(practice=p, name=\\'C1\\')'); "
            "print(Client.objects.count()); "
            "exec('with practice_context(p.pk): print(Client.objects.count())')"
        )
        assert manage("shell", "--no-imports", "-c", probe).split() == [role, "0", "1"]
        assert f"Application role {role} updated" in manage("setup_database", "--verbosity", "0")
    finally:
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [database]
            )
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}"')
            cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
        admin.close()
