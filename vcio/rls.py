"""PostgreSQL row-level security: the database's own backstop behind the scoped querysets.

Every table with a `practice_id` column — each tenant model, its audit-history table and its
many-to-many `through` table, discovered from the Django models (never listed by hand) — gets RLS
enabled and FORCEd and one policy, `tenant_isolation`: a row is visible and writable only when its
`practice_id` is the transaction's practice (`SET LOCAL app.practice_id`, set by
`vcio.tenancy.activate_practice`) or inside `vcio.tenancy.all_practices(reason)`. A model a person
must see across practices (their memberships) declares `rls_user_field = "user"`: its table (and
its history table) gets a second, read-only policy `tenant_user_read` matching `app.user_id`.

`apply_policies()` runs after every `migrate` (a `post_migrate` handler in `vcio.apps`), so a new
app's tables get their policy with no SQL of their own; `manage.py rls_status` reports any table
that lacks RLS, FORCE or its policy. `create_app_role()` makes the role the application connects
as: it owns no table (so FORCE does not matter to it, and it cannot turn RLS off), is no superuser
and has no BYPASSRLS. On SQLite everything here is a no-op.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.apps import apps
from django.db import connections

logger = logging.getLogger(__name__)

PRACTICE_COLUMN = "practice_id"
TENANT_POLICY = "tenant_isolation"
USER_POLICY = "tenant_user_read"

PRACTICE_MATCH = (
    f"{PRACTICE_COLUMN} = NULLIF(current_setting('app.practice_id', true), '')::uuid"
    " OR current_setting('app.all_practices', true) = 'on'"
)


def user_match(column: str) -> str:
    return f"{column} = NULLIF(current_setting('app.user_id', true), '')::uuid"


def _marker(expression: str) -> str:
    """Stored as the policy's comment: a changed expression is noticed and the policy recreated."""
    return "vcio-rls " + hashlib.sha256(expression.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class TenantTable:
    table: str
    label: str  # the model, e.g. "clients.HistoricalContact"
    user_column: str | None = None  # the column of `rls_user_field`, for the read-only user policy


def is_postgresql(using: str = "default") -> bool:
    return connections[using].vendor == "postgresql"


def _rls_user_field(model) -> str | None:
    """`rls_user_field` of the model, or of the model a history table records."""
    source = getattr(model, "instance_type", None) or model  # simple-history's Historical… models
    return getattr(source, "rls_user_field", None)


def tenant_tables() -> list[TenantTable]:
    """Every table of an installed model that has a `practice_id` column (auto-created tables included)."""
    found: dict[str, TenantTable] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in found:
            continue
        if PRACTICE_COLUMN not in {field.column for field in meta.concrete_fields}:
            continue
        user_column = None
        if user_field := _rls_user_field(model):
            user_column = meta.get_field(user_field).column
        found[meta.db_table] = TenantTable(meta.db_table, meta.label, user_column)
    return sorted(found.values(), key=lambda t: t.table)


def _catalog(cursor) -> dict[str, dict]:
    """RLS flags and our policies (with their markers) of every table in the current schema that has a
    `practice_id` column, whether a model declares it or not."""
    cursor.execute(
        """
        SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
               COALESCE(json_object_agg(p.polname, obj_description(p.oid, 'pg_policy'))
                        FILTER (WHERE p.polname IS NOT NULL), '{}')
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
        LEFT JOIN pg_policy p ON p.polrelid = c.oid
        WHERE c.relkind IN ('r', 'p')
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = %s
                      AND NOT a.attisdropped)
        GROUP BY c.relname, c.relrowsecurity, c.relforcerowsecurity
        """,
        [PRACTICE_COLUMN],
    )
    return {
        name: {"rls": rls, "force": force, "policies": policies if isinstance(policies, dict) else {}}
        for name, rls, force, policies in cursor.fetchall()
    }


def _expected(table: TenantTable) -> dict[str, str]:
    """Policy name -> its USING expression, for one table."""
    expected = {TENANT_POLICY: PRACTICE_MATCH}
    if table.user_column:
        expected[USER_POLICY] = user_match(table.user_column)
    return expected


def apply_policies(using: str = "default") -> list[str]:
    """Enable and FORCE RLS and (re)create the policies on every tenant table, idempotently: a table
    already in the wanted state costs no DDL. Returns the statements it ran (empty when nothing changed)."""
    if not is_postgresql(using):
        return []
    connection = connections[using]
    quote = connection.ops.quote_name
    statements: list[str] = []
    with connection.cursor() as cursor:
        catalog = _catalog(cursor)
        for table in tenant_tables():
            state = catalog.get(table.table)
            if state is None:  # the model's table does not exist (yet) in this database
                continue
            name = quote(table.table)
            if not state["rls"]:
                statements.append(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
            if not state["force"]:
                statements.append(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
            expected = _expected(table)
            for policy, expression in expected.items():
                if state["policies"].get(policy) == _marker(expression):
                    continue
                check = f" WITH CHECK ({expression})" if policy == TENANT_POLICY else ""
                command = "ALL" if policy == TENANT_POLICY else "SELECT"
                statements += [
                    f"DROP POLICY IF EXISTS {quote(policy)} ON {name}",
                    f"CREATE POLICY {quote(policy)} ON {name} AS PERMISSIVE FOR {command}"
                    f" USING ({expression}){check}",
                    f"COMMENT ON POLICY {quote(policy)} ON {name} IS '{_marker(expression)}'",
                ]
            if USER_POLICY in state["policies"] and USER_POLICY not in expected:  # no longer declared
                statements.append(f"DROP POLICY {quote(USER_POLICY)} ON {name}")
        for statement in statements:
            cursor.execute(statement)
    if statements:
        logger.info("Row-level security: %d statements applied.", len(statements))
    return statements


@dataclass(frozen=True)
class TableStatus:
    table: str
    label: str  # the model, or "(no model)" for a table only the database knows
    rls: bool
    force: bool
    policy: bool  # tenant_isolation present and current
    user_policy: bool | None  # None when the model declares no rls_user_field

    @property
    def ok(self) -> bool:
        return self.rls and self.force and self.policy and self.user_policy is not False


def status(using: str = "default") -> list[TableStatus]:
    """One line per table with a `practice_id` column — from the models and from the database
    catalog, so a table created without a model (or before its policy) is reported too."""
    if not is_postgresql(using):
        return []
    with connections[using].cursor() as cursor:
        catalog = _catalog(cursor)
    rows = []
    tables = {t.table: t for t in tenant_tables() if t.table in catalog}
    for name in sorted(set(catalog) | set(tables)):
        table = tables.get(name, TenantTable(name, "(no model)"))
        state = catalog[name]
        policies = state["policies"]
        rows.append(
            TableStatus(
                table=name,
                label=table.label,
                rls=state["rls"],
                force=state["force"],
                policy=policies.get(TENANT_POLICY) == _marker(PRACTICE_MATCH),
                user_policy=(
                    policies.get(USER_POLICY) == _marker(user_match(table.user_column))
                    if table.user_column
                    else None
                ),
            )
        )
    return rows


# --- the application role ------------------------------------------------------------------------


class AppRoleError(Exception):
    pass


def _current_user(cursor) -> str:
    cursor.execute("SELECT current_user")
    return cursor.fetchone()[0]


def role_exists(role: str, using: str = "default") -> bool:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        return cursor.fetchone() is not None


def grant_app_role(role: str, using: str = "default") -> None:
    """Data rights (no DDL) on every table and sequence of the schema, now and for tables the current
    user (the owner) creates later. Run again after every migrate."""
    connection = connections[using]
    role_q = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema(), current_database()")
        schema, database = cursor.fetchone()
        schema_q, database_q = connection.ops.quote_name(schema), connection.ops.quote_name(database)
        for statement in (
            f"GRANT CONNECT ON DATABASE {database_q} TO {role_q}",
            f"GRANT USAGE ON SCHEMA {schema_q} TO {role_q}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema_q} TO {role_q}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema_q} TO {role_q}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_q} GRANT SELECT, INSERT, UPDATE, DELETE"
            f" ON TABLES TO {role_q}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_q} GRANT USAGE, SELECT ON SEQUENCES TO {role_q}",
        ):
            cursor.execute(statement)


def create_app_role(role: str, password: str | None = None, using: str = "default") -> str:
    """Create (or bring back in line) the login role the application connects as: LOGIN, NOSUPERUSER,
    NOBYPASSRLS, no CREATEDB/CREATEROLE, owning nothing; then grant it the data rights. Idempotent.
    Returns "created" or "updated". Run as the tables' owner (or a superuser)."""
    if not is_postgresql(using):
        raise AppRoleError("An application role only exists on PostgreSQL.")
    connection = connections[using]
    role_q = connection.ops.quote_name(role)
    attributes = "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION"
    with connection.cursor() as cursor:
        if role == _current_user(cursor):
            raise AppRoleError(
                f"{role} is the user this command connects as (the owner): the application role must "
                "be another role, one that owns no tables."
            )
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        created = cursor.fetchone() is None
        password_sql, params = (" PASSWORD %s", [password]) if password else ("", [])
        cursor.execute(f"{'CREATE' if created else 'ALTER'} ROLE {role_q} {attributes}{password_sql}", params)
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = %s",
            [role],
        )
        owned = cursor.fetchone()[0]
        if owned:
            raise AppRoleError(
                f"{role} owns {owned} relations in this database: an owner could disable row-level "
                "security. Reassign them to the owner (REASSIGN OWNED BY …) or choose another name."
            )
    grant_app_role(role, using=using)
    return "created" if created else "updated"


def after_migrate(using: str) -> None:
    """The `post_migrate` step: policies on every tenant table, and the app role's grants refreshed
    (when that role exists and is not the migrating user itself)."""
    if not is_postgresql(using):
        return
    from django.conf import settings

    apply_policies(using)
    role = getattr(settings, "DATABASE_APP_ROLE", "")
    if role and role_exists(role, using):
        with connections[using].cursor() as cursor:
            if _current_user(cursor) == role:
                return
        grant_app_role(role, using=using)
