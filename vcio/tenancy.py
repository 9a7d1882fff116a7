"""The current practice of a request or task, for what cannot take it as an argument: the practice's
time zone for showing dates and, on PostgreSQL, the row-level-security settings of the transaction
(see `vcio.rls` and the README's "Row-level security (PostgreSQL)").

- `activate_practice(practice)` is called once the practice is resolved (pages: `accounts.access`;
  API: `accounts.api_auth`); `vcio.middleware.PracticeTimezoneMiddleware` resets the time zone after
  every request and `vcio.middleware.RowLevelSecurityMiddleware` runs each request in a transaction
  whose settings die with it (`SET LOCAL` semantics: nothing leaks to the next request on a pooled
  connection).
- `practice_context(practice_id)` is the same for Celery tasks and management commands.
- `all_practices(reason)` is the one, audited, way to span practices (lookups by a secret token,
  seeding, the daily fan-out, the Django admin).

On SQLite there is no row-level security: the settings are skipped, the rest behaves the same.
"""

import logging
import zoneinfo
from contextlib import contextmanager, nullcontext, suppress
from contextvars import ContextVar

from django.db import DatabaseError, connections, transaction
from django.utils import timezone

audit_log = logging.getLogger("vcio.tenancy.audit")

_spanning: ContextVar[str | None] = ContextVar("vcio_all_practices_reason", default=None)


def _rls(using: str = "default") -> bool:
    return connections[using].vendor == "postgresql"


def _set_config(values: dict[str, str], using: str = "default", *, previous: str | None = None):
    """One statement setting transaction-local values (`set_config(…, true)` is `SET LOCAL`); with
    `previous`, the same statement first reads that setting's old value and returns it."""
    names = list(values)
    read = "current_setting(%s, true), " if previous else ""
    sql = "SELECT " + read + ", ".join("set_config(%s, %s, true)" for _ in names)
    params = ([previous] if previous else []) + [p for name in names for p in (name, values[name])]
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if previous else None


def _restore_after_error(values: dict[str, str | None], using: str = "default") -> None:
    """Put settings back when a block raised: the caller may catch the error and carry on in the same
    transaction. If the error aborted the transaction nothing can run in it any more (its settings end
    with it), and a failing restore must not hide the original error."""
    if connections[using].needs_rollback:
        return
    with suppress(DatabaseError):
        _set_config({name: value or "" for name, value in values.items()}, using)


def begin_request(user, using: str = "default") -> None:
    """At the start of a request's transaction: who is asking (their memberships are readable across
    practices), and no practice yet."""
    user_id = str(user.pk) if getattr(user, "is_authenticated", False) and user.pk else ""
    _set_config({"app.user_id": user_id, "app.practice_id": "", "app.all_practices": ""}, using)


def activate_practice(practice) -> None:
    """Work in this practice for the rest of this request or task: its time zone for dates, and (on
    PostgreSQL) `app.practice_id` for the rest of the transaction, so row-level security shows and
    accepts this practice's rows only."""
    try:
        timezone.activate(zoneinfo.ZoneInfo(practice.time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()
    if _rls():
        _set_config({"app.practice_id": str(practice.pk)})


def deactivate_practice() -> None:
    timezone.deactivate()


@contextmanager
def practice_context(practice_id):
    """For Celery tasks and management commands: a transaction in this practice (row-level security
    and time zone), restored on exit. Yields the practice. Tasks take the practice id as an argument:

        @shared_task
        def reminder_send_task(*, practice_id, reminder_id):
            with practice_context(practice_id):
                reminder_send(reminder=Reminder.objects.for_practice(practice_id).get(pk=reminder_id))
    """
    from django.apps import apps

    practice_model = apps.get_model("accounts", "Practice")  # not a tenant table: no RLS on it
    previous_zone = timezone.get_current_timezone()
    with transaction.atomic():
        practice = practice_model.objects.get(pk=practice_id)
        previous = None
        if _rls():
            previous = _set_config({"app.practice_id": str(practice.pk)}, previous="app.practice_id")
        try:
            timezone.activate(zoneinfo.ZoneInfo(practice.time_zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            yield practice
        except BaseException:
            if previous is not None:
                _restore_after_error({"app.practice_id": previous})
            raise
        else:
            if previous is not None:
                _set_config({"app.practice_id": previous or ""})
        finally:
            timezone.activate(previous_zone)


@contextmanager
def all_practices(reason: str):
    """The one way to read or write across practices. Logs the reason (logger `vcio.tenancy.audit`,
    INFO) and, on PostgreSQL, sets `app.all_practices` for the enclosed statements of this transaction
    (opening one if none is open), restoring the previous value on exit. Keep the block small: a
    lookup by a secret token, then `activate_practice()` of what was found.

        with all_practices("API key lookup by hash"):
            key = ApiKey.objects.all_practices().filter(key_hash=…).first()
    """
    if not reason or not reason.strip():
        raise ValueError("all_practices() needs a reason; it is written to the audit log.")
    audit_log.info("Spanning all practices: %s", reason)
    using = "default"
    token = _spanning.set(reason)
    try:
        if not _rls(using):
            yield
            return
        connection = connections[using]
        with nullcontext() if connection.in_atomic_block else transaction.atomic(using=using):
            previous = _set_config({"app.all_practices": "on"}, using, previous="app.all_practices")
            try:
                yield
            except BaseException:
                _restore_after_error({"app.all_practices": previous}, using)
                raise
            _set_config({"app.all_practices": previous or ""}, using)
    finally:
        _spanning.reset(token)


def spanning_reason() -> str | None:
    """The reason of the enclosing `all_practices()` block, or None outside one."""
    return _spanning.get()
