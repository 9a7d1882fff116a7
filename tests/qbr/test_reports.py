"""QBR reports in-process (eager): requesting, versions, generation, the PDF's content, failures and
retries, the claim that makes a redelivered task harmless, the renderer's URL fetcher, the data
gathering's query count, and the daily schedule."""

import io
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.utils import timezone
from pypdf import PdfReader

from clients.models import ClientStatus
from qbr import report_services
from qbr.models import QBRReport, QBRSettings, ReportStatus, ReportTrigger
from qbr.rendering import RefusedURL, own_file, render_pdf, report_scope
from qbr.report_sections import gather_report
from tests.factories import ActionItemFactory, ClientFactory, ContactFactory, GoalFactory, InitiativeFactory

from .conftest import plan

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    """The PDF's text with its line breaks and spacing folded to single spaces."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def rich_client(client, owner, *, initiatives=3, goals=2, actions=2):
    """A client with goals, initiatives (one critical and in progress: the top one), action items and
    a planned QBR."""
    goal_objs = [GoalFactory(client=client, title=f"Goal {n} of {client.name}") for n in range(goals)]
    top = InitiativeFactory(
        client=client, title="Zero-trust network rollout", priority="critical", status="in_progress"
    )
    top.goal_links.create(practice=client.practice, goal=goal_objs[0])
    for n in range(initiatives):
        InitiativeFactory(client=client, title=f"Initiative {n}", priority="low", status="approved")
    meeting = plan(client, owner, days=5)
    contact = ContactFactory(client=client, name=f"CEO of {client.name}")
    for n in range(actions):
        owner_field = {"owner_member": owner} if n % 2 else {"owner_contact": contact}
        ActionItemFactory(
            meeting=meeting,
            description=f"Follow-up {n}",
            due_date=timezone.localdate() - timedelta(days=1),
            **owner_field,
        )
    return meeting


def generate(client, actor, **kwargs):
    report = report_services.report_request(client=client, actor=actor, enqueue=False, **kwargs)
    return report_services.report_generate(practice_id=client.practice_id, report_id=report.pk) or report


# --- requesting -----------------------------------------------------------------------------------


def test_a_request_is_queued_after_commit_for_the_next_qbrs_quarter(
    client_a1, owner_a, queued, django_capture_on_commit_callbacks
):
    meeting = plan(client_a1, owner_a, days=3)
    with django_capture_on_commit_callbacks(execute=True):
        report = report_services.report_request(client=client_a1, actor=owner_a)
    assert queued == [{"practice_id": str(client_a1.practice_id), "report_id": str(report.pk)}]
    assert report.status == ReportStatus.QUEUED and report.meeting_id == meeting.pk and report.version == 1
    assert (
        report.period
        == report_services.report_period(client=client_a1, practice=client_a1.practice, meeting=meeting).key
    )
    # A second request while it is queued answers the same report and queues nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        again = report_services.report_request(client=client_a1, actor=owner_a)
    assert again.pk == report.pk and len(queued) == 1


def test_regenerating_makes_a_new_version(client_a1, owner_a):
    first = generate(client_a1, owner_a)
    second = generate(client_a1, owner_a)
    assert (first.version, second.version) == (1, 2)
    assert first.period == second.period
    assert QBRReport.objects.filter(client=client_a1, status=ReportStatus.DONE).count() == 2


# --- generating -----------------------------------------------------------------------------------


def test_the_pdf_holds_the_client_its_top_initiative_and_the_headline_numbers(client_a1, owner_a):
    rich_client(client_a1, owner_a, initiatives=4, actions=2)
    report = generate(client_a1, owner_a)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.progress == 100 and report.attempts == 1
    data = report.pdf.read()
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "Acme Dental" in text
    assert "Zero-trust network rollout" in text  # the top initiative
    assert "Executive summary" in text and "Contents" in text
    for headline in ("In progress", "Open action items", "Planned cost, next two quarters", "Business goals"):
        assert headline in text, headline
    assert "2 overdue" in text  # the action items' headline number
    assert "Page 2 of" in text  # page numbers
    assert report.pdf.name.startswith(f"qbr/{client_a1.practice_id}/{client_a1.pk}/")
    assert "Acme" not in report.pdf.name  # a generated name, not the client's


def test_the_branding_follows_the_practice(practice_a, client_a1, owner_a):
    practice_a.brand_colour = "#aa3366"
    practice_a.save()
    _, html = _html(client_a1)
    assert "--accent: #aa3366" in html and ".accent { color: #aa3366; }" in html


def _html(client):
    from qbr.rendering import build_report_html

    practice = client.practice
    period, meeting = report_services.report_target(client=client, practice=practice)
    return build_report_html(
        practice=practice, client=client, period=period, today=timezone.localdate(), meeting=meeting
    )


def test_a_failing_report_says_why_and_can_be_retried(client_a1, owner_a, monkeypatch, queued):
    def broken(scope):
        raise RuntimeError("the roadmap section broke")

    from qbr import report_sections

    monkeypatch.setitem(
        report_sections._SECTIONS,
        "roadmap",
        report_sections._SECTIONS["roadmap"].__class__(
            key="roadmap", title="Roadmap", order=30, gather=broken, template="pdf/qbr/sections/roadmap.html"
        ),
    )
    report = generate(client_a1, owner_a)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "the roadmap section broke" in report.error
    assert not report.pdf
    monkeypatch.undo()
    report_services.report_retry(report=report, actor=owner_a)
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED and report.error == ""
    done = report_services.report_generate(practice_id=report.practice_id, report_id=report.pk)
    assert done.status == ReportStatus.DONE and done.attempts == 2
    with pytest.raises(ValidationError):
        report_services.report_retry(report=done, actor=owner_a)  # only a failed report


def test_a_redelivered_task_for_a_done_report_does_nothing(client_a1, owner_a):
    report = generate(client_a1, owner_a)
    report.refresh_from_db()
    name, finished = report.pdf.name, report.finished_at
    assert (
        report_services.report_generate(practice_id=report.practice_id, report_id=report.pk, task_id="x")
        is None
    )
    report.refresh_from_db()
    assert (report.pdf.name, report.finished_at, report.attempts) == (name, finished, 1)


def test_a_report_held_by_a_live_run_is_left_alone_and_a_stale_one_is_taken_over(client_a1, owner_a):
    report = report_services.report_request(client=client_a1, actor=owner_a, enqueue=False)
    QBRReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, task_id="other-run", started_at=timezone.now(), attempts=1
    )
    assert (
        report_services.report_generate(practice_id=report.practice_id, report_id=report.pk, task_id="mine")
        is None
    )
    assert QBRReport.objects.get(pk=report.pk).task_id == "other-run"
    # The same task id again (the message redelivered after its worker died) takes it over.
    QBRReport.objects.filter(pk=report.pk).update(task_id="mine")
    done = report_services.report_generate(
        practice_id=report.practice_id, report_id=report.pk, task_id="mine"
    )
    assert done.status == ReportStatus.DONE and done.attempts == 2
    # A run dead for longer than the hard time limit is taken over by anyone.
    other = report_services.report_request(client=client_a1, actor=owner_a, enqueue=False)
    QBRReport.objects.filter(pk=other.pk).update(
        status=ReportStatus.RUNNING,
        task_id="dead",
        started_at=timezone.now() - report_services.STALE_AFTER - timedelta(seconds=1),
    )
    assert report_services.report_generate(
        practice_id=other.practice_id, report_id=other.pk, task_id="new"
    ).is_done


def test_a_database_error_while_finishing_leaves_no_file_and_no_done_report(
    client_a1, owner_a, settings, tmp_path
):
    report = report_services.report_request(client=client_a1, actor=owner_a, enqueue=False)
    failures = []

    def fail_the_done_update(execute, sql, params, many, context):
        if sql.startswith('UPDATE "qbr_qbrreport"') and params and "done" in params and not failures:
            failures.append(sql)
            raise OperationalError("simulated: the database went away")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_the_done_update), pytest.raises(OperationalError):
        report_services.report_generate(practice_id=report.practice_id, report_id=report.pk, task_id="t1")
    report.refresh_from_db()
    assert failures and report.status == ReportStatus.RUNNING and not report.pdf
    media = tmp_path / "media"
    assert not list(media.rglob("*.pdf")), "the half-finished report's file was left behind"
    # The task's retry (same task id) finishes it.
    done = report_services.report_generate(practice_id=report.practice_id, report_id=report.pk, task_id="t1")
    assert done.status == ReportStatus.DONE and done.attempts == 2
    assert len(list(media.rglob("*.pdf"))) == 1


def test_the_task_runs_the_service_and_is_idempotent(client_a1, owner_a, django_capture_on_commit_callbacks):
    from qbr.tasks import qbr_report_generate_task

    with django_capture_on_commit_callbacks(execute=True):  # eager: the task runs on commit
        report = report_services.report_request(client=client_a1, actor=owner_a)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    result = qbr_report_generate_task.apply(
        kwargs={"practice_id": str(report.practice_id), "report_id": str(report.pk)}
    )
    assert result.get() is None
    assert QBRReport.objects.get(pk=report.pk).attempts == 1
    # A missing report is logged and the task returns.
    missing = qbr_report_generate_task.apply(
        kwargs={"practice_id": str(report.practice_id), "report_id": "00000000-0000-0000-0000-000000000000"}
    )
    assert missing.successful() and missing.get() is None


def test_another_practices_id_never_reaches_a_report(client_a1, owner_a, practice_b, owner_b):
    report = report_services.report_request(client=client_a1, actor=owner_a, enqueue=False)
    assert report_services.report_generate(practice_id=practice_b.pk, report_id=report.pk) is None
    assert QBRReport.objects.get(pk=report.pk).status == ReportStatus.QUEUED


# --- gathering ------------------------------------------------------------------------------------


def test_gathering_runs_the_same_number_of_queries_for_a_small_and_a_large_client(
    practice_a, owner_a, django_assert_num_queries
):
    small = ClientFactory(practice=practice_a, name="Small")
    large = ClientFactory(practice=practice_a, name="Large")
    rich_client(small, owner_a, initiatives=1, goals=1, actions=1)
    rich_client(large, owner_a, initiatives=40, goals=8, actions=30)
    for n in range(10):
        InitiativeFactory(client=large, status="done", completed_at=timezone.now(), title=f"Done {n}")

    def gather(client):
        period, meeting = report_services.report_target(client=client, practice=practice_a)
        scope = report_scope(
            practice=practice_a, client=client, period=period, today=timezone.localdate(), meeting=meeting
        )
        return scope

    small_scope, large_scope = gather(small), gather(large)
    with django_assert_num_queries(30, exact=False) as few:
        gather_report(small_scope)
    with django_assert_num_queries(len(few.captured_queries)):
        data = gather_report(large_scope)
    roadmap = next(s.data for s in data.sections if s.key == "roadmap")
    assert roadmap["top"].title == "Zero-trust network rollout"
    assert roadmap["in_progress_more"] == 0 and len(roadmap["done"]) == 10


# --- the renderer's URL fetcher -------------------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.path)
        body = b"\x89PNG\r\n\x1a\n"
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    """A local HTTP server that records every request it gets."""
    _Recorder.hits = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.hits
    server.shutdown()
    server.server_close()


def test_the_renderer_fetches_no_url_but_our_own_files(listener, tmp_path):
    base, hits = listener
    secret = tmp_path / "secret.css"
    secret.write_text("body { background: red }")
    html = f"""<html><head>
      <link rel="stylesheet" href="{base}/style.css">
      <link rel="stylesheet" href="file://{secret}">
      <link rel="stylesheet" href="/static/css/qbr-report.css">
      <style>@import url("{base}/import.css"); body {{ background: url("{base}/bg.png") }}</style>
    </head><body>
      <img src="{base}/logo.png"><img src="//127.0.0.1:{base.rsplit(":", 1)[1]}/proto.png">
      <img src="/media/../../etc/passwd"><img src="/static/../vcio/settings.py">
      <p>Hello</p></body></html>"""
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF-") and "Hello" in pdf_text(pdf)
    assert hits == [], f"the renderer fetched {hits}"


def test_the_practice_logo_is_read_from_storage_even_when_media_is_served_elsewhere(
    practice_a, client_a1, owner_a, listener, settings
):
    from django.core.files.base import ContentFile

    base, hits = listener
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
        b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    practice_a.logo.save("logo.png", ContentFile(png))
    settings.MEDIA_URL = f"{base}/media/"  # e.g. a CDN: the logo's URL points at another host
    _, html = _html(client_a1)
    assert f"{base}/media/logos/" in html
    assert render_pdf(html).startswith(b"%PDF-")
    assert hits == [], f"the renderer fetched {hits}"
    body, content_type = own_file(practice_a.logo.url)
    assert body == png and content_type == "image/png"


def test_own_file_serves_static_and_media_and_refuses_the_rest():
    body, content_type = own_file("https://vcio-report.invalid/static/css/qbr-report.css")
    assert b"@page" in body and content_type == "text/css"
    for url in (
        "https://vcio-report.invalid/static/../manage.py",
        "https://vcio-report.invalid/static/%2e%2e/manage.py",
        "https://vcio-report.invalid/elsewhere/x.css",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "https://vcio-report.invalid/static/nope.css",
    ):
        with pytest.raises(RefusedURL):
            own_file(url)


# --- the schedule ---------------------------------------------------------------------------------


def _morning(practice, hour=7, days=0):
    """An instant at `hour` o'clock (local) today (+days) in the practice's time zone."""
    from qbr.services import practice_zone

    zone = practice_zone(practice)
    local = timezone.localtime(timezone.now(), zone) + timedelta(days=days)
    return local.replace(hour=hour, minute=5, second=0, microsecond=0)


def test_a_practice_is_due_once_a_day_from_its_local_morning(practice_a, practice_b):
    practice_a.time_zone, practice_b.time_zone = "America/New_York", "Asia/Tokyo"
    practice_a.save()
    practice_b.save()
    QBRSettings.objects.create(practice=practice_b, morning_hour=9)
    at_seven_ny = _morning(practice_a, 7)
    due = dict(report_services.due_practices_all_practices(now=at_seven_ny))
    assert str(practice_a.pk) in due
    assert str(practice_a.pk) not in dict(
        report_services.due_practices_all_practices(now=_morning(practice_a, 6))
    )
    report_services.schedule_practice_reports(
        practice_id=practice_a.pk, day=due[str(practice_a.pk)], now=at_seven_ny
    )
    assert str(practice_a.pk) not in dict(report_services.due_practices_all_practices(now=at_seven_ny))
    assert str(practice_a.pk) in dict(
        report_services.due_practices_all_practices(now=at_seven_ny + timedelta(days=1))
    )


def test_the_schedule_makes_one_report_per_due_client_and_emails_a_link(
    practice_a, owner_a, consultant_a, django_capture_on_commit_callbacks
):
    due = ClientFactory(practice=practice_a, name="Due Dental", primary_consultant=consultant_a)
    later = ClientFactory(practice=practice_a, name="Later Legal")
    archived = ClientFactory(practice=practice_a, name="Archived Arch", status=ClientStatus.ARCHIVED)
    ClientFactory(practice=practice_a, name="No Meeting Co")
    now = _morning(practice_a, 8)
    meeting = plan(due, owner_a, days=3)
    plan(later, owner_a, days=20)
    plan(archived, owner_a, days=2)
    day = report_services.local_today(practice_a, now)
    for _ in range(2):  # the same day twice: one report
        with django_capture_on_commit_callbacks(execute=True):
            report_services.schedule_practice_reports(practice_id=practice_a.pk, day=day, now=now)
    QBRSettings.objects.filter(practice=practice_a).update(last_scheduled_on=None)  # even forced again
    with django_capture_on_commit_callbacks(execute=True):
        report_services.schedule_practice_reports(practice_id=practice_a.pk, day=day, now=now)
    reports = list(QBRReport.objects.for_practice(practice_a))
    assert [(r.client_id, r.trigger, r.meeting_id, r.status) for r in reports] == [
        (due.pk, ReportTrigger.SCHEDULED, meeting.pk, ReportStatus.DONE)
    ]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [consultant_a.email] and "Due Dental" in message.subject
    assert f"/p/alpha/clients/{due.pk}/qbr/reports/{reports[0].pk}/" in message.body
    assert not message.attachments


def test_the_schedule_is_registered_once_and_admin_edits_are_kept():
    from django_celery_beat.models import PeriodicTask

    from qbr.schedules import SCHEDULE_NAME, SCHEDULE_TASK, ensure_schedules

    PeriodicTask.objects.filter(name=SCHEDULE_NAME).delete()
    assert ensure_schedules() is True
    task = PeriodicTask.objects.get(name=SCHEDULE_NAME)
    assert task.task == SCHEDULE_TASK and task.enabled and task.crontab.hour == "*"
    task.enabled = False
    task.save()
    assert ensure_schedules() is False
    assert PeriodicTask.objects.filter(name=SCHEDULE_NAME).count() == 1
    assert PeriodicTask.objects.get(name=SCHEDULE_NAME).enabled is False


def test_the_fan_out_task_queues_each_due_practice_once(
    practice_a, practice_b, owner_a, django_capture_on_commit_callbacks
):
    from qbr.tasks import qbr_schedule_reports_all_practices

    client = ClientFactory(practice=practice_a)
    plan(client, owner_a, days=2)
    now = _morning(practice_a, 9).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        assert qbr_schedule_reports_all_practices.apply(kwargs={"now": now}).get() == 2  # both practices
    with django_capture_on_commit_callbacks(execute=True):
        assert qbr_schedule_reports_all_practices.apply(kwargs={"now": now}).get() == 0
    assert QBRReport.objects.filter(client=client, status=ReportStatus.DONE).count() == 1
    assert not QBRReport.objects.for_practice(practice_b).exists()


@pytest.mark.django_db(transaction=True)
def test_qbr_generate_queues_the_same_task_and_waits_for_the_pdf(
    practice_a, client_a1, client_a2, owner_a, capsys
):
    from django.core.management import call_command

    call_command("qbr_generate", "--practice", "alpha", "--client", str(client_a1.pk), "--wait")
    out = capsys.readouterr().out.strip().splitlines()
    report = QBRReport.objects.get(client=client_a1)
    assert report.status == ReportStatus.DONE and out == [report.pdf.path]
    call_command("qbr_generate", "--practice", "alpha", "--wait")
    assert QBRReport.objects.filter(client=client_a2, status=ReportStatus.DONE).count() == 1
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("qbr_generate", "--practice", "bravo-nope")
    with pytest.raises(CommandError):
        call_command("qbr_generate", "--practice", "alpha", "--client", "not-an-id")
