"""Reminder digests (`qbr.reminders`): once per reminder whatever runs twice or fails part-way, the
practice's local morning at day boundaries, each member's preferences, the e-mail, the command; and
notifications (page, bell, mark read / all read, API)."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from qbr import reminders
from qbr.models import Notification, ReminderKind, ReminderLog
from tests.factories import ActionItemFactory, ClientFactory, MeetingFactory, PracticeFactory

from .test_dashboard import due_world, local_today

pytestmark = pytest.mark.django_db


def mine(client, user):
    client.primary_consultant = user
    client.save()
    return client


def test_the_digest_run_twice_sends_each_reminder_once(client_a1, consultant_a):
    due_world(mine(client_a1, consultant_a), tag="A1")
    day = local_today(client_a1.practice)
    first = reminders.send_digests(practice_id=client_a1.practice_id, day=day)
    assert first.sent == len(ReminderKind.values) + 0 and first.already == 0 and first.recipients == 1
    assert len(mail.outbox) == 1 and Notification.objects.filter(recipient=consultant_a).count() == first.sent
    second = reminders.send_digests(practice_id=client_a1.practice_id, day=day)
    assert second.sent == 0 and second.already == first.sent
    assert len(mail.outbox) == 1 and ReminderLog.objects.count() == first.sent
    # the next day: only what is new (nothing here) — the same reminders are not repeated
    third = reminders.send_digests(practice_id=client_a1.practice_id, day=day + timedelta(days=1))
    assert len(mail.outbox) == 1 and third.sent == 0


def test_a_failure_part_way_then_a_retry_sends_the_rest_and_repeats_none(
    practice_a, owner_a, consultant_a, admin_a, monkeypatch
):
    users = [admin_a, consultant_a, owner_a]
    for n, user in enumerate(users):
        due_world(
            ClientFactory(practice=practice_a, name=f"Client {n}", primary_consultant=user),
            tag=f"C{n}",
            light=True,
        )
    day = local_today(practice_a)
    real = reminders.digest_email
    failing = {"user": sorted(users, key=lambda u: (u.name, u.first_name, u.email))[1]}

    def flaky(**kwargs):
        if kwargs["user"] == failing.get("user"):
            failing.pop("user")
            raise ConnectionError("the mail server went away")
        return real(**kwargs)

    monkeypatch.setattr(reminders, "digest_email", flaky)
    with pytest.raises(ConnectionError):
        reminders.send_digests(practice_id=practice_a.pk, day=day)
    assert len(mail.outbox) == 1  # the first member's; the second's claim was rolled back
    sent_to = {m.to[0] for m in mail.outbox}
    assert ReminderLog.objects.values("recipient").distinct().count() == 1
    assert Notification.objects.values("recipient").distinct().count() == 1

    retry = reminders.send_digests(practice_id=practice_a.pk, day=day)
    assert retry.recipients == 2 and retry.already > 0
    assert len(mail.outbox) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert sent_to.isdisjoint({m.to[0] for m in mail.outbox[1:]})
    assert ReminderLog.objects.values("recipient").distinct().count() == 3


def test_the_morning_at_day_boundaries_in_auckland_and_los_angeles():
    auckland = PracticeFactory(slug="kiwi", time_zone="Pacific/Auckland")
    la = PracticeFactory(slug="la", time_zone="America/Los_Angeles")
    # 2026-11-25 18:00 UTC = 26 Nov 07:00 in Auckland (NZDT, +13) = 25 Nov 10:00 in Los Angeles
    due = dict(reminders.due_practices_all_practices(now=datetime(2026, 11, 25, 18, 0, tzinfo=UTC)))
    assert due == {
        str(auckland.pk): date(2026, 11, 26),
        str(la.pk): date(2026, 11, 25),
    }  # LA: 10:00, past 07:00
    # 2026-11-25 15:00 UTC = 07:00 in Los Angeles (PST, -8) on the 25th; 04:00 on the 26th in Auckland
    due = dict(reminders.due_practices_all_practices(now=datetime(2026, 11, 25, 15, 0, tzinfo=UTC)))
    assert due == {str(la.pk): date(2026, 11, 25)}
    # once a day's digests are sent, the day is not offered again — until the next local morning
    reminders.send_digests(practice_id=la.pk, day=date(2026, 11, 25))
    assert reminders.due_practices_all_practices(now=datetime(2026, 11, 25, 16, 0, tzinfo=UTC)) == []
    due = dict(reminders.due_practices_all_practices(now=datetime(2026, 11, 26, 15, 0, tzinfo=UTC)))
    assert due[str(la.pk)] == date(2026, 11, 26)


def test_a_missed_morning_is_caught_up_the_same_day_and_sent_once(client_a1, consultant_a):
    """Workers down at 07:00: the next hourly beat still sends the day's digest (each reminder once),
    and after that the day is done; before the morning hour nothing is due."""
    from qbr.models import QBRSettings

    due_world(mine(client_a1, consultant_a), tag="A1", light=True)
    practice = client_a1.practice
    today = local_today(practice)

    def at(hour):
        return datetime.combine(today, datetime.min.time(), tzinfo=reminders.practice_zone(practice)).replace(
            hour=hour
        )

    assert str(practice.pk) not in dict(reminders.due_practices_all_practices(now=at(6)))
    due = dict(reminders.due_practices_all_practices(now=at(10)))  # 07:00 was missed
    assert due[str(practice.pk)] == today
    first = reminders.send_digests(practice_id=practice.pk, day=today)
    assert first.sent > 0 and len(mail.outbox) == 1
    assert QBRSettings.objects.get(practice=practice).last_digest_on == today
    assert str(practice.pk) not in dict(reminders.due_practices_all_practices(now=at(11)))
    again = reminders.send_digests(practice_id=practice.pk, day=today)  # a duplicate queued run
    assert again.sent == 0 and len(mail.outbox) == 1


def test_the_practice_local_day_decides_what_is_due(owner_a, monkeypatch):
    """An action item due on the 26th is overdue in Auckland's morning of the 27th while Los Angeles is
    still on the 26th: the digest's day is each practice's own."""
    from qbr import dashboard

    for slug, zone in (("kiwi", "Pacific/Auckland"), ("la", "America/Los_Angeles")):
        practice = PracticeFactory(slug=slug, time_zone=zone)
        client = ClientFactory(practice=practice, primary_consultant=owner_a)
        held = MeetingFactory(client=client, status="held", scheduled_at=timezone.now() - timedelta(days=10))
        ActionItemFactory(meeting=held, description=f"{slug} action", due_date=date(2026, 11, 26))
        moment = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)
        day = dict(reminders.due_practices_all_practices(now=moment)).get(str(practice.pk))
        expected = {"kiwi": date(2026, 11, 27), "la": date(2026, 11, 26)}[slug]  # LA: 10:00 on the 26th
        assert day == expected
        if slug == "kiwi":
            (item,) = [
                i for i in dashboard.due_items(practice=practice, today=day) if i.kind == "action_item"
            ]
            assert item.overdue


def test_preferences_turn_kinds_off_and_weekly_means_mondays(client_a1, consultant_a):
    due_world(mine(client_a1, consultant_a), tag="A1", light=True)
    reminders.preference_update(
        practice=client_a1.practice,
        user=consultant_a,
        actor=consultant_a,
        disabled_kinds=[ReminderKind.NOTICE, ReminderKind.MEETING],
        frequency="weekly",
        email=True,
    )
    today = local_today(client_a1.practice)
    monday = today + timedelta(days=(7 - today.weekday()) % 7)  # today or the next Monday
    tuesday = monday + timedelta(days=1)
    assert reminders.send_digests(practice_id=client_a1.practice_id, day=tuesday).sent == 0
    assert not mail.outbox
    result = reminders.send_digests(practice_id=client_a1.practice_id, day=monday)
    kinds = set(ReminderLog.objects.values_list("kind", flat=True))
    assert result.sent and not kinds & {ReminderKind.NOTICE, ReminderKind.MEETING}
    # e-mail off: notifications only
    reminders.preference_update(
        practice=client_a1.practice,
        user=consultant_a,
        actor=consultant_a,
        disabled_kinds=[],
        frequency="daily",
        email=False,
    )
    mail.outbox.clear()
    again = reminders.send_digests(practice_id=client_a1.practice_id, day=monday)
    assert again.sent >= 1 and not mail.outbox


def test_the_email_is_html_and_text_in_the_practice_branding(client_a1, consultant_a, settings):
    settings.SITE_URL = "https://vcio.example.com"
    practice = client_a1.practice
    practice.brand_colour = "#7a1fa2"
    practice.save()
    due_world(mine(client_a1, consultant_a), tag="A1", light=True)
    reminders.send_digests(practice_id=practice.pk, day=local_today(practice))
    (message,) = mail.outbox
    assert message.to == [consultant_a.email] and "Alpha Advisors" in message.subject
    assert "A1 initiative" in message.body and "https://vcio.example.com/p/alpha/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "#7a1fa2" in html and "Alpha Advisors" in html and "A1 initiative" in html and "OVERDUE" in html


def test_send_reminders_command_prints_sent_and_already_sent(client_a1, consultant_a):
    due_world(mine(client_a1, consultant_a), tag="A1", light=True)
    day = local_today(client_a1.practice).isoformat()
    out = StringIO()
    call_command("send_reminders", "--practice", "alpha", "--date", day, stdout=out)
    sent = ReminderLog.objects.count()
    assert f"{sent} reminders sent to 1 member, 0 already sent." in out.getvalue()
    out = StringIO()
    call_command("send_reminders", "--practice", "alpha", "--date", day, stdout=out)
    assert f"0 reminders sent to 0 members, {sent} already sent." in out.getvalue()


def test_the_hourly_task_queues_the_due_practices(practice_a, monkeypatch):
    from qbr import tasks

    queued = []
    monkeypatch.setattr(tasks.qbr_send_reminders, "delay", lambda **kw: queued.append(kw))
    local = timezone.localtime(timezone.now(), timezone.get_fixed_timezone(0)).replace(hour=7, minute=0)
    assert tasks.qbr_reminders_all_practices(now=local.isoformat()) == 1
    assert queued == [{"practice_id": str(practice_a.pk), "day": local.date().isoformat()}]


# --- notifications -----------------------------------------------------------------------------------


@pytest.fixture
def notified(client_a1, consultant_a, owner_a, canary_client_b, owner_b):
    due_world(mine(client_a1, consultant_a), tag="A1", light=True)
    due_world(mine(canary_client_b, owner_b), tag="CANARY-Bravo", light=True)
    reminders.send_digests(practice_id=client_a1.practice_id, day=local_today(client_a1.practice))
    reminders.send_digests(practice_id=canary_client_b.practice_id, day=local_today(canary_client_b.practice))
    return list(Notification.objects.filter(recipient=consultant_a).order_by("created_at"))


def test_the_bell_counts_my_unread_and_the_page_lists_them(notified, as_consultant_a, as_owner_a):
    count = as_consultant_a.get("/p/alpha/notifications/count/").content.decode()
    assert f">{len(notified)}<" in count
    assert "No unread" in as_owner_a.get("/p/alpha/notifications/count/").content.decode()
    page = as_consultant_a.get("/p/alpha/notifications/").content.decode()
    assert "A1 initiative" in page and "CANARY" not in page
    assert 'id="bell"' in as_consultant_a.get("/p/alpha/dashboard/").content.decode()


def test_mark_read_and_mark_all_read_need_post_and_touch_only_mine(notified, as_consultant_a, as_owner_a):
    first = notified[0]
    url = reverse("qbr:notification_read", args=["alpha", first.pk])
    assert as_consultant_a.get(url).status_code == 405
    assert as_owner_a.post(url).status_code == 404  # another member's notification
    response = as_consultant_a.post(url, {"next": first.link})
    assert response.status_code == 302 and response["Location"] == first.link
    first.refresh_from_db()
    assert first.read_at is not None
    htmx = as_consultant_a.post(
        reverse("qbr:notification_read", args=["alpha", notified[1].pk]), HTTP_HX_REQUEST="true"
    )
    assert htmx.status_code == 200 and "Mark read" not in htmx.content.decode()
    as_consultant_a.post(reverse("qbr:notifications_read_all", args=["alpha"]))
    assert not Notification.objects.filter(
        recipient__email="consultant@alpha.example.com", read_at__isnull=True
    ).exists()
    assert Notification.objects.filter(practice__slug="bravo", read_at__isnull=True).exists()


def test_viewers_read_but_do_not_write(viewer_a, as_viewer_a, practice_a):
    """Reminders are about clients one is primary consultant of (never a viewer): viewers read."""
    n = Notification.objects.create(practice=practice_a, recipient=viewer_a, kind="meeting", title="Hello")
    assert as_viewer_a.post(reverse("qbr:notification_read", args=["alpha", n.pk])).status_code == 403
    assert as_viewer_a.post(reverse("qbr:notifications_read_all", args=["alpha"])).status_code == 403
    url = reverse("qbr:reminder_settings", args=["alpha"])
    assert as_viewer_a.get(url).status_code == 200
    assert as_viewer_a.post(url, {"frequency": "weekly"}).status_code == 403
    n.refresh_from_db()
    assert n.read_at is None


def test_reminder_settings_page_saves_my_preferences(as_consultant_a, consultant_a, practice_a):
    url = reverse("qbr:reminder_settings", args=["alpha"])
    assert as_consultant_a.get(url).status_code == 200
    response = as_consultant_a.post(url, {"kinds": ["meeting", "notice"], "frequency": "weekly"})
    assert response.status_code == 302
    pref = reminders.preference_for(practice=practice_a, user=consultant_a)
    assert pref.frequency == "weekly" and not pref.email
    assert set(pref.disabled_kinds) == set(ReminderKind.values) - {"meeting", "notice"}
    assert pref.history.count() == 1


def test_notifications_api_lists_mine_and_marks_read(notified, consultant_a, api_key_a, api):
    from django.test import Client as HttpClient

    http = HttpClient()
    http.force_login(consultant_a)
    listed = http.get("/api/v1/notifications/", HTTP_X_PRACTICE="alpha").json()
    assert listed["count"] == len(notified) and "CANARY" not in str(listed)
    pk = listed["results"][0]["id"]
    read = http.post(f"/api/v1/notifications/{pk}/read/", HTTP_X_PRACTICE="alpha")
    assert read.status_code == 200 and read.json()["read_at"]
    unread = http.get("/api/v1/notifications/?unread=true", HTTP_X_PRACTICE="alpha").json()
    assert unread["count"] == len(notified) - 1
    assert http.post("/api/v1/notifications/read-all/", HTTP_X_PRACTICE="alpha").json() == {
        "marked": len(notified) - 1
    }
    key = api(api_key_a[1])
    everyone = key.get("/api/v1/notifications/").json()  # a key acts for the practice: every member's
    assert everyone["count"] == Notification.objects.filter(practice__slug="alpha").count()
    assert "CANARY" not in str(everyone)
    assert key.post("/api/v1/notifications/read-all/").status_code == 400
