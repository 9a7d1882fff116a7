"""A client's contracts, rendered in Python.

The client's Vendors tab lists up to 25 contracts, each with a dozen cells, its renewal warning, its
state and an action menu; through Django's template engine (two includes a row) the rows were most of
the page's rendering. This writes the same markup (`tests/vendors/test_client_contracts_html.py` holds
it equal to the template loop it replaced), every value escaped as the template's autoescaping would.
"""

from django.template.defaultfilters import pluralize
from django.utils.safestring import SafeString, mark_safe

from vcio.row_urls import row_reverse
from vcio.rows_html import MENU_DIVIDER, escape, menu_cell, menu_link, menu_post, number_html
from vcio.templatetags.vcio_tags import csrf_input, date, money

from . import renewals


def _day(value) -> str:
    """`{{ value|date:"j M Y" }}` (the renewal picture's dates are dates: no time zone to apply)."""
    return escape(date(value, "j M Y"))


def warning_html(info: renewals.Renewal) -> str:
    """`vendors/_warning.html`: what a contract asks of you now (the renewal rules)."""
    if info.state == renewals.ACTIVE:
        if info.rolling:
            return '<span class="badge rolling-badge">Month-to-month</span>'
        if info.in_notice_window:
            urgent = " notice-urgent" if info.days_to_deadline <= 7 else ""
            return (
                f'<span class="badge notice-badge{urgent}"><i class="bi bi-bell" aria-hidden="true"></i> '
                f"Give notice by {_day(info.notice_deadline)}</span>"
            )
        if info.notice_passed:
            return (
                f'<span class="badge passed-badge" title="The notice deadline was {_day(info.notice_deadline)}">'
                "Notice period started</span>"
            )
        if info.expires_soon:
            return (
                '<span class="badge expiry-badge"><i class="bi bi-hourglass-split" aria-hidden="true"></i> '
                f"Ends {_day(info.expires_on)}</span>"
            )
        return ""
    if info.state == renewals.CANCELLED and info.ends_on:
        return f'<span class="small text-secondary">Runs until {_day(info.ends_on)}</span>'
    return ""


def state_html(info: renewals.Renewal) -> str:
    """`vendors/_state.html`: a contract's state badge."""
    if info.state == renewals.ACTIVE:
        label = "Active"
    elif info.state == renewals.CANCELLED:
        label = "Cancelled"
    else:
        label = "Expired"
    return f'<span class="badge state-badge state-{escape(info.state)}">{label}</span>'


def _term_end(info: renewals.Renewal) -> str:
    if info.next_renewal:
        return f'{_day(info.next_renewal)}<div class="small text-secondary">renews</div>'
    if info.expires_on:
        return f'{_day(info.expires_on)}<div class="small text-secondary">ends</div>'
    if info.ends_on:
        return f'{_day(info.ends_on)}<div class="small text-secondary">ends</div>'
    if info.state == renewals.ACTIVE:
        return '<span class="text-secondary">Open-ended</span>'
    return "—"


def _actions(c, slug: str, client_pk, csrf: str) -> str:
    name = escape(c.name)
    cancel = ""
    if c.status == renewals.ACTIVE:
        until = f" and runs until {_day(c.info.next_renewal)}" if c.info.next_renewal else ""
        cancel = menu_post(
            row_reverse("vendors:contract_cancel", slug, client_pk, c.pk),
            csrf,
            f"“{name}” will stop renewing and no longer warn. It stays on record{until}.",
            "Cancel this contract?",
            "Cancel contract",
            danger=False,
        )
    return menu_cell(
        c.name,
        menu_link(row_reverse("vendors:contract_edit", slug, client_pk, c.pk), "Edit"),
        cancel,
        MENU_DIVIDER,
        menu_post(
            row_reverse("vendors:contract_delete", slug, client_pk, c.pk),
            csrf,
            f"“{name}” and its history will be deleted. To stop a contract renewing, cancel it instead.",
            "Delete contract?",
            "Delete",
        ),
    )


def contract_rows_html(
    rows, *, practice, client, can_edit: bool, show_state: bool, csrf_token: str
) -> SafeString:
    """The `<tr>` of each contract of `rows` (each with `.info`, its renewal picture, vendor and owner
    joined): name, vendor, type and warning, notice deadline, renewal or end, billing, annual cost,
    owner, the state when `show_state`, and — for a role that edits — the row's action menu."""
    slug, currency, client_pk = practice.slug, practice.currency, client.pk
    csrf = csrf_input(csrf_token)
    out = []
    for c in rows:
        info = c.info
        name = escape(c.name)
        if info.notice_deadline:
            notice = (
                f'{_day(info.notice_deadline)}<div class="small text-secondary">{number_html(c.notice_days)} '
                f"day{pluralize(c.notice_days)} notice</div>"
            )
        else:
            notice = "—"
        quantity = f" × {number_html(c.quantity)}" if c.quantity > 1 else ""
        owner = c.owner.display_name if c.owner else ""
        out.append(
            f'<tr class="{"in-notice-window" if info.in_notice_window else ""}" data-contract="{escape(c.pk)}">'
            f'<td class="cell-name"><a class="fw-semibold" dir="auto" title="{name}" '
            f'href="{escape(row_reverse("vendors:contract_detail", slug, client_pk, c.pk))}">{name}</a>'
            '<div class="small text-secondary text-break-anywhere"><a class="link-secondary" dir="auto" '
            f'href="{escape(row_reverse("vendors:detail", slug, c.vendor_id))}">{escape(c.vendor.name)}</a> · '
            f"{escape(c.get_contract_type_display())}</div>"
            f"<div>{warning_html(info)}</div></td>"
            f'<td class="text-nowrap">{notice}</td>'
            f'<td class="text-nowrap">{_term_end(info)}</td>'
            f'<td class="text-nowrap">{escape(money(c.cost, currency))}{quantity}'
            f'<div class="small text-secondary">{escape(c.get_billing_frequency_display())}</div></td>'
            f'<td class="num">{escape(money(info.annual_cost, currency))}</td>'
            f'<td class="text-nowrap">{escape(owner or "—")}</td>'
            + (f"<td>{state_html(info)}</td>" if show_state else "")
            + (_actions(c, slug, client_pk, csrf) if can_edit else "")
            + "</tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
