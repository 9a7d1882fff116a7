"""Reminder digests with real Celery workers (tests/qbr/worker.py) against Redis and the test's own
database: the digest task run twice sends each reminder once; two workers started at once send each
reminder once; a mail failure after half the recipients, then the task's own retry, sends the rest
and repeats none. Skipped, saying so, only when Redis is unreachable (REDIS_TEST_URL)."""

import email
from email import policy

import pytest

from qbr.models import Notification, ReminderLog
from tests.factories import ClientFactory, MembershipFactory, UserFactory

from .test_dashboard import due_world, local_today
from .test_worker_integration import wait_for
from .test_worker_integration import workers as workers_fixture  # noqa: F401  (the `workers` fixture)

pytestmark = pytest.mark.django_db(transaction=True)

SEND = "qbr.tasks.qbr_send_reminders"


@pytest.fixture(name="workers")
def _workers(workers_fixture):  # noqa: F811  (the imported fixture, by name)
    """The QBR worker harness (tests/qbr/test_worker_integration.py), one test at a time."""
    return workers_fixture


def members_with_clients(practice, n):
    users = []
    for k in range(n):
        user = MembershipFactory(
            practice=practice, user=UserFactory(email=f"member{k}@alpha.example.com", name=f"Member {k}")
        ).user
        due_world(
            ClientFactory(practice=practice, name=f"Client {k}", primary_consultant=user),
            tag=f"C{k}",
            light=True,
        )
        users.append(user)
    return users


def mails(workers):
    found = []
    for path in sorted(workers.mail_dir.iterdir()):
        raw = path.read_bytes()
        # the file backend writes messages one after another, separated by a line of dashes
        for chunk in raw.split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk, policy=policy.default))
    return found


def recipients(workers):
    return sorted(m["To"] for m in mails(workers))


def expected(users):
    return sorted(u.email for u in users)


def test_the_digest_task_run_twice_sends_each_reminder_once(workers, practice_a):
    users = members_with_clients(practice_a, 2)
    day = local_today(practice_a).isoformat()
    workers.start()
    workers.send(SEND, practice_id=str(practice_a.pk), day=day)
    wait_for(lambda: ReminderLog.objects.values("recipient").distinct().count() == 2, what="both digests")
    workers.idle()
    sent = ReminderLog.objects.count()
    workers.send(SEND, practice_id=str(practice_a.pk), day=day)
    workers.idle()
    assert ReminderLog.objects.count() == sent
    assert recipients(workers) == expected(users), workers.logs()
    assert Notification.objects.count() == sent


def test_two_workers_started_at_once_send_each_reminder_once(workers, practice_a):
    users = members_with_clients(practice_a, 4)
    day = local_today(practice_a).isoformat()
    workers.start()
    workers.start()
    for _ in range(4):  # the same job queued four times: both workers take some at the same moment
        workers.send(SEND, practice_id=str(practice_a.pk), day=day)
    wait_for(lambda: ReminderLog.objects.values("recipient").distinct().count() == 4, what="every digest")
    workers.idle()
    assert recipients(workers) == expected(users), workers.logs()
    logs = list(ReminderLog.objects.values_list("kind", "object_id", "due_date", "recipient_id"))
    assert len(logs) == len(set(logs))
    assert Notification.objects.count() == len(logs)


def test_a_failure_after_half_the_recipients_then_the_retry_sends_the_rest_and_repeats_none(
    workers, practice_a, tmp_path
):
    users = members_with_clients(practice_a, 4)
    # members are taken by name: the third one's e-mail fails once (after half the recipients)
    third = sorted(users, key=lambda u: u.name)[2]
    day = local_today(practice_a).isoformat()
    workers.start(fault=f"mail_fail_once:{tmp_path}:{third.email}")
    workers.send(SEND, practice_id=str(practice_a.pk), day=day)
    wait_for(lambda: (tmp_path / "mail-fail").exists(), what="the mail failure")
    wait_for(
        lambda: ReminderLog.objects.values("recipient").distinct().count() == 4, what="the retry's digests"
    )
    workers.idle()
    assert recipients(workers) == expected(users), workers.logs()
    assert "Retry in" in workers.logs() or "retry" in workers.logs().lower()
    logs = list(ReminderLog.objects.values_list("kind", "object_id", "due_date", "recipient_id"))
    assert len(logs) == len(set(logs)) and Notification.objects.count() == len(logs)
