"""Celery tasks of the qbr app: thin, ids in (always the practice id too), idempotent, `acks_late`,
retried with backoff on database and broker errors, with soft and hard time limits.

- `qbr_report_generate_task(practice_id, report_id)`: make one report's PDF (report_services).
- `qbr_schedule_reports_all_practices(now=None)`: the hourly beat entry (see `qbr.schedules`); the
  one path that crosses practices: it finds the practices whose local morning has come and queues
  `qbr_schedule_practice_reports` for each, which queues the due clients' reports.
- `qbr_reminders_all_practices(now=None)`: hourly; queues `qbr_send_reminders(practice_id, day)` for
  each practice whose local hour is its morning hour (qbr.reminders: each reminder sent once).
"""

import logging
import smtplib
from datetime import date, datetime

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError

from vcio.tenancy import practice_context

from . import reminders, report_services

logger = logging.getLogger(__name__)

# Transient: the database or the broker was unreachable for a moment. Everything else is a failure
# of the report itself, recorded on it by the service.
TRANSIENT = (OperationalError, InterfaceError, BrokerOperationalError, ConnectionError, TimeoutError)
RETRY = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 6,
}


class ReportTask(Task):
    """When a generation gives up (retries exhausted, or an unexpected error), the report says so."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        try:
            report_services.report_fail(
                practice_id=kwargs.get("practice_id"),
                report_id=kwargs.get("report_id"),
                task_id=task_id,
                reason="The report could not be made (the database or queue kept failing); try again.",
            )
        except Exception:  # the database may still be down: the page shows the run as stale later
            logger.exception("Could not record the failure of QBR report %s", kwargs.get("report_id"))


@shared_task(
    bind=True,
    base=ReportTask,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=report_services.SOFT_TIME_LIMIT,
    time_limit=report_services.HARD_TIME_LIMIT,
    **RETRY,
)
def qbr_report_generate_task(self, *, practice_id: str, report_id: str):
    """Make one QBR report's PDF. Safe to run twice: a ready report is left alone. Each step of the
    generation runs in its own short transaction in the practice (`report_generate`)."""
    report = report_services.report_generate(
        practice_id=practice_id, report_id=report_id, task_id=self.request.id or ""
    )
    return str(report.pk) if report is not None else None


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300, **RETRY)
def qbr_schedule_reports_all_practices(now: str | None = None):
    """The daily QBR reports, checked hourly: queue one run per practice whose local morning has come
    and whose day's run has not happened. `now` (ISO 8601) is for checking and tests."""
    moment = datetime.fromisoformat(now) if now else timezone.now()
    due = report_services.due_practices_all_practices(now=moment)
    for practice_id, day in due:
        qbr_schedule_practice_reports.delay(
            practice_id=practice_id, day=day.isoformat(), now=moment.isoformat()
        )
    return len(due)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300, **RETRY)
def qbr_schedule_practice_reports(*, practice_id: str, day: str, now: str | None = None):
    """One practice's daily run: queue the reports of the clients whose next QBR is within the lead time."""
    with practice_context(practice_id):
        reports = report_services.schedule_practice_reports(
            practice_id=practice_id,
            day=date.fromisoformat(day),
            now=datetime.fromisoformat(now) if now else None,
        )
    return len(reports)


# --- reminder digests (qbr.reminders) --------------------------------------------------------------

# A mail server that refused or dropped the digest: retried (the members already sent are not repeated).
MAIL_RETRY = {**RETRY, "autoretry_for": (*TRANSIENT, smtplib.SMTPException)}


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300, **RETRY)
def qbr_reminders_all_practices(now: str | None = None):
    """The hourly beat entry: queue the digest of every practice whose local morning hour is now."""
    moment = datetime.fromisoformat(now) if now else timezone.now()
    due = reminders.due_practices_all_practices(now=moment)
    for practice_id, day in due:
        qbr_send_reminders.delay(practice_id=practice_id, day=day.isoformat())
    return len(due)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=240, time_limit=300, **MAIL_RETRY)
def qbr_send_reminders(*, practice_id: str, day: str):
    """One practice's digests for its local `day`: safe to run twice, concurrently, or to retry."""
    result = reminders.send_digests(practice_id=practice_id, day=date.fromisoformat(day))
    return {"sent": result.sent, "already": result.already}
