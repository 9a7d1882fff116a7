"""Reads of the renewals calendar and its feed: the practice's notice deadlines, renewals and contract
ends, soonest first.

The page asks the database for one page of dates. Each contract keeps its renewal picture as of a
day (`Contract.key_date`, `notice_date`, `rolling`, stamped on every save and rolled forward hourly);
where those are exact on the practice's today (`selectors.fresh_dates`) the database sorts, pages and
counts the dates. The few contracts whose stored picture is stale are computed from their terms
(`vendors.renewals`, the one rule) and merged in. The CSV and the feed list every date, computed
from the terms.
"""

import heapq
import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth

from vcio.listing import PageInfo

from . import renewals
from .models import Contract
from .selectors import TERM_FIELDS, fresh_dates, practice_today, running, stale_dates

CALENDAR_MONTHS = 12
PAGE_SIZE = 50
FEED_PAST_DAYS = 30

# A stored notice date that is a calendar event: not month to month, and not the renewal day itself
# (no notice period).
NOTICE_EVENT = Q(rolling=False) & ~Q(notice_date=F("key_date"))
KIND_ORDER = {renewals.NOTICE: 0, renewals.EXPIRY: 1, renewals.RENEWAL: 2}  # on one day
ORDER_KIND = {v: k for k, v in KIND_ORDER.items()}


@dataclass
class CalendarEntry:
    event: renewals.Event
    contract: Contract

    @property
    def highlight(self) -> bool:
        return self.event.renewal.in_notice_window and self.event.kind == renewals.NOTICE

    # The page's dates, formatted in Python (as the `date` filter would: "Thu", "Nov", "26 Nov 2026").
    @property
    def dow(self) -> str:
        return f"{self.event.day:%a}"

    @property
    def mon(self) -> str:
        return f"{self.event.day:%b}"

    @property
    def day_label(self) -> str:
        return _day_label(self.event.day)

    @property
    def renews_label(self) -> str:
        return _day_label(self.event.renewal.next_renewal)


def _day_label(day: date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else ""


@dataclass
class CalendarMonth:
    first: date
    count: int = 0  # the month's dates, on every page
    notices: int = 0  # of which notice deadlines
    start: int = 0  # the position of its first date in the whole list (0-based)
    page: int = 1  # the page its first date is on
    entries: list[CalendarEntry] = field(default_factory=list)  # those on the page shown
    continued: bool = False  # shown, and its earlier dates are on the previous page
    continues: bool = False  # shown, and it goes on on the next page

    @property
    def anchor(self) -> str:
        return f"month-{self.first:%Y-%m}"

    @property
    def label(self) -> str:
        return f"{self.first:%B %Y}"


@dataclass
class RenewalCalendar:
    today: date
    months: list[CalendarMonth]  # every month of the horizon, with its counts
    rolling: int  # running month-to-month contracts, not listed
    in_notice_window: int  # notice deadlines from today through the lead time
    page: int = 1
    page_size: int = PAGE_SIZE

    @property
    def total(self) -> int:
        return sum(m.count for m in self.months)

    @property
    def entries(self) -> list[CalendarEntry]:
        return [e for m in self.months for e in m.entries]

    @property
    def page_months(self) -> list[CalendarMonth]:
        return [m for m in self.months if m.entries]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def page_info(self) -> PageInfo:
        """For the pagination include."""
        return PageInfo(self.page, self.page_size, self.total)


def calendar_contracts(
    *, practice, today: date, client=None, vendor=None, consultant=None, joined: bool = True
) -> QuerySet[Contract]:
    """The running contracts the calendar covers. `joined=False`: without the client and vendor
    joins (counting needs neither, unless by consultant)."""
    practice_id = getattr(practice, "pk", practice)
    qs = Contract.objects.for_practice(practice).filter(running(today))
    if joined:
        qs = qs.filter(client__practice_id=practice_id, vendor__practice_id=practice_id).select_related(
            "client", "client__primary_consultant", "vendor", "owner"
        )
    if client is not None:
        qs = qs.filter(client_id=client.pk)
    if vendor is not None:
        qs = qs.filter(vendor_id=vendor.pk)
    if consultant is not None:
        qs = qs.filter(
            Q(owner=consultant)
            | Q(owner__isnull=True, client__practice_id=practice_id, client__primary_consultant=consultant)
        )
    return qs


def horizon(today: date, months: int = CALENDAR_MONTHS) -> tuple[date, date]:
    """The calendar's span: the first day of this month through the end of the `months`th month."""
    first = today.replace(day=1)
    return first, renewals.add_months(first, months) - timedelta(days=1)


def _sort_key(day: date, kind: str, client_name: str, name: str, pk) -> tuple:
    return (day, KIND_ORDER[kind], client_name, name, str(pk))


def renewal_events(contracts, *, today: date, first: date, last: date) -> list[CalendarEntry]:
    """Every date of `contracts` (model objects) between `first` and `last`, computed from their terms
    and sorted as the page sorts them (the CSV and the feed)."""
    entries = [
        CalendarEntry(event, contract)
        for contract in contracts
        for event in renewals.events(contract, today, first, last)
    ]
    return sorted(
        entries,
        key=lambda e: _sort_key(
            e.event.day, e.event.kind, e.contract.client.name, e.contract.name, e.contract.pk
        ),
    )


def calendar_entries(*, practice, today: date | None = None, months: int = CALENDAR_MONTHS, **filters):
    """Every date of the calendar (the CSV: no page), computed from the running contracts' terms."""
    today = today or practice_today(practice)
    first, last = horizon(today, months)
    contracts = calendar_contracts(practice=practice, today=today, **filters)
    return renewal_events(contracts, today=today, first=first, last=last)


# --- the page ---------------------------------------------------------------------------------------------


def _fresh_events(contracts: QuerySet[Contract], today: date, first: date, last: date):
    """(notice deadlines, renewals and ends) of the contracts whose stored dates are exact on `today`,
    as querysets of (day, kind order, client name, contract name, pk) rows."""
    fresh = contracts.filter(fresh_dates(today)).order_by()
    notices = fresh.filter(NOTICE_EVENT, notice_date__gte=first, notice_date__lte=last).annotate(
        day=F("notice_date"), kind=Value(KIND_ORDER[renewals.NOTICE]), client_name=F("client__name")
    )
    ends = fresh.filter(rolling=False, key_date__gte=first, key_date__lte=last).annotate(
        day=F("key_date"),
        kind=Case(
            When(auto_renew=True, then=Value(KIND_ORDER[renewals.RENEWAL])),
            default=Value(KIND_ORDER[renewals.EXPIRY]),
            output_field=IntegerField(),
        ),
        client_name=F("client__name"),
    )
    return notices, ends


def _stale_events(contracts: QuerySet[Contract], today: date, first: date, last: date):
    """The events of the contracts whose stored dates are stale (or were never stamped), computed
    from their terms: ([(sort key, kind)], how many of them are month-to-month)."""
    found, rolling = [], 0
    rows = contracts.filter(stale_dates(today)).values_list("pk", "name", "client__name", *TERM_FIELDS)
    for pk, name, client_name, *terms in rows:
        t = renewals.Terms(**dict(zip(TERM_FIELDS, terms, strict=True)))
        rolling += renewals.is_rolling(t)
        for event in renewals.events(t, today, first, last):
            found.append((event.day, KIND_ORDER[event.kind], client_name, name, pk))
    found.sort(key=lambda row: (*row[:4], str(row[4])))
    return found, rolling


def renewal_calendar(
    *,
    practice,
    today: date | None = None,
    client=None,
    vendor=None,
    consultant=None,
    months: int = CALENDAR_MONTHS,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> RenewalCalendar:
    """One page of the practice's notice deadlines, renewals and expiries from the first day of this
    month through the next `months` months (passed deadlines of this month stay shown), soonest
    first, with every month's count. A fixed number of queries, each bounded by the page or answered
    by an aggregate: the month counts, the notice-window and month-to-month counts, the page's rows
    (a sorted union with a limit), the stale contracts, then the page's contracts read whole.
    A `page` past the last shows the last."""
    today = today or practice_today(practice)
    first, last = horizon(today, months)
    contracts = calendar_contracts(
        practice=practice, today=today, client=client, vendor=vendor, consultant=consultant
    )
    grid = {
        renewals.add_months(first, i): CalendarMonth(renewals.add_months(first, i)) for i in range(months)
    }
    stale, stale_rolling = _stale_events(contracts, today, first, last)
    figures = _counts(
        calendar_contracts(
            practice=practice, today=today, client=client, vendor=vendor, consultant=consultant, joined=False
        ),
        today,
        list(grid),
    )
    for i, month in enumerate(grid.values()):
        month.notices = figures[f"notices_{i}"]
        month.count = month.notices + figures[f"ends_{i}"]
    soon = today + timedelta(days=renewals.NOTICE_LEAD_DAYS)
    window = figures["in_window"]
    for day, kind, *_ in stale:
        month = grid[day.replace(day=1)]
        month.count += 1
        month.notices += kind == KIND_ORDER[renewals.NOTICE]
        window += kind == KIND_ORDER[renewals.NOTICE] and today <= day <= soon
    position = 0
    for month in grid.values():
        month.start, position = position, position + month.count
    calendar = RenewalCalendar(
        today=today,
        months=list(grid.values()),
        rolling=figures["month_to_month"] + stale_rolling,
        in_notice_window=window,
        page_size=page_size,
    )
    calendar.page = max(1, min(page, calendar.pages))
    _fill_page(calendar, contracts, stale)
    for month in calendar.months:
        month.page = month.start // page_size + 1
        month.continued = bool(month.entries) and month.start < calendar.offset
        month.continues = bool(month.entries) and month.start + month.count > calendar.offset + page_size
    return calendar


def _counts(contracts: QuerySet[Contract], today: date, months: list[date]) -> dict[str, int]:
    """One scan of the fresh contracts (no joins), grouped by the months of their notice and key
    dates: each month's notice deadlines (`notices_<i>`) and renewals or ends (`ends_<i>`), the
    notice deadlines from today through the lead time (`in_window`) and the month-to-month contracts
    (`month_to_month`). A few hundred groups at most, whatever the number of contracts; on
    PostgreSQL every column read is in a covering index (migration vendors 0002), so the scan reads
    the index alone."""
    soon = today + timedelta(days=renewals.NOTICE_LEAD_DAYS)
    index = {month: i for i, month in enumerate(months)}
    found = {"month_to_month": 0, "in_window": 0}
    found.update({f"notices_{i}": 0 for i in index.values()})
    found.update({f"ends_{i}": 0 for i in index.values()})
    groups = (
        contracts.filter(fresh_dates(today))
        .order_by()
        .values(
            "rolling",
            notice_month=TruncMonth("notice_date"),
            key_month=TruncMonth("key_date"),
            notice_event=Case(When(NOTICE_EVENT, then=Value(True)), default=Value(False)),
            soon=Case(
                When(notice_date__gte=today, notice_date__lte=soon, then=Value(True)), default=Value(False)
            ),
        )
        .annotate(n=Count("practice"))
    )
    for row in groups:
        if row["rolling"]:
            found["month_to_month"] += row["n"]
            continue
        key_month = index.get(_as_date(row["key_month"]))
        if key_month is not None:
            found[f"ends_{key_month}"] += row["n"]
        notice_month = index.get(_as_date(row["notice_month"]))
        if row["notice_event"] and notice_month is not None:
            found[f"notices_{notice_month}"] += row["n"]
        if row["notice_event"] and row["soon"]:
            found["in_window"] += row["n"]
    return found


def _as_date(value):
    """A truncated month as a date (databases answer a date or a midnight datetime)."""
    return value.date() if isinstance(value, datetime) else value


def _fill_page(calendar: RenewalCalendar, contracts, stale) -> None:
    """Put the page's entries in their months. The month counts tell which months the page spans;
    the database sorts only those months' fresh dates and reads as many as the page needs, which
    are merged with the stale ones (sorted alike in Python)."""
    end = calendar.offset + calendar.page_size
    spanned = [
        m for m in calendar.months if m.count and m.start < end and m.start + m.count > calendar.offset
    ]
    if not spanned:
        return
    first, last = spanned[0].first, renewals.add_months(spanned[-1].first, 1) - timedelta(days=1)
    skip = spanned[0].start  # the dates of the months before
    notices, ends = _fresh_events(contracts, calendar.today, first, last)
    columns = ("day", "kind", "client_name", "name", "pk")
    union = notices.values_list(*columns).union(ends.values_list(*columns), all=True)
    fresh = list(union.order_by("day", "kind", "client_name", "name", "pk")[: end - skip])
    stale = [row for row in stale if first <= row[0] <= last]
    merged = heapq.merge(fresh, stale, key=lambda row: (*row[:4], str(row[4])))
    rows = list(itertools.islice(merged, calendar.offset - skip, end - skip))
    whole = contracts.in_bulk({row[4] for row in rows})
    months = {m.first: m for m in calendar.months}
    for day, kind, _, _, pk in rows:
        contract = whole[pk]
        event = renewals.Event(day, ORDER_KIND[kind], renewals.contract_renewal(contract, calendar.today))
        months[day.replace(day=1)].entries.append(CalendarEntry(event, contract))


# --- the feed -----------------------------------------------------------------------------------------------


def feed_entries(*, practice, today: date | None = None) -> list[CalendarEntry]:
    """The calendar feed's events: the practice's notice deadlines, renewals and expiries from
    FEED_PAST_DAYS days ago to a year ahead (one query)."""
    today = today or practice_today(practice)
    first = today - timedelta(days=FEED_PAST_DAYS)
    last = today + timedelta(days=365)
    contracts = calendar_contracts(practice=practice, today=today)
    return renewal_events(contracts, today=today, first=first, last=last)
