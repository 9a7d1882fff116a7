"""Scale data of the qbr app (`vcio.scale`): every client's meetings on its QBR cadence — about three held
(with notes, the standard agenda and three or four action items, the older ones mostly done) and the
next one planned, proposed by the last held one — times the factor, with attendees (the consultant,
the owner, one or two executives) and the audit rows of meetings and action items (not of agenda
items: no page reads them at scale). Registered in `QbrConfig.ready()` after every app whose data it
follows; reads `batch.extra["contacts"]`."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from vcio.scale import ScaleBatch

from .demo import ACTION_ITEMS, NOTES
from .models import (
    ActionItem,
    ActionItemStatus,
    AgendaItem,
    Meeting,
    MeetingContact,
    MeetingKind,
    MeetingMember,
    MeetingStatus,
)
from .services import DEFAULT_QBR_AGENDA

MEETINGS_PER_CLIENT = 4
LOCATIONS = ["Client's board room", "https://meet.example.com/qbr", "Our office"]


def seed_qbr_at_scale(batch: ScaleBatch) -> None:
    meetings, members, attendees, agenda, actions = [], [], [], [], []
    meeting_history, action_history = [], []
    contacts_by_client: dict = {}
    for contact in batch.extra.get("contacts", []):
        contacts_by_client.setdefault(contact.client_id, []).append(contact)
    for item in batch.practices:
        rng, practice, factor, owner = item.rng, item.practice, item.factor, item.owner
        zone = ZoneInfo(practice.time_zone)
        for client in item.clients:
            contacts = contacts_by_client.get(client.pk, [])
            executives = [c for c in contacts if c.is_executive] or contacts[:1]
            consultant = client.primary_consultant or owner
            people = list(dict.fromkeys([consultant, owner]))
            count = MEETINGS_PER_CLIENT * factor
            cadence = client.qbr_cadence_months * 30
            next_day = batch.today + timedelta(days=rng.randint(7, 60))
            previous = None
            for n in range(count):
                ago = count - 1 - n  # cadences before the planned one (0: the planned one)
                day = next_day - timedelta(days=ago * cadence + rng.randint(-5, 5))
                held = ago > 0
                at = datetime.combine(day, time(rng.choice([9, 10, 14])))
                at = at.replace(tzinfo=zone)
                meeting = Meeting(
                    practice=practice,
                    client=client,
                    kind=MeetingKind.QBR if n % 4 else rng.choice(list(MeetingKind.values)),
                    scheduled_at=at,
                    duration_minutes=rng.choice([60, 90]),
                    location=rng.choice(LOCATIONS),
                    notes=NOTES.format(exec=executives[0].name if executives else "The client")
                    if held
                    else "",
                    status=MeetingStatus.HELD if held else MeetingStatus.PLANNED,
                    held_at=at + timedelta(hours=1) if held else None,
                    proposed_by_meeting=previous,
                )
                meetings.append(meeting)
                created = min(at, batch.now) - timedelta(days=rng.randint(14, 40))
                meeting_history.append(
                    {
                        "obj": meeting,
                        "type": "+",
                        "date": created,
                        "user": consultant,
                        "values": {"status": MeetingStatus.PLANNED, "held_at": None, "notes": ""},
                    }
                )
                if held:
                    meeting_history.append(
                        {
                            "obj": meeting,
                            "type": "~",
                            "date": meeting.held_at,
                            "user": consultant,
                            "reason": "Held",
                        }
                    )
                members.extend(MeetingMember(practice=practice, meeting=meeting, user=u) for u in people)
                attendees.extend(
                    MeetingContact(practice=practice, meeting=meeting, contact=c) for c in executives[:2]
                )
                for order, title in enumerate(DEFAULT_QBR_AGENDA):
                    row = AgendaItem(practice=practice, meeting=meeting, title=title, order=order)
                    agenda.append(row)
                if held:
                    for k, (description, who, due_in) in enumerate(
                        rng.sample(ACTION_ITEMS, rng.randint(3, 4))
                    ):
                        owner_fields = (
                            {"owner_member": consultant}
                            if who == "member" or not executives
                            else {"owner_contact": executives[0]}
                        )
                        done = ago > 1 or k == 0
                        action = ActionItem(
                            practice=practice,
                            meeting=meeting,
                            client=client,
                            description=description,
                            due_date=day + timedelta(days=max(due_in, 1) + 7 * k),
                            status=ActionItemStatus.DONE if done else ActionItemStatus.OPEN,
                            done_at=batch.after(rng, meeting.held_at) if done else None,
                            **owner_fields,
                        )
                        actions.append(action)
                        action_history.append(
                            {
                                "obj": action,
                                "type": "+",
                                "date": meeting.held_at,
                                "user": consultant,
                                "values": {"status": ActionItemStatus.OPEN, "done_at": None},
                            }
                        )
                        if done:
                            action_history.append(
                                {"obj": action, "type": "~", "date": action.done_at, "user": consultant}
                            )
                previous = meeting if held else previous
    batch.insert(Meeting, meetings)
    batch.insert(MeetingMember, members)
    batch.insert(MeetingContact, attendees)
    batch.insert(AgendaItem, agenda)
    batch.insert(ActionItem, actions)
    batch.history(Meeting, meeting_history)
    batch.history(ActionItem, action_history)
