"""Demo QBRs (registered with `vcio.demo.register_demo_seeder`, after every app whose data the report
shows): each demo client gets a held QBR with an agenda, notes and action items, the next QBR planned
on its cadence (holding the first proposes it), and a generated QBR report for that next QBR, made
synchronously while seeding (no worker is needed; WeasyPrint takes well under a second per report,
so the eight demo clients' reports add a few seconds to `seed_demo`).
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from clients.models import Contact
from vcio.demo import DemoWorld

from . import report_services, services
from .models import ActionItemStatus, MeetingKind

NOTES = (
    "Reviewed last quarter's roadmap: the security work landed on time; the laptop refresh slipped "
    "because of supplier lead times.\n"
    "{exec} asked for a clearer view of recurring costs before the budget round.\n"
    "Agreed to prioritise backups and MFA before any new projects. Insurance renewal questionnaire "
    "is due next quarter — we will prepare the answers together."
)

ACTION_ITEMS = [
    ("Send the draft IT budget for next fiscal year", "member", 14),
    ("Confirm the laptop refresh quantities with HR", "contact", 10),
    ("Schedule the quarterly backup restore test", "member", -5),
    ("Share the cyber-insurance questionnaire", "contact", 21),
    ("Review licence counts for Microsoft 365", "member", 30),
]


def seed_qbr(world: DemoWorld) -> None:
    rng = world.rng
    zone = services.practice_zone(world.practice)
    now = timezone.now()
    today = timezone.localtime(now, zone).date()
    people = [world.owner, *world.consultants]
    # Every demo client gets its next QBR's report; the test suite, which seeds the demo dozens of
    # times, sets DEMO_REPORTS_LIMIT = 1 (one real PDF still goes through the whole pipeline).
    reports_limit = getattr(settings, "DEMO_REPORTS_LIMIT", None)
    reports_made = 0
    for n, client in enumerate(world.clients):
        contacts = list(Contact.objects.for_client(client))
        executives = [c for c in contacts if c.is_executive] or contacts[:1]
        consultant = client.primary_consultant or people[n % len(people)]
        members = list(dict.fromkeys([consultant, world.owner]))
        # The held QBR: a cadence ago, give or take, so the next one falls in the coming weeks.
        months = client.qbr_cadence_months
        held_day = today - timedelta(days=months * 30 - rng.randint(3, 24))
        held_at = timezone.make_aware(datetime.combine(held_day, time(rng.choice([9, 10, 14]), 0)), zone)
        location = rng.choice(
            ["Client's board room", "https://meet.example.com/qbr-" + str(n + 1), "Our office"]
        )
        meeting = services.meeting_create(
            client=client,
            actor=consultant,
            kind=MeetingKind.QBR,
            scheduled_at=held_at,
            duration_minutes=rng.choice([60, 90]),
            location=location,
            members=members,
            contacts=executives[:2],
        )
        for k, (description, who, due_in) in enumerate(rng.sample(ACTION_ITEMS, rng.randint(3, 4))):
            owner = (
                {"owner_member": consultant}
                if who == "member" or not contacts
                else {"owner_contact": executives[0]}
            )
            item = services.action_item_create(
                meeting=meeting,
                actor=consultant,
                description=description,
                due_date=held_day + timedelta(days=max(due_in, 1) + 7 * k),
                **owner,
            )
            if k == 0:
                services.action_item_set_status(item=item, actor=consultant, status=ActionItemStatus.DONE)
        exec_name = executives[0].name if executives else "The client"
        _held, next_meeting = services.meeting_hold(
            meeting=meeting, actor=consultant, notes=NOTES.format(exec=exec_name)
        )
        if next_meeting is not None and (reports_limit is None or reports_made < reports_limit):
            reports_made += 1
            report = report_services.report_request(
                client=client, actor=consultant, meeting=next_meeting, enqueue=False
            )
            report_services.report_generate(practice_id=client.practice_id, report_id=report.pk)
