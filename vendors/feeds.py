"""The iCalendar (`.ics`) feed of a practice's notice deadlines, renewals and expiries.

All-day events, one per date that matters (see `vendors.renewals.events`), each with a stable UID
(contract, kind, date) so a calendar app updates an event instead of duplicating it. A notice deadline
carries a reminder a week before (and on the day when the deadline is near).
"""

from datetime import timedelta

import icalendar
from django.urls import reverse
from django.utils import timezone

from vcio.templatetags.vcio_tags import format_money

from . import renewals

PRODID = "-//vcio//Renewals//EN"


def feed_path(token: str) -> str:
    return reverse("vendor_feeds:renewals", kwargs={"token": token})


def contract_path(contract) -> str:
    return reverse("vendors:contract_detail", args=[contract.practice.slug, contract.client_id, contract.pk])


def summary(entry) -> str:
    contract, event = entry.contract, entry.event
    what = f"{contract.vendor.name} {contract.name} ({contract.client.name})"
    if event.kind == renewals.NOTICE:
        return f"Give notice: {what}"
    if event.kind == renewals.RENEWAL:
        return f"Renews: {what}"
    return f"Ends: {what}"


def description(entry, currency: str, url: str) -> str:
    contract, info = entry.contract, entry.event.renewal
    lines = [f"{contract.name} with {contract.vendor.name} for {contract.client.name}."]
    if info.next_renewal:
        lines.append(f"Renews automatically on {info.next_renewal:%Y-%m-%d}.")
        lines.append(
            f"Notice period: {contract.notice_days} days — give notice by {info.notice_deadline:%Y-%m-%d}."
        )
    if info.expires_on:
        lines.append(f"Ends on {info.expires_on:%Y-%m-%d} (does not renew).")
    lines.append(f"Annual cost: {format_money(info.annual_cost, currency)}.")
    lines.append(url)
    return "\n".join(lines)


def render_ics(*, practice, entries, link) -> bytes:
    """The calendar for `entries` (`renewal_calendar.CalendarEntry`); `link(contract)` -> absolute URL."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Renewals · {practice.name}")
    cal.add("x-wr-timezone", practice.time_zone)
    cal.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    stamp = timezone.now().replace(microsecond=0)
    for entry in entries:
        contract, event = entry.contract, entry.event
        contract.practice = practice  # for the link (no query)
        url = link(contract)
        item = icalendar.Event()
        item.add("uid", f"{contract.pk}-{event.kind}-{event.day:%Y%m%d}@vcio")
        item.add("dtstamp", stamp)
        item.add("dtstart", event.day)
        item.add("dtend", event.day + timedelta(days=1))
        item.add("summary", summary(entry))
        item.add("description", description(entry, practice.currency, url))
        item.add("url", url)
        item.add("categories", [event.label])
        item.add("transp", "TRANSPARENT")
        if event.kind == renewals.NOTICE:
            for days in (7, 0):
                alarm = icalendar.Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", summary(entry))
                alarm.add("trigger", timedelta(days=-days) if days else timedelta(hours=9))
                item.add_component(alarm)
        cal.add_component(item)
    return cal.to_ical()
