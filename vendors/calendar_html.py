"""The renewals calendar's entries, rendered in Python.

A page shows up to 50 dates, each with a dozen lookups and conditions; through Django's template
engine they were about half of the page's rendering. This writes the same markup
(`tests/vendors/test_calendar_html.py` holds it equal to the template loop it replaced), every value
escaped as the template's autoescaping would.
"""

from django.utils.safestring import SafeString, mark_safe

from vcio.row_urls import row_reverse
from vcio.rows_html import escape, number_html
from vcio.templatetags.vcio_tags import money

from . import renewals
from .renewal_calendar import CalendarEntry


def _badge(entry: CalendarEntry) -> str:
    kind, renewal = entry.event.kind, entry.event.renewal
    if kind == renewals.NOTICE:
        if entry.highlight:
            days = renewal.days_to_deadline
            urgent = " notice-urgent" if days is not None and days <= 7 else ""
            return (
                f'<span class="badge notice-badge{urgent}"><i class="bi bi-bell" aria-hidden="true"></i> '
                f"Give notice by {escape(entry.day_label)}</span>"
            )
        if renewal.notice_passed:
            return '<span class="badge passed-badge">Notice deadline passed</span>'
        return '<span class="badge notice-badge bg-light text-secondary">Notice deadline</span>'
    if kind == renewals.RENEWAL:
        return '<span class="badge text-bg-light border">Renews</span>'
    return '<span class="badge expiry-badge">Ends</span>'


def _entry(entry: CalendarEntry, slug: str, currency: str) -> str:
    contract, event = entry.contract, entry.event
    kind = escape(event.kind)
    detail = row_reverse("vendors:contract_detail", slug, contract.client_id, contract.pk)
    tab = row_reverse("vendors:client_contracts", slug, contract.client_id)
    meta = f"{escape(contract.client.name)}</a> · {escape(contract.vendor.name)}"
    if event.kind == renewals.NOTICE:
        meta += f" · renews {escape(entry.renews_label)}"
    elif event.kind == renewals.RENEWAL:
        meta += f" · {number_html(contract.notice_days)} days' notice"
    if contract.owner:
        meta += f" · {escape(contract.owner.display_name)}"
    highlight = " in-notice-window" if entry.highlight else ""
    return (
        f'<div class="cal-entry cal-kind-{kind}{highlight}" data-contract="{escape(contract.pk)}" data-kind="{kind}">'
        f'<div class="cal-date"><span class="cal-dow">{escape(entry.dow)}</span>'
        f'<span class="cal-day">{event.day.day:d}</span><span class="cal-dow">{escape(entry.mon)}</span></div>'
        '<div class="min-w-0 text-break-anywhere"><div>'
        f'{_badge(entry)} <a class="fw-semibold" dir="auto" href="{escape(detail)}">{escape(contract.name)}</a>'
        f'</div><div class="cal-meta"><a class="link-secondary" href="{escape(tab)}">{meta}</div></div>'
        '<div class="cal-money text-end text-nowrap"><span class="fw-semibold">'
        f"{escape(money(event.renewal.annual_cost, currency))}</span>"
        '<div class="small text-secondary">a year</div></div></div>'
    )


def calendar_entries_html(entries: list[CalendarEntry], *, practice) -> SafeString:
    """A month's entries on the page (`CalendarMonth.entries`), as the calendar lists them."""
    return mark_safe(  # noqa: S308 — every value is escaped above
        "".join(_entry(entry, practice.slug, practice.currency) for entry in entries)
    )
