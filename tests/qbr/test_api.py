"""The qbr API: meetings (hold, cancel), action items, reports (list, detail, request → 202, download,
retry) — isolation, roles, bad input, query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from qbr.models import ActionItem, Meeting, MeetingStatus, QBRReport, ReportStatus
from tests.factories import ActionItemFactory, ContactFactory, MeetingFactory, QBRReportFactory

from .conftest import plan

pytestmark = pytest.mark.django_db


def when(days=10):
    return (timezone.now() + timedelta(days=days)).replace(microsecond=0).isoformat()


def test_meetings_crud_with_attendees_and_agenda(api, api_key_a, owner_a, client_a1):
    http = api(api_key_a[1])
    ceo = ContactFactory(client=client_a1)
    response = http.post(
        "/api/v1/meetings/",
        {
            "client": str(client_a1.pk),
            "kind": "qbr",
            "scheduled_at": when(),
            "members": [str(owner_a.pk)],
            "contacts": [str(ceo.pk)],
            "agenda": ["Roadmap", "Budget"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["agenda"] == ["Roadmap", "Budget"] and body["members"] == [str(owner_a.pk)]
    assert body["contacts"] == [str(ceo.pk)] and body["status"] == "planned"
    meeting_id = body["id"]
    response = http.patch(
        f"/api/v1/meetings/{meeting_id}/",
        {"agenda": ["Only this"], "duration_minutes": 45},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["agenda"] == ["Only this"]
    assert response.json()["duration_minutes"] == 45
    response = http.post(f"/api/v1/meetings/{meeting_id}/hold/", {}, content_type="application/json")
    assert response.status_code == 200
    held, nxt = response.json()["meeting"], response.json()["next_meeting"]
    assert held["status"] == "held" and nxt["status"] == "planned" and nxt["kind"] == "qbr"
    assert (
        http.post(f"/api/v1/meetings/{meeting_id}/hold/", {}, content_type="application/json").status_code
        == 400
    )
    assert http.delete(f"/api/v1/meetings/{meeting_id}/").status_code == 400  # a held meeting is kept
    assert http.post(f"/api/v1/meetings/{nxt['id']}/cancel/").json()["status"] == "cancelled"
    assert http.delete(f"/api/v1/meetings/{nxt['id']}/").status_code == 204


def test_meeting_input_is_validated(api, api_key_a, owner_b, client_a1, client_a2, canary_client_b):
    http = api(api_key_a[1])
    cases = [
        ({"client": str(client_a1.pk), "scheduled_at": "soon"}, "scheduled_at"),
        ({"client": str(canary_client_b.pk), "scheduled_at": when()}, "client"),
        ({"client": str(client_a1.pk), "scheduled_at": when(), "members": [str(owner_b.pk)]}, "members"),
        (
            {
                "client": str(client_a1.pk),
                "scheduled_at": when(),
                "contacts": [str(ContactFactory(client=client_a2).pk)],
            },
            "contacts",
        ),
        ({"client": str(client_a1.pk), "scheduled_at": when(), "location": "ftp://x"}, "location"),
        ({"client": str(client_a1.pk), "scheduled_at": when(), "agenda": ["x" * 201]}, "agenda"),
    ]
    for data, field in cases:
        response = http.post("/api/v1/meetings/", data, content_type="application/json")
        assert response.status_code == 400 and field in response.json(), (field, response.json())
    assert not Meeting.objects.exists()


def test_action_items_through_the_api(api, api_key_a, owner_a, client_a1, client_a2):
    http = api(api_key_a[1])
    meeting = plan(client_a1, owner_a)
    response = http.post(
        "/api/v1/action-items/",
        {
            "meeting": str(meeting.pk),
            "description": "Send the budget",
            "owner_member": str(owner_a.pk),
            "due_date": "2031-01-31",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    item = response.json()
    assert item["client"] == str(client_a1.pk) and item["status"] == "open"
    done = http.patch(
        f"/api/v1/action-items/{item['id']}/", {"status": "done"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["status"] == "done" and done.json()["done_at"]
    both = http.post(
        "/api/v1/action-items/",
        {
            "meeting": str(meeting.pk),
            "description": "x",
            "owner_member": str(owner_a.pk),
            "owner_contact": str(ContactFactory(client=client_a1).pk),
        },
        content_type="application/json",
    )
    assert both.status_code == 400 and "owner_contact" in both.json()
    other = http.post(
        "/api/v1/action-items/",
        {
            "meeting": str(meeting.pk),
            "description": "x",
            "owner_contact": str(ContactFactory(client=client_a2).pk),
        },
        content_type="application/json",
    )
    assert other.status_code == 400
    listed = http.get(f"/api/v1/action-items/?client={client_a1.pk}&status=done").json()
    assert [r["id"] for r in listed["results"]] == [item["id"]]
    assert ActionItem.objects.count() == 1


def test_requesting_a_report_answers_202_and_queues_it(
    api, api_key_a, client_a1, owner_a, queued, django_capture_on_commit_callbacks
):
    http = api(api_key_a[1])
    with django_capture_on_commit_callbacks(execute=True):
        response = http.post(
            "/api/v1/qbr-reports/", {"client": str(client_a1.pk)}, content_type="application/json"
        )
    assert response.status_code == 202
    body = response.json()
    report = QBRReport.objects.get(pk=body["id"])
    assert body["status"] == "queued" and body["download"] is None and body["period"].startswith("FY")
    assert queued == [{"practice_id": str(report.practice_id), "report_id": str(report.pk)}]
    with django_capture_on_commit_callbacks(execute=True):
        period = http.post(
            "/api/v1/qbr-reports/",
            {"client": str(client_a1.pk), "period": "FY2031 Q2"},
            content_type="application/json",
        )
    assert period.status_code == 202 and period.json()["period"] == "FY2031 Q2"
    bad = http.post(
        "/api/v1/qbr-reports/", {"client": str(client_a1.pk), "period": "Q5"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "period" in bad.json()
    assert len(queued) == 2


def test_a_report_request_for_another_practices_client_is_a_404_and_queues_nothing(
    api, api_key_a, canary_client_b, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(api_key_a[1]).post(
            "/api/v1/qbr-reports/", {"client": str(canary_client_b.pk)}, content_type="application/json"
        )
        unknown = api(api_key_a[1]).post(
            "/api/v1/qbr-reports/",
            {"client": "00000000-0000-0000-0000-000000000000"},
            content_type="application/json",
        )
    assert response.status_code == 404 and unknown.status_code == 404
    assert queued == [] and not QBRReport.objects.exists()


def test_a_read_only_key_and_a_viewer_cannot_trigger_generation(
    api, read_only_key_a, as_viewer_a, client_a1, queued, django_capture_on_commit_callbacks
):
    failed = QBRReportFactory(client=client_a1, status=ReportStatus.FAILED, error="x")
    with django_capture_on_commit_callbacks(execute=True):
        for http in (api(read_only_key_a[1]), as_viewer_a):
            headers = {"HTTP_X_PRACTICE": "alpha"}
            response = http.post(
                "/api/v1/qbr-reports/",
                {"client": str(client_a1.pk)},
                content_type="application/json",
                **headers,
            )
            assert response.status_code == 403
            assert http.post(f"/api/v1/qbr-reports/{failed.pk}/retry/", **headers).status_code == 403
    assert queued == [] and QBRReport.objects.count() == 1
    assert QBRReport.objects.get(pk=failed.pk).status == ReportStatus.FAILED


def test_reports_list_detail_download_and_retry(
    api, api_key_a, client_a1, queued, django_capture_on_commit_callbacks
):
    http = api(api_key_a[1])
    ready = QBRReportFactory(client=client_a1, ready=True)
    waiting = QBRReportFactory(client=client_a1)
    failed = QBRReportFactory(client=client_a1, status=ReportStatus.FAILED, error="It broke.")
    listed = http.get(f"/api/v1/qbr-reports/?client={client_a1.pk}").json()
    assert {r["id"] for r in listed["results"]} == {str(ready.pk), str(waiting.pk), str(failed.pk)}
    detail = http.get(f"/api/v1/qbr-reports/{ready.pk}/").json()
    assert detail["status"] == "done" and detail["download"].endswith(
        f"/api/v1/qbr-reports/{ready.pk}/download/"
    )
    pdf = http.get(f"/api/v1/qbr-reports/{ready.pk}/download/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    not_ready = http.get(f"/api/v1/qbr-reports/{waiting.pk}/download/")
    assert not_ready.status_code == 409 and "not ready" in not_ready.json()["detail"]
    assert http.post(f"/api/v1/qbr-reports/{ready.pk}/retry/").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        retried = http.post(f"/api/v1/qbr-reports/{failed.pk}/retry/")
    assert retried.status_code == 202 and retried.json()["status"] == "queued" and len(queued) == 1
    assert http.put(f"/api/v1/qbr-reports/{ready.pk}/", {}).status_code == 405
    assert http.delete(f"/api/v1/qbr-reports/{ready.pk}/").status_code == 405


def test_other_practices_objects_are_404_and_never_listed(api, api_key_a, api_key_b, client_a1, world):
    http = api(api_key_a[1])
    for prefix, key in (("meetings", "b_meeting"), ("action-items", "b_action"), ("qbr-reports", "b_report")):
        target = f"/api/v1/{prefix}/{world[key].pk}/"
        assert http.get(target).status_code == 404, target
        assert http.patch(target, {}, content_type="application/json").status_code in (404, 405), target
        assert b"CANARY" not in http.get(f"/api/v1/{prefix}/").content
    assert http.get(f"/api/v1/qbr-reports/{world['b_report'].pk}/download/").status_code == 404
    assert (
        http.post(
            f"/api/v1/meetings/{world['b_meeting'].pk}/hold/", {}, content_type="application/json"
        ).status_code
        == 404
    )
    moved = http.post(
        "/api/v1/action-items/",
        {"meeting": str(world["b_meeting"].pk), "description": "x"},
        content_type="application/json",
    )
    assert moved.status_code == 400
    assert Meeting.objects.get(pk=world["b_meeting"].pk).status == MeetingStatus.PLANNED
    # and B's key does not see A's
    assert api(api_key_b[1]).get(f"/api/v1/meetings/{world['a1_meeting'].pk}/").status_code == 404


@pytest.mark.parametrize("prefix", ["meetings", "action-items", "qbr-reports"])
def test_list_queries_do_not_grow(prefix, api, api_key_a, owner_a, client_a1, django_assert_num_queries):
    http = api(api_key_a[1])

    def grow(n):
        for _ in range(n):
            meeting = MeetingFactory(client=client_a1)
            meeting.member_links.create(practice=client_a1.practice, user=owner_a)
            meeting.agenda_items.create(practice=client_a1.practice, title="Item")
            ActionItemFactory(meeting=meeting, owner_member=owner_a)
            QBRReportFactory(client=client_a1, requested_by=owner_a, ready=True)

    grow(2)
    http.get(f"/api/v1/{prefix}/")  # the key's first use of the minute is recorded once
    with django_assert_num_queries(30, exact=False) as small:
        assert http.get(f"/api/v1/{prefix}/").status_code == 200
    grow(20)
    with django_assert_num_queries(len(small.captured_queries)):
        assert http.get(f"/api/v1/{prefix}/").status_code == 200


def test_the_list_shows_each_meetings_attendees_and_agenda_as_its_detail_does(
    api, api_key_a, owner_a, consultant_a, client_a1, world
):
    """The list reads its page's attendee ids and agenda titles as plain values (`with_links`), the
    detail through the prefetch: the same ids and titles, the agenda in its order, nothing of another
    meeting's or practice's."""
    http = api(api_key_a[1])
    practice = client_a1.practice
    busy, bare = MeetingFactory(client=client_a1), MeetingFactory(client=client_a1)
    ceo, cfo = ContactFactory(client=client_a1), ContactFactory(client=client_a1)
    for user in (owner_a, consultant_a):
        busy.member_links.create(practice=practice, user=user)
    for contact in (ceo, cfo):
        busy.contact_links.create(practice=practice, contact=contact)
    for order, title in ((3, "Budget"), (1, "Roadmap"), (2, "Risks")):
        busy.agenda_items.create(practice=practice, title=title, order=order)
    listed = {row["id"]: row for row in http.get("/api/v1/meetings/").json()["results"]}
    row = listed[str(busy.pk)]
    assert row["agenda"] == ["Roadmap", "Risks", "Budget"]
    assert row["members"] == sorted(str(u.pk) for u in (owner_a, consultant_a))
    assert row["contacts"] == sorted(str(c.pk) for c in (ceo, cfo))
    assert (listed[str(bare.pk)]["members"], listed[str(bare.pk)]["agenda"]) == ([], [])
    assert str(world["b_meeting"].pk) not in listed
    for pk, listed_row in listed.items():
        assert http.get(f"/api/v1/meetings/{pk}/").json() == listed_row


@pytest.mark.parametrize("moment", ["1276-04-27T02:39:23Z", "2101-01-01T09:00:00Z", "1899-12-31T23:00:00Z"])
def test_a_meeting_outside_2000_to_2100_is_a_field_error_and_changes_nothing(
    api, api_key_a, client_a1, moment
):
    """Found by the API fuzzer: year 1276 was saved and answered with a local-mean-time offset
    (-04:56:02) that is not ISO 8601."""
    http = api(api_key_a[1])
    meeting = MeetingFactory(client=client_a1)
    before = Meeting.objects.get(pk=meeting.pk).scheduled_at
    response = http.patch(
        f"/api/v1/meetings/{meeting.pk}/", {"scheduled_at": moment}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "between the years 2000 and 2100" in response.json()["scheduled_at"][0]
    assert Meeting.objects.get(pk=meeting.pk).scheduled_at == before
    response = http.post(
        "/api/v1/meetings/",
        {"client": str(client_a1.pk), "kind": "qbr", "scheduled_at": moment},
        content_type="application/json",
    )
    assert response.status_code == 400 and "scheduled_at" in response.json()
