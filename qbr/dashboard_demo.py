"""Demo data for the consultant's week (registered after the QBR seeder): a strategy session in the
coming days for a few clients, so "this week and next" is never empty, and a few in-app notifications
per consultant — written from the dashboard's own due items (`qbr.dashboard.due_items`), some read.
No reminder is logged and no e-mail sent: the first real digest still sends everything due."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from vcio.demo import DemoWorld

from . import notifications, services
from .dashboard import due_items
from .models import MeetingKind


def seed_dashboard(world: DemoWorld) -> None:
    rng = world.rng
    zone = services.practice_zone(world.practice)
    today = timezone.localtime(timezone.now(), zone).date()
    for n, client in enumerate(world.clients[:3]):
        day = today + timedelta(days=1 + n * 2)
        when = timezone.make_aware(datetime.combine(day, time(rng.choice([9, 11, 15]), 0)), zone)
        consultant = client.primary_consultant or world.owner
        services.meeting_create(
            client=client,
            actor=consultant,
            kind=MeetingKind.STRATEGY,
            title=rng.choice(["Security roadmap workshop", "Budget pre-read", "Cloud migration check-in"]),
            scheduled_at=when,
            duration_minutes=60,
            location="https://meet.example.com/session-" + str(n + 1),
            members=[consultant],
        )
    for user in [world.owner, *world.consultants]:
        # a member who is nobody's primary consultant (the owner, often) gets the practice's
        items = due_items(practice=world.practice, user=user, today=today) or due_items(
            practice=world.practice, today=today
        )
        for k, item in enumerate(items[:6]):
            note = notifications.notification_create(
                practice=world.practice,
                recipient=user,
                kind=item.kind,
                title=f"{item.client_name}: {item.title}",
                body=item.detail,
                link=item.url,
            )
            if k >= 4:
                notifications.notification_mark_read(notification=note, user=user)
