"""Journey 7 (PRODUCT.md): plan a QBR, preview its report, generate it and watch its progress,
download the PDF, then run the meeting (two action items added inline) and hold it — the next QBR
is planned on the client's cadence.

The report is made off the request, as by a worker: the task's `delay` starts a background thread
(the suite has no worker process here; tests/qbr/test_worker_integration.py covers the real one).
"""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from clients.models import Contact
from qbr import report_services
from qbr.models import ActionItem, Meeting, MeetingStatus, QBRReport, ReportStatus
from tests.factories import ClientFactory, InitiativeFactory

from .conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def background_worker(monkeypatch):
    """`qbr_report_generate_task.delay` runs the service in a thread, a moment later."""
    from qbr.tasks import qbr_report_generate_task

    threads = []

    def run(practice_id, report_id):
        try:
            threading.Event().wait(1.0)  # long enough for the page to show the report queued
            report_services.report_generate(practice_id=practice_id, report_id=report_id, task_id="browser")
        finally:
            connection.close()

    def delay(**kwargs):
        thread = threading.Thread(target=run, kwargs=kwargs, daemon=True)
        threads.append(thread)
        thread.start()

    monkeypatch.setattr(qbr_report_generate_task, "delay", delay)
    yield threads
    for thread in threads:
        thread.join(timeout=60)


def test_consultant_plans_previews_generates_and_holds_a_qbr(page, demo, background_worker):
    world, logins = demo
    consultant = world.consultants[0]
    client = ClientFactory(
        practice=world.practice,
        name="Lakeside Family Clinic",
        primary_consultant=consultant,
        qbr_cadence_months=3,
    )
    Contact.objects.create(
        practice=world.practice, client=client, name="Dana Whitfield", title="CEO", is_executive=True
    )
    InitiativeFactory(
        client=client, title="Replace the clinic firewalls", priority="critical", status="in_progress"
    )
    log_in(page, *logins["CONSULTANT"])
    page.goto(f"/p/{world.practice.slug}/clients/{client.pk}/")
    page.get_by_role("link", name="QBR", exact=True).click()
    expect(page.get_by_text("No meeting planned.")).to_be_visible()

    # Plan: when, where, who; the standard agenda is ready to edit.
    page.get_by_role("link", name="Plan a meeting").click()
    when = timezone.localtime(timezone.now() + timedelta(days=10)).replace(hour=10, minute=0)
    page.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Location or video link").fill("https://meet.example.com/lakeside")
    expect(page.get_by_label("Dana Whitfield — CEO")).to_be_checked()  # executives are invited by default
    expect(page.get_by_label("Agenda")).to_have_value(re.compile(r"^Welcome and business update\n"))
    page.get_by_role("button", name="Plan meeting").click()
    expect(page).to_have_url(re.compile(r"/qbr/meetings/[0-9a-f-]{36}/$"))
    expect(page.locator("#agenda")).to_contain_text("Roadmap: what was done, what is next")
    meeting = Meeting.objects.get(client=client)

    # Preview the report (the PDF's own template, in the browser), then generate it.
    page.get_by_role("link", name="Preview").click()
    expect(page.locator(".cover-title")).to_have_text("Lakeside Family Clinic")
    expect(page.locator("#sec-roadmap")).to_contain_text("Replace the clinic firewalls")
    expect(page.locator("#toc")).to_contain_text("Executive summary")
    page.get_by_role("button", name="Generate PDF").click()

    # Watch its progress: the status card polls until the PDF is ready.
    expect(page.locator("#report-status")).to_contain_text("QBR report")
    expect(page.get_by_text("The report is ready.")).to_be_visible(timeout=60_000)
    report = QBRReport.objects.get(client=client)
    assert report.status == ReportStatus.DONE and report.meeting_id == meeting.pk
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert download.value.suggested_filename.startswith("lakeside-family-clinic-qbr-")

    # Run the meeting: two action items added inline, one ticked off; notes saved.
    page.goto(f"/p/{world.practice.slug}/clients/{client.pk}/qbr/meetings/{meeting.pk}/")
    items = page.locator("#action-items")
    for text, owner in (
        ("Send the signed firewall quote", "Dana Whitfield"),
        ("Book the restore test", consultant.display_name),
    ):
        items.get_by_role("textbox", name="Action item").fill(text)
        items.get_by_label("Owner").select_option(label=owner)
        items.get_by_role("button", name="Add action item").click()
        expect(page.locator("#action-items")).to_contain_text(text)
    page.locator("#action-items").get_by_role("button", name="Mark done: Book the restore test").click()
    expect(page.get_by_role("button", name="Reopen: Book the restore test")).to_be_visible()
    page.get_by_label("Notes").fill("Agreed: firewalls first, then MFA.")
    page.get_by_role("button", name="Save notes").click()
    expect(page.locator("#notes")).to_contain_text("Saved")

    # Close it: held; the next QBR is proposed three months later.
    expect(page.get_by_label("Next QBR", exact=True)).not_to_have_value("")
    page.get_by_role("button", name="Mark as held").click()
    expect(page.locator(".toast")).to_contain_text("Next QBR planned")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.notes == "Agreed: firewalls first, then MFA."
    assert ActionItem.objects.filter(meeting=meeting).count() == 2
    assert ActionItem.objects.get(description="Book the restore test").status == "done"
    nxt = Meeting.objects.get(client=client, status=MeetingStatus.PLANNED)
    assert 85 <= (nxt.scheduled_at - meeting.scheduled_at).days <= 93
    report.refresh_from_db()
    assert report.snapshot
    page.get_by_role("link", name="QBR", exact=True).first.click()
    expect(page.locator("#meetings")).to_contain_text("Past and cancelled")
    assert page.js_errors == []
