"""The QBR report's renewals section (order 60): the client's running contracts that renew or end,
or whose notice deadline falls, within the next 180 days (vendors' renewal rules on the report's
today). qbr may import vendors. One query whatever the number of contracts."""

from datetime import timedelta
from decimal import Decimal

from vcio.templatetags.vcio_tags import format_money
from vendors.models import Contract
from vendors.selectors import running, with_renewal

from .report_sections import Headline, ReportScope, register_report_section

WINDOW_DAYS = 180
ZERO = Decimal("0.00")


def _within(day, today, horizon) -> bool:
    return day is not None and today <= day <= horizon


def gather_renewals(scope: ReportScope) -> dict:
    today = scope.today
    horizon = today + timedelta(days=WINDOW_DAYS)
    contracts = with_renewal(
        Contract.objects.for_client(scope.client).filter(running(today)).select_related("vendor"), today
    )
    rows = []
    for c in contracts:
        info = c.info
        deadline = info.notice_deadline if not info.rolling else None
        if not (_within(deadline, today, horizon) or _within(info.key_date, today, horizon)):
            continue
        rows.append(
            {
                "name": c.name,
                "vendor": c.vendor.name if c.vendor_id else "",
                "renews": info.next_renewal,
                "ends": info.expires_on,
                "notice_deadline": deadline if _within(deadline, today, horizon) else None,
                "in_notice_window": info.in_notice_window,
                "annual_cost": info.annual_cost,
                "sort": (deadline if _within(deadline, today, horizon) else info.key_date),
            }
        )
    rows.sort(key=lambda r: (r["sort"], r["name"]))
    at_stake = sum((r["annual_cost"] for r in rows), ZERO)
    urgent = sum(1 for r in rows if r["in_notice_window"])
    highlights = []
    if urgent:
        highlights.append(
            f"{urgent} contract{'s' if urgent != 1 else ''} must be given notice within 30 days to avoid renewing."
        )
    return {
        "rows": rows,
        "window_days": WINDOW_DAYS,
        "at_stake": at_stake,
        "urgent": urgent,
        "headlines": [
            Headline(
                "renewals",
                "Renewals, next 180 days",
                str(len(rows)),
                f"{format_money(at_stake, scope.currency)} a year",
            )
        ],
        "highlights": highlights,
    }


def register() -> None:
    register_report_section(
        key="renewals",
        title="Renewals",
        order=60,
        gather=gather_renewals,
        template="pdf/qbr/sections/renewals.html",
    )
