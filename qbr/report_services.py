"""Writes about QBR reports: requesting one (manual, for all clients, or by the schedule), generating
it (the worker's service), retrying a failed one, and the daily schedule.

How a report is made, safely under retries and redelivery:

1. `report_request` creates the report row (status *queued*, the next version for its client and
   fiscal quarter) and, once the transaction commits, queues `qbr.tasks.qbr_report_generate_task`
   with the practice id and report id. A request while one is queued or running returns that one.
2. The task calls `report_generate`, which **claims** the report under `select_for_update`: a ready or
   failed report is left alone (a redelivered task does nothing); a report held by another live run is
   left alone; a report held by this same task id (the message redelivered after the worker died, or
   a retry after a database error) or by a run older than the hard time limit is taken over.
3. It gathers the data, renders the HTML and the PDF (progress 5 → 60 → 90), then **finishes in
   one transaction**: the file is saved under a generated name, then the row (pdf, *done*, 100 %) is
   written; if that transaction fails, the file is deleted — a report is never *done* without its
   whole PDF, and never has half of one.
4. A transient error (database, broker) propagates so the task retries with backoff; any other
   error marks the report *failed* with a readable reason (it can be retried from the page or API).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts.models import Practice, User
from clients.models import Client, ClientStatus
from vcio.fiscal import FiscalQuarter, fiscal_quarter
from vcio.services import audit
from vcio.tenancy import all_practices, practice_context

from .models import (
    Meeting,
    MeetingKind,
    MeetingStatus,
    QBRReport,
    QBRSettings,
    ReportBatch,
    ReportStatus,
    ReportTrigger,
    report_upload_to,
)
from .services import practice_zone

logger = logging.getLogger(__name__)

# The generation task's limits (seconds); a run older than STALE_AFTER is presumed dead.
SOFT_TIME_LIMIT = 120
HARD_TIME_LIMIT = 180
STALE_AFTER = timedelta(seconds=HARD_TIME_LIMIT + 60)
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
TOO_LONG = "Making the report took too long; try again."


def _enqueue(report: QBRReport) -> None:
    from .tasks import qbr_report_generate_task

    practice_id, report_id = str(report.practice_id), str(report.pk)
    transaction.on_commit(
        lambda: qbr_report_generate_task.delay(practice_id=practice_id, report_id=report_id)
    )


def local_today(practice: Practice, now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), practice_zone(practice)).date()


def report_period(
    *, client: Client, practice: Practice, meeting: Meeting | None = None, today=None
) -> FiscalQuarter:
    """A report's fiscal quarter: the quarter (in the client's calendar) of the meeting it is for,
    else of today (the practice's local date)."""
    day = (
        timezone.localtime(meeting.scheduled_at, practice_zone(practice)).date()
        if meeting is not None
        else (today or local_today(practice))
    )
    return fiscal_quarter(day, client.fiscal_year_start_month)


def _next_planned(client: Client, now: datetime) -> Meeting | None:
    return (
        Meeting.objects.for_client(client)
        .filter(kind=MeetingKind.QBR, status=MeetingStatus.PLANNED, scheduled_at__gte=now)
        .order_by("scheduled_at", "pk")
        .first()
    )


def report_target(
    *, client: Client, practice: Practice, period: FiscalQuarter | None = None
) -> tuple[FiscalQuarter, Meeting | None]:
    """The quarter and meeting a report (or its preview) is for: by default the client's next planned
    QBR and its quarter (else today's quarter and no meeting); with `period`, that quarter, and the
    next planned QBR only when it falls in it."""
    upcoming = _next_planned(client, timezone.now())
    upcoming_period = report_period(client=client, practice=practice, meeting=upcoming) if upcoming else None
    if period is None:
        return (upcoming_period or report_period(client=client, practice=practice)), upcoming
    return period, (upcoming if upcoming_period == period else None)


@transaction.atomic
def report_request(
    *,
    client: Client,
    actor: User | None,
    trigger: str = ReportTrigger.MANUAL,
    period: FiscalQuarter | None = None,
    meeting: Meeting | None = None,
    batch: ReportBatch | None = None,
    enqueue: bool = True,
) -> QBRReport:
    """Ask for a client's QBR report. Without a period: the quarter of the client's next planned QBR
    (the report is for that meeting), else the current quarter. Returns the report queued or already
    being made for that quarter; else a new version, queued for a worker."""
    if meeting is not None and (meeting.practice_id != client.practice_id or meeting.client_id != client.pk):
        raise ValidationError({"meeting": "Choose a meeting of this client."})
    # One request at a time per client: the lock makes the version number and the "already queued"
    # check safe against a double click or a concurrent schedule run.
    Client.objects.select_for_update().for_practice(client.practice_id).filter(pk=client.pk).first()
    practice = Practice.objects.get(pk=client.practice_id)
    if meeting is None:
        period, meeting = report_target(client=client, practice=practice, period=period)
    elif period is None:
        period = report_period(client=client, practice=practice, meeting=meeting)
    reports = QBRReport.objects.for_client(client).filter(period=period.key)
    active = (
        reports.filter(status__in=(ReportStatus.QUEUED, ReportStatus.RUNNING)).order_by("-version").first()
    )
    if active is not None:
        return active
    version = (reports.aggregate(v=Max("version"))["v"] or 0) + 1
    report = QBRReport(
        practice_id=client.practice_id,
        client=client,
        period=period.key,
        version=version,
        trigger=trigger,
        requested_by=actor,
        meeting=meeting,
        batch=batch,
        status=ReportStatus.QUEUED,
    )
    report.full_clean(exclude=["pdf"])
    audit(report, actor, "Report requested")
    report.save()
    if enqueue:  # (the demo seeder makes its reports synchronously instead)
        _enqueue(report)
    return report


@transaction.atomic
def report_request_all(*, practice: Practice, actor: User | None) -> ReportBatch:
    """“Generate for all clients”: one report per active client, followed as one batch."""
    clients = list(Client.objects.for_practice(practice).filter(status=ClientStatus.ACTIVE).order_by("name"))
    batch = ReportBatch.objects.create(practice=practice, requested_by=actor, total=0)
    total = 0
    for client in clients:
        report = report_request(client=client, actor=actor, batch=batch)
        if report.batch_id != batch.pk:  # already queued by an earlier request: follow it too
            report.batch = batch
            report.save(update_fields=["batch", "updated_at"])
        total += 1
    batch.total = total
    batch.save(update_fields=["total", "updated_at"])
    return batch


def is_stale(report: QBRReport, now: datetime | None = None) -> bool:
    return (
        report.status == ReportStatus.RUNNING
        and report.started_at is not None
        and report.started_at < (now or timezone.now()) - STALE_AFTER
    )


@transaction.atomic
def report_retry(*, report: QBRReport, actor: User | None) -> QBRReport:
    """Queue a failed report again (or one whose worker died long ago)."""
    locked = QBRReport.objects.select_for_update().for_practice(report.practice_id).get(pk=report.pk)
    if locked.status != ReportStatus.FAILED and not is_stale(locked):
        raise ValidationError({"status": "Only a failed report can be retried."})
    locked.status, locked.error, locked.progress, locked.task_id = ReportStatus.QUEUED, "", 0, ""
    locked.started_at = locked.finished_at = None
    audit(locked, actor, "Retry requested")
    locked.save()
    _enqueue(locked)
    return locked


# --- generation (the worker's service) ------------------------------------------------------------


# Generation commits several times (the claim, progress, the result), so it is not one transaction:
# each step runs in `practice_context` — its own short transaction in the report's practice (row-level
# security), never a practice setting that outlives it.


def _set_progress(practice_id, report_id, task_id: str, progress: int) -> None:
    with practice_context(practice_id):
        QBRReport.objects.for_practice(practice_id).filter(
            pk=report_id, status=ReportStatus.RUNNING, task_id=task_id
        ).update(progress=progress, updated_at=timezone.now())


def _claim(practice_id, report_id, task_id: str) -> QBRReport | None:
    with practice_context(practice_id):
        report = QBRReport.objects.select_for_update().for_practice(practice_id).filter(pk=report_id).first()
        if report is None:
            logger.warning("QBR report %s of practice %s is gone; nothing to do.", report_id, practice_id)
            return None
        if report.status in (ReportStatus.DONE, ReportStatus.FAILED):
            return None  # finished (a redelivered or duplicate task): nothing to do
        if report.status == ReportStatus.RUNNING and report.task_id != task_id and not is_stale(report):
            return None  # another live run holds it
        report.status, report.task_id = ReportStatus.RUNNING, task_id
        report.started_at, report.finished_at, report.error = timezone.now(), None, ""
        report.attempts += 1
        report.progress = 5
        audit(report, None, f"Generation started (attempt {report.attempts})")
        report.save()
        return report


def report_generate(*, practice_id, report_id, task_id: str = "") -> QBRReport | None:
    """Make the PDF of a queued report (see the module docstring). Returns the report, or None when
    there was nothing to do. Transient database errors propagate (the task retries)."""
    from .rendering import build_report_html, render_pdf

    task_id = task_id or f"local-{report_id}"
    report = _claim(practice_id, report_id, task_id)
    if report is None:
        return None
    try:
        with practice_context(practice_id) as practice, timezone.override(practice_zone(practice)):
            client = Client.objects.for_practice(practice_id).get(pk=report.client_id)
            meeting = (
                Meeting.objects.for_practice(practice_id).filter(pk=report.meeting_id).first()
                if report.meeting_id
                else None
            )
            _data, html = build_report_html(
                practice=practice,
                client=client,
                period=report.period_quarter,
                today=local_today(practice),
                meeting=meeting,
                report=report,
            )
        _set_progress(practice_id, report.pk, task_id, 60)
        pdf = render_pdf(html)
        _set_progress(practice_id, report.pk, task_id, 90)
        return _finish(report, task_id, pdf)
    except TRANSIENT_ERRORS:
        raise
    except SoftTimeLimitExceeded:
        report_fail(practice_id=practice_id, report_id=report_id, task_id=task_id, reason=TOO_LONG)
        raise
    except Exception as exc:
        logger.exception("QBR report %s failed", report_id)
        report_fail(practice_id=practice_id, report_id=report_id, task_id=task_id, reason=_reason(exc))
        return None


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return f"The report could not be made: {text}"[:500]


def _finish(report: QBRReport, task_id: str, pdf: bytes) -> QBRReport | None:
    """Save the file, then mark the report done in one transaction; delete the file if that fails."""
    if not pdf.startswith(b"%PDF-"):
        raise ValueError("the PDF renderer returned no PDF")
    storage = QBRReport._meta.get_field("pdf").storage
    name = storage.save(report_upload_to(report, "report.pdf"), ContentFile(pdf))
    try:
        with practice_context(report.practice_id):
            locked = QBRReport.objects.select_for_update().for_practice(report.practice_id).get(pk=report.pk)
            if locked.status != ReportStatus.RUNNING or locked.task_id != task_id:
                storage.delete(name)  # another run finished it meanwhile
                return None
            locked.pdf.name = name
            locked.status, locked.progress, locked.finished_at = ReportStatus.DONE, 100, timezone.now()
            notify = locked.trigger == ReportTrigger.SCHEDULED and locked.notified_at is None
            if notify:
                locked.notified_at = timezone.now()  # recorded before sending: never sent twice
            audit(locked, None, "Report ready")
            locked.save()
            if notify:
                report_id, practice_id = locked.pk, locked.practice_id
                transaction.on_commit(
                    lambda: _notify_consultant(practice_id=practice_id, report_id=report_id)
                )
    except BaseException:
        storage.delete(name)
        raise
    return locked


def report_fail(*, practice_id, report_id, task_id: str, reason: str) -> None:
    """Mark a report failed with a readable reason (only if this run still holds it)."""
    with practice_context(practice_id):
        report = QBRReport.objects.select_for_update().for_practice(practice_id).filter(pk=report_id).first()
        if report is None or report.status != ReportStatus.RUNNING or report.task_id != task_id:
            return
        report.status, report.error, report.finished_at = ReportStatus.FAILED, reason[:2_000], timezone.now()
        audit(report, None, "Generation failed")
        report.save()


def _notify_consultant(*, practice_id, report_id) -> None:
    """E-mail the client's primary consultant a link to the ready report (a link, not an attachment)."""
    with practice_context(practice_id) as practice:  # after the commit: a transaction of its own
        report = (
            QBRReport.objects.for_practice(practice_id)
            .select_related("client", "client__primary_consultant", "meeting")
            .filter(pk=report_id)
            .first()
        )
    consultant = report.client.primary_consultant if report else None
    if consultant is None or not consultant.email:
        return
    link = settings.SITE_URL.rstrip("/") + reverse(
        "qbr:report", args=[practice.slug, report.client_id, report.pk]
    )
    when = ""
    if report.meeting_id:
        local = timezone.localtime(report.meeting.scheduled_at, practice_zone(practice))
        when = f" for the QBR on {local:%A %-d %B %Y at %H:%M}"
    subject = f"QBR report ready: {report.client.name} ({report.period_label})"
    body = (
        f"Hello {consultant.display_name},\n\n"
        f"The QBR report of {report.client.name} for {report.period_label}{when} is ready:\n\n"
        f"{link}\n\n"
        f"Sign in to {practice.name} on vcio to preview or download it.\n"
    )
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [consultant.email])
    except OSError:
        logger.exception("Could not e-mail %s about QBR report %s", consultant.email, report_id)


# --- the schedule ---------------------------------------------------------------------------------


def due_practices_all_practices(*, now: datetime | None = None) -> list[tuple[str, date]]:
    """The daily fan-out's one read across practices: every practice whose local time has reached its
    morning hour and whose schedule has not run yet on that local day -> (practice id, local day)."""
    now = now or timezone.now()
    with all_practices("qbr: which practices' daily QBR reports are due"):
        practices = list(Practice.objects.only("pk", "time_zone"))
        settings_by_practice = {s.practice_id: s for s in QBRSettings.objects.all_practices()}
    due = []
    for practice in practices:
        row = settings_by_practice.get(practice.pk) or QBRSettings(practice_id=practice.pk)
        local = timezone.localtime(now, practice_zone(practice))
        if local.hour >= row.morning_hour and (
            row.last_scheduled_on is None or row.last_scheduled_on < local.date()
        ):
            due.append((str(practice.pk), local.date()))
    return due


def schedule_practice_reports(*, practice_id, day: date, now: datetime | None = None) -> list[QBRReport]:
    """One practice's daily run (once per local day): for each active client whose next planned QBR
    is within the practice's lead time and has no report for that quarter yet, queue its report
    (trigger *scheduled*, for that meeting). The consultant is e-mailed when it is ready."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            row, _ = QBRSettings.objects.get_or_create(practice_id=practice_id)
            row = QBRSettings.objects.select_for_update().get(pk=row.pk)
            if row.last_scheduled_on is not None and row.last_scheduled_on >= day:
                return []
            row.last_scheduled_on = day
            row.save(update_fields=["last_scheduled_on", "updated_at"])
            practice = Practice.objects.get(pk=practice_id)
            meetings = (
                Meeting.objects.for_practice(practice_id)
                .filter(
                    kind=MeetingKind.QBR,
                    status=MeetingStatus.PLANNED,
                    scheduled_at__gte=now,
                    scheduled_at__lte=now + timedelta(days=row.lead_time_days),
                    client__status=ClientStatus.ACTIVE,
                )
                .select_related("client")
                .order_by("client_id", "scheduled_at", "pk")
            )
            first_by_client: dict = {}
            for meeting in meetings:
                first_by_client.setdefault(meeting.client_id, meeting)
            queued = []
            for meeting in first_by_client.values():
                client = meeting.client
                period = report_period(client=client, practice=practice, meeting=meeting)
                if QBRReport.objects.for_client(client).filter(period=period.key).exists():
                    continue
                queued.append(
                    report_request(
                        client=client,
                        actor=None,
                        trigger=ReportTrigger.SCHEDULED,
                        period=period,
                        meeting=meeting,
                    )
                )
            return queued
    except IntegrityError:  # a concurrent run created the same row first: it does the work
        return []
