"""The QBR pages: the client's QBR tab, a meeting's page (prepare, run with htmx, close), the report
pages, the practice's Meetings list and QBR settings — access, isolation, bad input, query counts."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from qbr.models import ActionItem, AgendaItem, Meeting, MeetingStatus, QBRReport, QBRSettings, ReportStatus
from tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    ClientFactory,
    ContactFactory,
    InitiativeFactory,
    MeetingFactory,
    QBRReportFactory,
)

from .conftest import HTMX, plan, url

pytestmark = pytest.mark.django_db

CLIENT_PAGES = ["client", "meeting_create", "report_preview"]
MEETING_PAGES = ["meeting", "meeting_edit", "meeting_hold", "meeting_ics"]
REPORT_PAGES = ["report", "report_download"]


def get_pages(http, client, w, prefix="a1", with_client_pages=True):
    """(name, url) of every GET page of `client` with `w`'s objects of `prefix`."""
    m, r = w[f"{prefix}_meeting"], w[f"{prefix}_report"]
    return (
        [(n, url(n, client)) for n in (CLIENT_PAGES if with_client_pages else [])]
        + [(n, url(n, client, m.pk)) for n in MEETING_PAGES]
        + [(n, url(n, client, r.pk)) for n in REPORT_PAGES]
    )


def post_urls(client, w, prefix):
    m, r, a, i = (w[f"{prefix}_{k}"] for k in ("meeting", "report", "action", "agenda"))
    return [
        url("meeting_notes", client, m.pk),
        url("meeting_hold", client, m.pk),
        url("meeting_cancel", client, m.pk),
        url("meeting_delete", client, m.pk),
        url("meeting_edit", client, m.pk),
        url("agenda_add", client, m.pk),
        url("action_add", client, m.pk),
        url("agenda_delete", client, i.pk),
        url("agenda_move", client, i.pk),
        url("action_toggle", client, a.pk),
        url("action_delete", client, a.pk),
        url("report_retry", client, r.pk),
    ]


def test_every_page_renders_for_a_viewer(as_viewer_a, client_a1, world):
    for name, target in get_pages(as_viewer_a, client_a1, world):
        response = as_viewer_a.get(target)
        expected = 403 if name in ("meeting_create", "meeting_edit", "meeting_hold") else 200
        assert response.status_code == expected, (name, response.status_code)
        if expected == 200 and response["Content-Type"].startswith("text/html"):
            assert b"CANARY" not in response.content and b"A2-only" not in response.content, name
    tab = as_viewer_a.get(url("client", client_a1)).content.decode()
    assert "Alpha QBR" in tab and "Alpha action" in tab
    assert "Generate now" not in tab and "Plan a meeting" not in tab  # no write buttons for a viewer


def test_other_practice_objects_are_404_under_our_urls(as_owner_a, client_a1, canary_client_b, world):
    for _name, target in get_pages(as_owner_a, client_a1, world, "b", with_client_pages=False):
        assert as_owner_a.get(target).status_code == 404, target
    for name in CLIENT_PAGES + ["report_generate"]:
        assert as_owner_a.get(url(name, canary_client_b)).status_code in (404,), name
    for target in post_urls(client_a1, world, "b"):
        assert as_owner_a.post(target, {"notes": "x", "title": "x", "description": "x"}).status_code == 404, (
            target
        )
    b = world["b_meeting"]
    b.refresh_from_db()
    assert b.status == MeetingStatus.PLANNED and b.notes == ""
    assert AgendaItem.objects.filter(pk=world["b_agenda"].pk).exists()
    assert ActionItem.objects.get(pk=world["b_action"].pk).status == "open"


def test_practice_b_member_gets_404_on_practice_a_pages(as_owner_b, client_a1, world):
    for _name, target in get_pages(as_owner_b, client_a1, world):
        assert as_owner_b.get(target).status_code == 404, target
    for target in post_urls(client_a1, world, "a1"):
        assert as_owner_b.post(target, {}).status_code == 404, target
    assert as_owner_b.get(reverse("qbr:meetings", args=["alpha"])).status_code == 404


def test_another_clients_objects_are_404_under_this_clients_urls(as_owner_a, client_a1, world):
    for _name, target in get_pages(as_owner_a, client_a1, world, "a2", with_client_pages=False):
        assert as_owner_a.get(target).status_code == 404, target
    for target in post_urls(client_a1, world, "a2"):
        assert as_owner_a.post(target, {"notes": "x", "title": "x", "description": "x"}).status_code == 404, (
            target
        )
    assert Meeting.objects.get(pk=world["a2_meeting"].pk).status == MeetingStatus.PLANNED
    assert ActionItem.objects.get(pk=world["a2_action"].pk).status == "open"


def test_a_viewer_changes_nothing(as_viewer_a, client_a1, world, queued):
    for target in post_urls(client_a1, world, "a1") + [url("report_generate", client_a1)]:
        assert (
            as_viewer_a.post(target, {"notes": "x", "title": "x", "description": "x"}).status_code == 403
        ), target
    meeting = Meeting.objects.get(pk=world["a1_meeting"].pk)
    assert meeting.status == MeetingStatus.PLANNED and meeting.notes == ""
    assert ActionItem.objects.get(pk=world["a1_action"].pk).status == "open"
    assert QBRReport.objects.filter(client=client_a1).count() == 1 and queued == []
    assert as_viewer_a.post(reverse("qbr:generate_all", args=["alpha"])).status_code == 403
    assert as_viewer_a.get(reverse("qbr:settings", args=["alpha"])).status_code == 403


def test_anonymous_is_sent_to_login(client, client_a1):
    response = client.get(url("client", client_a1))
    assert response.status_code == 302 and "login" in response["Location"]


# --- prepare --------------------------------------------------------------------------------------


def _meeting_form(**overrides):
    data = {
        "kind": "qbr",
        "title": "",
        "scheduled_at": (timezone.localdate() + timedelta(days=20)).isoformat() + "T14:30",
        "duration_minutes": "90",
        "location": "https://meet.example.com/acme",
        "agenda": "Welcome\nRoadmap review\n\nBudget",
    }
    data.update(overrides)
    return data


def test_plan_a_meeting_in_the_practices_time_zone(practice_a, as_consultant_a, consultant_a, client_a1):
    practice_a.time_zone = "Europe/Berlin"
    practice_a.save()
    ceo = ContactFactory(client=client_a1, is_executive=True, name="Dana CEO")
    form = as_consultant_a.get(url("meeting_create", client_a1)).content.decode()
    assert "Welcome and business update" in form  # the standard QBR agenda, ready to edit
    data = _meeting_form(members=[str(consultant_a.pk)], contacts=[str(ceo.pk)])
    response = as_consultant_a.post(url("meeting_create", client_a1), data)
    meeting = Meeting.objects.get(client=client_a1)
    assert response.status_code == 302 and response["Location"] == url("meeting", client_a1, meeting.pk)
    local = timezone.localtime(meeting.scheduled_at, timezone.get_fixed_timezone(0)).hour
    assert local in (12, 13)  # 14:30 in Berlin is 12:30 or 13:30 UTC
    assert [i.title for i in meeting.agenda_items.all()] == ["Welcome", "Roadmap review", "Budget"]
    page = as_consultant_a.get(url("meeting", client_a1, meeting.pk)).content.decode()
    assert "14:30" in page and "Dana CEO" in page and "Join the call" in page


def test_bad_meeting_input_shows_field_errors_and_saves_nothing(as_consultant_a, client_a1, owner_b):
    cases = {
        "scheduled_at": _meeting_form(scheduled_at="next tuesday"),
        "duration_minutes": _meeting_form(duration_minutes="5"),
        "location": _meeting_form(location="javascript://x"),
        "kind": _meeting_form(kind="party"),
        "members": _meeting_form(members=[str(owner_b.pk)]),
    }
    for field, data in cases.items():
        response = as_consultant_a.post(url("meeting_create", client_a1), data)
        assert response.status_code == 200, field
        assert response.context["form"].errors.get(field), field
    long_agenda = _meeting_form(agenda="\n".join(f"Item {n}" for n in range(60)))
    response = as_consultant_a.post(url("meeting_create", client_a1), long_agenda)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Meeting.objects.exists()


def test_edit_changes_attendees_and_agenda(as_consultant_a, consultant_a, owner_a, client_a1):
    meeting = plan(client_a1, owner_a, members=[owner_a])
    data = _meeting_form(members=[str(consultant_a.pk)], agenda="Only this")
    assert as_consultant_a.post(url("meeting_edit", client_a1, meeting.pk), data).status_code == 302
    meeting.refresh_from_db()
    assert [link.user_id for link in meeting.member_links.all()] == [consultant_a.pk]
    assert [i.title for i in meeting.agenda_items.all()] == ["Only this"]


def test_the_agenda_is_edited_inline(as_consultant_a, owner_a, client_a1):
    meeting = plan(client_a1, owner_a, agenda=["One", "Two"])
    response = as_consultant_a.post(url("agenda_add", client_a1, meeting.pk), {"title": "Three"}, **HTMX)
    assert (
        response.status_code == 200
        and 'id="agenda"' in response.content.decode()
        and "Three" in response.content.decode()
    )
    two = AgendaItem.objects.get(title="Two")
    as_consultant_a.post(url("agenda_move", client_a1, two.pk), {"direction": "up"}, **HTMX)
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("title", flat=True)) == [
        "Two",
        "One",
        "Three",
    ]
    response = as_consultant_a.post(url("agenda_add", client_a1, meeting.pk), {"title": ""}, **HTMX)
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert (
        as_consultant_a.post(
            url("agenda_move", client_a1, two.pk), {"direction": "sideways"}, **HTMX
        ).status_code
        == 400
    )
    as_consultant_a.post(url("agenda_delete", client_a1, two.pk), **HTMX)
    assert AgendaItem.objects.filter(meeting=meeting).count() == 2


# --- run ------------------------------------------------------------------------------------------


def test_action_items_are_added_and_toggled_inline(as_consultant_a, consultant_a, owner_a, client_a1):
    meeting = plan(client_a1, owner_a)
    cfo = ContactFactory(client=client_a1, name="Chris CFO")
    response = as_consultant_a.post(
        url("action_add", client_a1, meeting.pk),
        {"description": "Send the budget draft", "owner": f"c:{cfo.pk}", "due_date": "2031-05-01"},
        **HTMX,
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'id="action-items"' in page and "Send the budget draft" in page
    item = ActionItem.objects.get(meeting=meeting)
    assert item.owner_contact == cfo and item.client_id == client_a1.pk and str(item.due_date) == "2031-05-01"
    as_consultant_a.post(
        url("action_add", client_a1, meeting.pk),
        {"description": "Book the pen test", "owner": f"m:{consultant_a.pk}"},
        **HTMX,
    )
    assert ActionItem.objects.get(description="Book the pen test").owner_member == consultant_a
    response = as_consultant_a.post(url("action_toggle", client_a1, item.pk), **HTMX)
    assert response.status_code == 200 and f'id="action-{item.pk}"' in response.content.decode()
    item.refresh_from_db()
    assert item.status == "done" and item.done_at is not None


def test_bad_action_item_input_is_refused_with_errors(
    as_consultant_a, owner_a, owner_b, client_a1, client_a2
):
    meeting = plan(client_a1, owner_a)
    other_contact = ContactFactory(client=client_a2)
    for data in (
        {"description": ""},
        {"description": "x", "owner": f"c:{other_contact.pk}"},
        {"description": "x", "owner": f"m:{owner_b.pk}"},
        {"description": "x", "owner": "m:not-a-uuid"},
        {"description": "x", "due_date": "someday"},
        {"description": "y" * 501},
    ):
        response = as_consultant_a.post(url("action_add", client_a1, meeting.pk), data, **HTMX)
        assert response.status_code == 400, data
        assert "invalid-feedback" in response.content.decode(), data
    assert not ActionItem.objects.exists()


def test_notes_are_saved_inline(as_consultant_a, owner_a, client_a1):
    meeting = plan(client_a1, owner_a)
    response = as_consultant_a.post(
        url("meeting_notes", client_a1, meeting.pk), {"notes": "Agreed on MFA."}, **HTMX
    )
    assert response.status_code == 200 and "Saved" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.notes == "Agreed on MFA."


# --- close ----------------------------------------------------------------------------------------


def test_hold_proposes_the_next_qbr_and_the_date_can_be_changed(as_consultant_a, owner_a, client_a1):
    meeting = plan(client_a1, owner_a, days=1)
    page = as_consultant_a.get(url("meeting", client_a1, meeting.pk)).content.decode()
    assert "Mark as held" in page and 'name="next_scheduled_at"' in page
    chosen = (timezone.localdate() + timedelta(days=95)).isoformat() + "T09:00"
    response = as_consultant_a.post(
        url("meeting_hold", client_a1, meeting.pk), {"propose_next": "on", "next_scheduled_at": chosen}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    nxt = Meeting.objects.get(status=MeetingStatus.PLANNED, client=client_a1)
    assert timezone.localtime(nxt.scheduled_at).strftime("%Y-%m-%dT%H:%M") == chosen
    # Held: no second hold, and it cannot be deleted.
    assert as_consultant_a.post(url("meeting_hold", client_a1, meeting.pk), {}).status_code == 400
    as_consultant_a.post(url("meeting_delete", client_a1, meeting.pk))
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_hold_refuses_a_next_date_before_the_meeting(as_consultant_a, owner_a, client_a1):
    meeting = plan(client_a1, owner_a, days=30)
    before = (timezone.localdate() + timedelta(days=2)).isoformat() + "T09:00"
    response = as_consultant_a.post(
        url("meeting_hold", client_a1, meeting.pk), {"propose_next": "on", "next_scheduled_at": before}
    )
    assert response.status_code == 400 and "must come after" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_the_ics_file_is_a_calendar_event(as_viewer_a, owner_a, client_a1):
    ceo = ContactFactory(client=client_a1, email="ceo@acme.example.com", name="Dana CEO")
    meeting = plan(client_a1, owner_a, members=[owner_a], contacts=[ceo], location="Board room")
    response = as_viewer_a.get(url("meeting_ics", client_a1, meeting.pk))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith('attachment; filename="qbr-acme-dental-')
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert str(event["uid"]) == f"meeting-{meeting.pk}@vcio"
    assert event.decoded("dtstart") == meeting.scheduled_at
    assert event.decoded("dtend") == meeting.scheduled_at + timedelta(minutes=60)
    assert str(event["summary"]) == "QBR — Acme Dental" and str(event["location"]) == "Board room"
    attendees = {str(a) for a in event["attendee"]}
    assert {"mailto:ceo@acme.example.com", f"mailto:{owner_a.email}"} <= attendees
    assert "1. Welcome and business update" in str(event["description"])


# --- reports --------------------------------------------------------------------------------------


def test_generate_now_queues_the_report_and_shows_its_progress(
    as_consultant_a, client_a1, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_consultant_a.post(url("report_generate", client_a1))
    report = QBRReport.objects.get(client=client_a1)
    assert response.status_code == 302 and response["Location"] == url("report", client_a1, report.pk)
    assert queued == [{"practice_id": str(report.practice_id), "report_id": str(report.pk)}]
    page = as_consultant_a.get(url("report", client_a1, report.pk)).content.decode()
    assert "Waiting for a worker" in page and 'hx-trigger="every 1s"' in page
    QBRReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, progress=60, started_at=timezone.now()
    )
    card = as_consultant_a.get(url("report", client_a1, report.pk), **HTMX)
    assert card.status_code == 200 and "60%" in card.content.decode() and "<html" not in card.content.decode()
    assert card["Vary"] and "HX-Request" in card["Vary"]


def test_a_ready_report_stops_polling_and_downloads(as_viewer_a, client_a1):
    report = QBRReportFactory(client=client_a1, ready=True)
    card = as_viewer_a.get(url("report", client_a1, report.pk), **HTMX).content.decode()
    assert "hx-trigger" not in card and "Download the PDF" in card
    response = as_viewer_a.get(url("report_download", client_a1, report.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "acme-dental-qbr-" in response["Content-Disposition"]
    queued_report = QBRReportFactory(client=client_a1)
    assert as_viewer_a.get(url("report_download", client_a1, queued_report.pk)).status_code == 404


def test_a_failed_report_shows_its_error_and_can_be_retried(
    as_consultant_a, client_a1, queued, django_capture_on_commit_callbacks
):
    report = QBRReportFactory(
        client=client_a1, status=ReportStatus.FAILED, error="The roadmap section broke."
    )
    page = as_consultant_a.get(url("report", client_a1, report.pk)).content.decode()
    assert "The roadmap section broke." in page and "Retry" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert as_consultant_a.post(url("report_retry", client_a1, report.pk)).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED and report.error == "" and len(queued) == 1


def test_a_report_request_for_another_practices_client_is_a_404_and_queues_nothing(
    as_owner_a, canary_client_b, client_a1, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_owner_a.post(url("report_generate", canary_client_b))
        response_b_slug = as_owner_a.post(url("report_generate", canary_client_b, practice="bravo"))
    assert response.status_code == 404 and response_b_slug.status_code == 404
    assert queued == [] and not QBRReport.objects.exists()


def test_the_preview_is_the_reports_template_under_the_csp(as_viewer_a, client_a1, owner_a):
    InitiativeFactory(client=client_a1, title="Replace the firewall", status="in_progress", priority="high")
    plan(client_a1, owner_a, days=4)
    response = as_viewer_a.get(url("report_preview", client_a1))
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Quarterly business review" in page and "Replace the firewall" in page and "Executive summary" in page
    )
    assert "Report preview" in page and "Generate PDF" not in page  # a viewer cannot generate
    assert ' style="' not in page  # no inline style attributes (CSP)
    nonce = re.search(r'<style nonce="([^"]+)">', page).group(1)  # the brand colour's style block
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    other = as_viewer_a.get(url("report_preview", client_a1) + "?period=nonsense")
    assert other.status_code == 200
    period = as_viewer_a.get(url("report_preview", client_a1) + "?period=FY2030 Q1").content.decode()
    assert "FY2030 Q1" in period


# --- practice pages -------------------------------------------------------------------------------


def test_the_meetings_page_lists_upcoming_meetings_across_clients(
    as_viewer_a, owner_a, client_a1, client_a2, world
):
    past = MeetingFactory(
        client=client_a2, title="Old review", scheduled_at=timezone.now() - timedelta(days=40)
    )
    page = as_viewer_a.get(reverse("qbr:meetings", args=["alpha"])).content.decode()
    assert "Alpha QBR" in page and "A2-only meeting" in page and "Old review" not in page
    assert "CANARY" not in page
    past_page = as_viewer_a.get(reverse("qbr:meetings", args=["alpha"]) + "?when=past").content.decode()
    assert "Old review" in past_page and "Alpha QBR" not in past_page
    only_a1 = as_viewer_a.get(
        reverse("qbr:meetings", args=["alpha"]) + f"?client={client_a1.pk}"
    ).content.decode()
    assert "Alpha QBR" in only_a1 and "A2-only meeting" not in only_a1
    bad = as_viewer_a.get(reverse("qbr:meetings", args=["alpha"]) + "?client=nope&when=soon&sort=evil")
    assert bad.status_code == 200
    response = as_viewer_a.get(reverse("qbr:meetings", args=["alpha"]) + "?format=csv&when=all")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Date and time", "Duration (minutes)", "Client"]
    assert {r[2] for r in rows[1:]} == {"Acme Dental", "Apex Legal"} and len(rows) == 4
    _ = past


def test_generate_for_all_clients_shows_done_over_total(
    as_consultant_a, practice_a, client_a1, client_a2, queued, django_capture_on_commit_callbacks
):
    ClientFactory(practice=practice_a, name="Archived", status="archived")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_consultant_a.post(reverse("qbr:generate_all", args=["alpha"]))
    assert response.status_code == 302 and len(queued) == 2
    batch_url = response["Location"]
    page = as_consultant_a.get(batch_url).content.decode()
    assert "0</span> / 2 done" in page and 'hx-trigger="every 1s"' in page
    QBRReport.objects.filter(client=client_a1).update(status=ReportStatus.DONE, progress=100, pdf="qbr/x.pdf")
    card = as_consultant_a.get(batch_url, **HTMX).content.decode()
    assert "1</span> / 2 done" in card
    QBRReport.objects.filter(client=client_a2).update(status=ReportStatus.FAILED)
    card = as_consultant_a.get(batch_url, **HTMX).content.decode()
    assert "1 failed" in card and "hx-trigger" not in card


def test_qbr_settings_are_for_owners_and_admins(as_admin_a, as_consultant_a, practice_a):
    target = reverse("qbr:settings", args=["alpha"])
    assert as_consultant_a.get(target).status_code == 403
    assert as_admin_a.get(target).status_code == 200
    response = as_admin_a.post(target, {"lead_time_days": "0", "morning_hour": "25"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"lead_time_days", "morning_hour"}
    assert not QBRSettings.objects.exists()
    assert as_admin_a.post(target, {"lead_time_days": "10", "morning_hour": "6"}).status_code == 302
    row = QBRSettings.objects.get(practice=practice_a)
    assert (row.lead_time_days, row.morning_hour) == (10, 6)


def test_the_qbr_tab_and_sidebar_are_registered(as_viewer_a, client_a1):
    page = as_viewer_a.get(reverse("clients:overview", args=["alpha", client_a1.pk])).content.decode()
    assert url("client", client_a1) in page and "Next QBR" in page
    assert reverse("qbr:meetings", args=["alpha"]) in page


# --- query counts ---------------------------------------------------------------------------------


def _grow(client, owner, n):
    for k in range(n):
        meeting = MeetingFactory(
            client=client, title=f"Meeting {k}", scheduled_at=timezone.now() + timedelta(days=k + 1)
        )
        AgendaItemFactory(meeting=meeting)
        ActionItemFactory(meeting=meeting, owner_member=owner)
        ActionItemFactory(meeting=meeting, owner_contact=ContactFactory(client=client))
        QBRReportFactory(client=client, requested_by=owner, meeting=meeting)


@pytest.mark.parametrize("name", ["client", "meetings", "meeting"])
def test_page_queries_do_not_grow(
    name, as_consultant_a, consultant_a, owner_a, client_a1, django_assert_num_queries
):
    focus = plan(client_a1, owner_a, members=[owner_a])
    _grow(client_a1, owner_a, 2)
    for _ in range(2):
        ActionItemFactory(meeting=focus, owner_member=owner_a)
    target = {
        "client": url("client", client_a1),
        "meetings": reverse("qbr:meetings", args=["alpha"]),
        "meeting": url("meeting", client_a1, focus.pk),
    }[name]
    as_consultant_a.get(target)  # warm the session: the first page after login writes it once
    with django_assert_num_queries(40, exact=False) as small:
        assert as_consultant_a.get(target).status_code == 200
    _grow(client_a1, owner_a, 25)
    for _ in range(20):
        ActionItemFactory(meeting=focus, owner_contact=ContactFactory(client=client_a1))
        AgendaItemFactory(meeting=focus)
    with django_assert_num_queries(len(small.captured_queries)):
        assert as_consultant_a.get(target).status_code == 200
