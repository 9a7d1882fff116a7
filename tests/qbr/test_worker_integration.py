"""Integration: a real Celery worker process (tests/qbr/worker.py) against Redis and the test's own
database (a file on SQLite, the test database on PostgreSQL), committed data (`transactional_db`).

- the scheduled job run twice (and a third time, forced) for the same day makes exactly one report
  per client and period, and e-mails each primary consultant one link;
- a worker killed with SIGKILL half-way through a report leaves it to be completed, once, after the
  message is redelivered to a new worker;
- a database error while a report is being finished is retried: the report ends done, with one
  whole PDF and no half-written file.

Skipped, saying so, only when Redis is unreachable (REDIS_TEST_URL, default redis://127.0.0.1:6379/10).
The tests take a file lock so that only one of them drives a worker at a time (they share one Redis
database, and a worker restoring unacknowledged messages would restore another test's).
"""

import email
import fcntl
import io
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from qbr import report_services
from qbr.models import QBRReport, QBRSettings, ReportStatus, ReportTrigger
from qbr.services import practice_zone
from tests.factories import ClientFactory, InitiativeFactory

from .conftest import plan

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/10")
BASE_DIR = Path(settings.BASE_DIR)
GENERATE = "qbr.tasks.qbr_report_generate_task"
FAN_OUT = "qbr.tasks.qbr_schedule_reports_all_practices"
WAIT = 240  # seconds; generous: the CI machine may be busy


def _redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"Redis is unreachable at {REDIS_URL} ({exc}); the real-worker tests need it.")
    return client


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        name = db["NAME"]
        assert name and ":memory:" not in name and "mode=memory" not in name, (
            "the SQLite test database must be a file (tests/conftest.py makes it one)"
        )
        return f"sqlite:///{name}"
    if db["ENGINE"].endswith(("postgresql", "postgis")):
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    pytest.skip(f"no worker database URL for {db['ENGINE']}")


class Workers:
    """Starts worker processes for one test on one private queue; stops them all at the end."""

    def __init__(self, tmp: Path, redis_client):
        self.tmp, self.redis = tmp, redis_client
        self.queue = f"qbr-test-{uuid.uuid4().hex[:10]}"
        self.mail_dir = tmp / "mail"
        self.mail_dir.mkdir()
        # not set as current: later tests in this process must keep using the eager vcio app
        self.sender = Celery("qbr-tests", broker=REDIS_URL, set_as_current=False)
        self.sender.conf.update(task_serializer="json", accept_content=["json"], task_ignore_result=True)
        self.processes: list[subprocess.Popen] = []

    def start(self, *, fault: str = "", visibility: int | None = None) -> subprocess.Popen:
        log = self.tmp / f"worker-{len(self.processes) + 1}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "vcio.settings",
            "DATABASE_URL": _database_url(),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "CELERY_BROKER_URL": REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "False",
            "SITE_URL": "http://vcio.example.com",
            "QBR_TEST_QUEUE": self.queue,
            "QBR_TEST_FAULT": fault,
            "QBR_TEST_MAIL_DIR": str(self.mail_dir),
            "PYTHONPATH": str(BASE_DIR),
        }
        env.pop("REDIS_URL", None)
        if visibility:
            env["QBR_TEST_VISIBILITY"] = str(visibility)
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "tests.qbr.worker"],
            cwd=BASE_DIR,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the test can kill it (and its pool) at once
        )
        process.log = log
        self.processes.append(process)
        wait_for(
            lambda: "ready." in log.read_text() or process.poll() is not None, what=f"worker ready ({log})"
        )
        assert process.poll() is None, log.read_text()[-3000:]
        return process

    def send(self, name: str, **kwargs) -> None:
        self.sender.send_task(name, kwargs=kwargs, queue=self.queue)

    def idle(self) -> None:
        """Wait until the queue is empty and nothing is running or reserved, twice in a row."""
        inspect = self.sender.control.inspect(timeout=2)
        quiet = 0
        deadline = time.monotonic() + WAIT
        while quiet < 2 and time.monotonic() < deadline:
            busy = self.redis.llen(self.queue) > 0
            for view in (inspect.active() or {}, inspect.reserved() or {}):
                busy = busy or any(view.values())
            quiet = 0 if busy else quiet + 1
            time.sleep(0.5)
        assert quiet >= 2, "the worker did not become idle"

    def kill(self, process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=20)
                except (subprocess.TimeoutExpired, ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)
        self.redis.delete(self.queue)
        self.sender.close()

    def logs(self, tail: int | None = 4000) -> str:
        """The workers' logs (each one's last `tail` characters, or all of it with tail=None)."""
        return "\n".join(
            f"--- {p.log.name}\n{p.log.read_text()[-tail if tail else 0 :]}" for p in self.processes
        )


def wait_for(condition, *, what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for: {what}")


@pytest.fixture
def workers(tmp_path):
    redis_client = _redis()
    if connection.vendor == "sqlite":  # the worker writes while the test reads: WAL lets both go on
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
    lock_path = Path(tempfile.gettempdir()) / f"vcio-qbr-worker-tests-{REDIS_URL.rsplit('/', 1)[-1]}.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one test at a time drives workers on this Redis database
        pool = Workers(tmp_path, redis_client)
        try:
            yield pool
        finally:
            pool.stop()
            fcntl.flock(lock, fcntl.LOCK_UN)


def report_files(report) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "qbr" / str(report.practice_id) / str(report.client_id)
    return sorted(folder.glob(f"{report.period}-v{report.version}-*.pdf")) if folder.exists() else []


def assert_whole_pdf(report, *texts):
    files = report_files(report)
    assert [f.name for f in files] == [Path(report.pdf.name).name], "exactly the report's one file"
    reader = PdfReader(io.BytesIO(files[0].read_bytes()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in texts:
        assert expected in text, expected


def test_the_scheduled_job_run_twice_the_same_day_makes_one_report_per_client_and_period(
    workers, practice_a, owner_a, consultant_a, client_a1, client_a2
):
    for client in (client_a1, client_a2):
        client.primary_consultant = consultant_a
        client.save()
    later = ClientFactory(practice=practice_a, name="Later Logistics", primary_consultant=consultant_a)
    m1, m2 = plan(client_a1, owner_a, days=3), plan(client_a2, owner_a, days=5)
    plan(later, owner_a, days=30)  # outside the 7-day lead time
    InitiativeFactory(client=client_a1, title="Immutable backups", priority="critical", status="in_progress")
    local = timezone.localtime(timezone.now(), practice_zone(practice_a))
    now = local.replace(hour=8, minute=5, second=0, microsecond=0).isoformat()  # the practice's morning
    workers.start()

    workers.send(FAN_OUT, now=now)
    wait_for(
        lambda: QBRReport.objects.filter(status=ReportStatus.DONE).count() == 2,
        what="the two scheduled reports",
    )
    workers.idle()
    workers.send(FAN_OUT, now=now)  # the same day again: the practice's day has run
    workers.idle()
    QBRSettings.objects.filter(practice=practice_a).update(last_scheduled_on=None)
    workers.send(FAN_OUT, now=now)  # forced again: each due client has its report for the period
    workers.idle()

    reports = list(QBRReport.objects.order_by("client__name"))
    assert [(r.client_id, r.meeting_id, r.trigger, r.status, r.version) for r in reports] == [
        (client_a1.pk, m1.pk, ReportTrigger.SCHEDULED, ReportStatus.DONE, 1),
        (client_a2.pk, m2.pk, ReportTrigger.SCHEDULED, ReportStatus.DONE, 1),
    ], workers.logs()
    assert_whole_pdf(reports[0], "Acme Dental", "Immutable backups", "Open action items")
    messages = [email.message_from_bytes(p.read_bytes()) for p in sorted(workers.mail_dir.iterdir())]
    assert len(messages) == 2, workers.logs()
    for message in messages:
        assert message["To"] == consultant_a.email and not message.is_multipart()  # a link, no attachment
        body = message.get_payload(decode=True).decode()
        assert "http://vcio.example.com/p/alpha/clients/" in body and "/qbr/reports/" in body


def test_a_worker_killed_mid_report_leaves_it_to_be_completed_once_after_redelivery(
    workers, client_a1, owner_a, tmp_path
):
    InitiativeFactory(client=client_a1, title="Replace the firewalls", priority="high", status="in_progress")
    report = report_services.report_request(client=client_a1, actor=owner_a, enqueue=False)
    first = workers.start(fault=f"pause:{tmp_path}")
    workers.send(GENERATE, practice_id=str(report.practice_id), report_id=str(report.pk))
    wait_for(lambda: (tmp_path / "paused").exists(), what="the report half-way")
    report.refresh_from_db()
    assert report.status == ReportStatus.RUNNING and report.attempts == 1 and report.progress == 60
    task_id = report.task_id

    workers.kill(first)  # SIGKILL: the worker and its pool process, mid-report, message unacknowledged
    report.refresh_from_db()
    assert report.status == ReportStatus.RUNNING and not report.pdf

    workers.start(visibility=2)  # a new worker; Redis gives it the dead worker's message back
    wait_for(
        lambda: QBRReport.objects.get(pk=report.pk).status == ReportStatus.DONE, what="the redelivered report"
    )
    workers.idle()
    time.sleep(3)  # past another visibility timeout: nothing runs it again
    workers.idle()
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.attempts == 2 and report.task_id == task_id, (
        workers.logs()
    )
    assert QBRReport.objects.count() == 1
    assert_whole_pdf(report, "Acme Dental", "Replace the firewalls")


def test_a_database_error_during_generation_is_retried_and_the_report_ends_done(
    workers, client_a1, owner_a, tmp_path
):
    report = report_services.report_request(client=client_a1, actor=owner_a, enqueue=False)
    workers.start(fault=f"db_error_once:{tmp_path}")
    workers.send(GENERATE, practice_id=str(report.practice_id), report_id=str(report.pk))
    wait_for(
        lambda: QBRReport.objects.get(pk=report.pk).status in (ReportStatus.DONE, ReportStatus.FAILED),
        what="the report",
    )
    workers.idle()
    report.refresh_from_db()
    assert (tmp_path / "db-error").exists(), "the fault was injected"
    assert report.status == ReportStatus.DONE and report.error == "", workers.logs()
    assert report.attempts == 2  # the failed finish, then the retry
    assert_whole_pdf(report, "Acme Dental")
    assert "Retry in" in workers.logs(tail=None)
