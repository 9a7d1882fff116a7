"""A meeting as an iCalendar file (RFC 5545) for the attendees' calendars, via the `icalendar` package."""

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Meeting, MeetingStatus


def meeting_ics(meeting: Meeting, *, agenda: list, members: list, contacts: list, url: str = "") -> bytes:
    """One VEVENT, in UTC, that updates itself when downloaded again (stable UID, SEQUENCE from the
    last change). A cancelled meeting is STATUS:CANCELLED, so calendars remove it."""
    cal = Calendar()
    cal.add("prodid", "-//vcio//QBR meetings//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@vcio")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.scheduled_at)
    event.add("dtend", meeting.scheduled_at + timedelta(minutes=meeting.duration_minutes))
    event.add("summary", f"{meeting.display_title} — {meeting.client.name}")
    event.add("sequence", int(meeting.updated_at.timestamp()) if meeting.updated_at else 0)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    if meeting.location:
        event.add("location", meeting.location)
        if meeting.is_link:
            event.add("url", meeting.location)
    lines = []
    if agenda:
        lines.append("Agenda:")
        lines += [f"{n}. {item.title}" for n, item in enumerate(agenda, start=1)]
    if url:
        lines += ["", f"Meeting page: {url}"]
    if lines:
        event.add("description", "\n".join(lines))
    for user in members:
        event.add("attendee", _address(user.email, user.display_name), encode=0)
    for contact in contacts:
        if contact.email:
            event.add("attendee", _address(contact.email, contact.name), encode=0)
    cal.add_component(event)
    return cal.to_ical()


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    address.params["role"] = vText("REQ-PARTICIPANT")
    return address
