"""The renewal and billing rules of a contract — the one place they live.

Pure: no database, no clock. Every function takes the contract's terms (`Terms`, or anything with the
same attributes, e.g. a `Contract`) and, where the answer depends on the date, `today` — the
practice's local date, which the caller supplies (`vendors.selectors.practice_today`). Selectors, pages,
the API, the calendar feed, and later apps (budgets, QBR, the dashboard) all call these.

The rules
- **Term ends** ("boundaries"). The first term ends on the end date, or `term_months` after the start
  date; a contract with neither is open-ended. Later terms end `renewal term` months after that,
  where the renewal term is `renewal_term_months`, else `term_months`, else the billing period (a
  month for monthly billing), else 12 months. An open-ended contract that auto-renews rolls from its
  start date by the renewal term.
- **Month ends**. Months are added from the original anchor, never step by step, and a day the target
  month lacks becomes its last day: 31 January + 1 month is 28 (or 29) February, + 2 months is 31
  March; 29 February 2024 + 12 months is 28 February 2025 and + 48 months 29 February 2028. An end
  date that is the last day of its month renews on the last day of the month (28 Feb → 31 Mar).
- **Next renewal** of an active, auto-renewing contract: the first term end on or after today — it
  rolls forward term by term, so a contract that started years ago still has its next renewal ahead.
  A contract that does not auto-renew has no renewal: it **expires** at its first term end.
- **Notice deadline** = next renewal − notice period (days): the last day to give notice.
  *In the notice window*: the deadline is today or within `NOTICE_LEAD_DAYS` days. *Notice passed*:
  the deadline is behind us but the renewal is not (it will renew). *Expires soon*: a non-renewing
  contract ends within `EXPIRY_LEAD_DAYS` days.
- **Rolling** contracts (auto-renewing with a renewal term under `ROLLING_TERM_MONTHS`, e.g.
  month-to-month) show their next renewal but never warn and are not listed as upcoming renewals:
  they renew every month and can be stopped at any.
- **Cancelled** contracts never warn and never renew; **expired** ones neither. An active contract that
  does not auto-renew and whose term has ended counts as expired.
- **Annual cost** = cost per billing period × quantity × periods per year (12 monthly, 4 quarterly, 1
  annual). One-time charges are not annualised (0); they count once, on the start date, in billing.
- **Billing** (budgets): a recurring contract bills `cost × quantity` on its start date and every
  billing period after it (month-end rule above), until it stops running: never for an active,
  auto-renewing contract; at its first term end for one that does not auto-renew; at the term end in
  force on the day it was cancelled (notice given, the term is paid); on the last term end before it
  was marked expired.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import ClassVar

ACTIVE, CANCELLED, EXPIRED = "active", "cancelled", "expired"
MONTHLY, QUARTERLY, ANNUAL, ONE_TIME = "monthly", "quarterly", "annual", "one_time"

PERIOD_MONTHS = {MONTHLY: 1, QUARTERLY: 3, ANNUAL: 12, ONE_TIME: None}
ANNUAL_FACTOR = {MONTHLY: 12, QUARTERLY: 4, ANNUAL: 1, ONE_TIME: 0}
DEFAULT_RENEWAL_TERM = 12
NOTICE_LEAD_DAYS = 30
EXPIRY_LEAD_DAYS = 60
ROLLING_TERM_MONTHS = 3
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_CHARGES = 5_000  # a guard: billing of a century of monthly charges is 1,200


# --- dates ------------------------------------------------------------------------------------------


def last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def is_month_end(day: date) -> bool:
    return day.day == last_day(day.year, day.month)


def add_months(day: date, months: int, *, month_end: bool = False) -> date:
    """`day` + `months`; a day the target month lacks becomes its last day (31 Jan + 1 → 28/29 Feb).
    With `month_end`, the answer is always the last day of the target month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise OverflowError("date out of range")
    end = last_day(year, month)
    return date(year, month, end if month_end else min(day.day, end))


def months_between(a: date, b: date) -> int:
    """Whole calendar months from a's month to b's month (may be negative)."""
    return (b.year - a.year) * 12 + (b.month - a.month)


# --- terms --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """What the rules need of a contract. `Terms.of(contract)` reads a Contract (or any look-alike)."""

    start_date: date
    end_date: date | None = None
    term_months: int | None = None
    auto_renew: bool = False
    renewal_term_months: int | None = None
    notice_days: int = 0
    billing_frequency: str = ANNUAL
    cost: Decimal = ZERO
    quantity: int = 1
    status: str = ACTIVE
    ended_on: date | None = None

    @classmethod
    def of(cls, contract) -> Terms:
        if isinstance(contract, Terms):
            return contract
        return cls(
            start_date=contract.start_date,
            end_date=contract.end_date,
            term_months=contract.term_months,
            auto_renew=bool(contract.auto_renew),
            renewal_term_months=contract.renewal_term_months,
            notice_days=contract.notice_days or 0,
            billing_frequency=contract.billing_frequency,
            cost=contract.cost if contract.cost is not None else ZERO,
            quantity=contract.quantity if contract.quantity is not None else 1,
            status=contract.status,
            ended_on=contract.ended_on,
        )


def first_term_end(start_date: date, end_date: date | None, term_months: int | None) -> date | None:
    """The end of the first term: the end date, or `term_months` after the start; None = open-ended."""
    if end_date is not None:
        return end_date
    if term_months:
        try:
            return add_months(start_date, term_months)
        except OverflowError:
            return None
    return None


def renewal_term(terms) -> int:
    """Months of each renewal term (see the module's rules)."""
    t = Terms.of(terms)
    return (
        t.renewal_term_months
        or t.term_months
        or PERIOD_MONTHS.get(t.billing_frequency)
        or DEFAULT_RENEWAL_TERM
    )


def is_open_ended(terms) -> bool:
    t = Terms.of(terms)
    return t.end_date is None and not t.term_months


def is_rolling(terms) -> bool:
    t = Terms.of(terms)
    return t.auto_renew and renewal_term(t) < ROLLING_TERM_MONTHS


def boundary(terms, k: int) -> date | None:
    """The end of the k-th term (k >= 1); None when there is none (open-ended and not renewing, the
    k-th term of a non-renewing contract past the first, or beyond the calendar)."""
    t = Terms.of(terms)
    if k < 1:
        raise ValueError("Terms are counted from 1.")
    try:
        if t.end_date is not None:
            if k == 1:
                return t.end_date
            if not t.auto_renew:
                return None
            return add_months(t.end_date, (k - 1) * renewal_term(t), month_end=is_month_end(t.end_date))
        if t.term_months:
            if k > 1 and not t.auto_renew:
                return None
            return add_months(t.start_date, t.term_months + (k - 1) * renewal_term(t))
        if t.auto_renew:
            return add_months(t.start_date, k * renewal_term(t))
    except OverflowError:
        return None
    return None


def _anchor_months(t: Terms) -> tuple[date, int, int]:
    """(anchor date, months of the first term from it, months per later term) of a renewing contract."""
    step = renewal_term(t)
    if t.end_date is not None:
        return t.end_date, 0, step
    if t.term_months:
        return t.start_date, t.term_months, step
    return t.start_date, step, step


def _index_on_or_after(t: Terms, day: date) -> int | None:
    """k of the first term end on or after `day` (None when there is none)."""
    first = boundary(t, 1)
    if first is None:
        return None
    if first >= day:
        return 1
    if not t.auto_renew:
        return None
    anchor, offset, step = _anchor_months(t)
    # Jump to just before `day` in one step (no walk over decades of monthly terms), then walk.
    k = max(1, (months_between(anchor, day) - offset) // step - 1)
    while True:
        end = boundary(t, k)
        if end is None:
            return None
        if end >= day:
            return k
        k += 1


def boundary_on_or_after(terms, day: date) -> date | None:
    """The first term end on or after `day` (for a non-renewing contract: its only term end, if it is)."""
    t = Terms.of(terms)
    k = _index_on_or_after(t, day)
    return boundary(t, k) if k else None


def boundary_on_or_before(terms, day: date) -> date | None:
    """The last term end on or before `day` (None when the first term has not ended by then)."""
    t = Terms.of(terms)
    first = boundary(t, 1)
    if first is None or first > day:
        return None
    k = _index_on_or_after(t, day)
    if k is None:  # a non-renewing contract whose only term ended before `day`
        return first
    end = boundary(t, k)
    return end if end == day else boundary(t, k - 1)


# --- state on a given day -------------------------------------------------------------------------------


def state(terms, today: date) -> str:
    """`active`, `cancelled` or `expired` — an active contract that does not auto-renew and whose term
    ended before today is expired."""
    t = Terms.of(terms)
    if t.status in (CANCELLED, EXPIRED):
        return t.status
    if not t.auto_renew:
        end = boundary(t, 1)
        if end is not None and end < today:
            return EXPIRED
    return ACTIVE


def service_end(terms) -> date | None:
    """The day the contract stops running (exclusive: nothing is billed on or after it); None while
    it runs on. See the module's billing rule."""
    t = Terms.of(terms)
    first = boundary(t, 1)
    if t.status == ACTIVE:
        return None if t.auto_renew else first
    ended = t.ended_on
    if t.status == CANCELLED:
        if t.auto_renew and ended is not None:
            return boundary_on_or_after(t, ended) or ended
        return first or ended
    # expired
    if t.auto_renew and ended is not None:
        return boundary_on_or_before(t, ended) or first or ended
    return first or ended


@dataclass(frozen=True)
class Renewal:
    """A contract's renewal picture on `today`."""

    today: date
    state: str
    term_end: date | None  # the end of the term in force (the next renewal, or the expiry)
    next_renewal: date | None  # active and auto-renewing only
    expires_on: date | None  # active and not auto-renewing, not yet ended
    ends_on: date | None  # cancelled: the last term it is paid for ends here
    notice_deadline: date | None
    rolling: bool
    annual_cost: Decimal

    @property
    def key_date(self) -> date | None:
        """The date that matters next: the renewal, or the expiry."""
        return self.next_renewal or self.expires_on

    @property
    def days_to_deadline(self) -> int | None:
        return (self.notice_deadline - self.today).days if self.notice_deadline else None

    @property
    def in_notice_window(self) -> bool:
        """Give notice now: the deadline is today or within NOTICE_LEAD_DAYS (never for rolling)."""
        days = self.days_to_deadline
        return days is not None and not self.rolling and 0 <= days <= NOTICE_LEAD_DAYS

    @property
    def notice_passed(self) -> bool:
        """Too late for this term: it will renew on `next_renewal`."""
        days = self.days_to_deadline
        return days is not None and not self.rolling and days < 0

    @property
    def expires_soon(self) -> bool:
        return self.expires_on is not None and (self.expires_on - self.today).days <= EXPIRY_LEAD_DAYS

    @property
    def warns(self) -> bool:
        return self.in_notice_window or self.expires_soon

    @property
    def sort_key(self) -> tuple:
        """Contracts by notice deadline (then by the next date), open-ended and ended ones last."""
        first = self.notice_deadline or self.key_date
        return (first is None, first or date.max, self.key_date or date.max)


def renewal(terms, today: date) -> Renewal:
    """The renewal picture of a contract on `today`."""
    t = Terms.of(terms)
    current = state(t, today)
    next_renewal = expires_on = ends_on = deadline = None
    term_end = None
    if current == ACTIVE:
        term_end = boundary_on_or_after(t, today) if t.auto_renew else boundary(t, 1)
        if t.auto_renew:
            next_renewal = term_end
            if next_renewal is not None:
                deadline = next_renewal - timedelta(days=t.notice_days or 0)
        else:
            expires_on = term_end
    elif current == CANCELLED:
        ends_on = service_end(t)
    return Renewal(
        today=today,
        state=current,
        term_end=term_end,
        next_renewal=next_renewal,
        expires_on=expires_on,
        ends_on=ends_on,
        notice_deadline=deadline,
        rolling=current == ACTIVE and is_rolling(t),
        annual_cost=annual_cost(t),
    )


def stored_dates(terms, as_of: date) -> tuple[date | None, date | None, bool]:
    """The derived columns a contract keeps for SQL (`Contract.key_date`, `notice_date`, `rolling`):
    its renewal picture on `as_of`. They stay exact on every later day up to `key_date`: a term end
    on or after `as_of` that is also on or after `today` is the first on or after `today`. Outside
    that span (`today` before `as_of`, or after `key_date`) they are stale and the picture must be
    computed again. No key date (cancelled, expired, open-ended without renewal) stays none."""
    info = renewal(terms, as_of)
    return info.key_date, info.notice_deadline, is_rolling(terms)


@dataclass(frozen=True)
class Stored:
    """A contract's stored renewal dates, as `stored_dates` gave them on `as_of` (`Contract.key_date`,
    `notice_date`, `rolling`, `dates_as_of`)."""

    key_date: date | None
    notice_date: date | None
    rolling: bool
    as_of: date | None

    # the contract's columns, in this order
    COLUMNS: ClassVar[tuple[str, ...]] = ("key_date", "notice_date", "rolling", "dates_as_of")

    @classmethod
    def of(cls, contract) -> Stored:
        return cls(*(getattr(contract, column) for column in cls.COLUMNS))


def stored_renewal(terms, stored: Stored, today: date) -> Renewal:
    """`renewal(terms, today)`, read from the dates stored with the terms when they are exact on `today`
    — an active contract stamped on or before `today` whose key date is today or later (see
    `stored_dates`): no term end is computed. Otherwise (no key date, stale or never stamped, not
    active) it is computed from the terms. `stored` must have been stamped from these `terms`: a
    contract read from the database, not one edited in memory.
    `tests/vendors/test_stored_dates.py` holds it equal to `renewal` on every day of the span."""
    t = Terms.of(terms)
    key = stored.key_date
    if t.status != ACTIVE or key is None or stored.as_of is None or not stored.as_of <= today <= key:
        return renewal(t, today)
    renews = t.auto_renew
    return Renewal(
        today=today,
        state=ACTIVE,
        term_end=key,
        next_renewal=key if renews else None,
        expires_on=None if renews else key,
        ends_on=None,
        notice_deadline=stored.notice_date if renews else None,
        rolling=stored.rolling,
        annual_cost=annual_cost(t),
    )


def contract_renewal(contract, today: date) -> Renewal:
    """The renewal picture on `today` of a contract read from the database (`stored_renewal`)."""
    return stored_renewal(contract, Stored.of(contract), today)


# --- calendar events -------------------------------------------------------------------------------------

NOTICE, RENEWAL, EXPIRY = "notice", "renewal", "expiry"
EVENT_LABELS = {NOTICE: "Notice deadline", RENEWAL: "Renews", EXPIRY: "Ends"}


@dataclass(frozen=True)
class Event:
    day: date
    kind: str  # NOTICE, RENEWAL or EXPIRY
    renewal: Renewal

    @property
    def label(self) -> str:
        return EVENT_LABELS[self.kind]


def events(terms, today: date, first: date, last: date) -> list[Event]:
    """The calendar's events of a contract between `first` and `last` (inclusive): its next renewal and
    notice deadline, or its expiry. Cancelled, expired and rolling contracts have none."""
    info = renewal(terms, today)
    if info.state != ACTIVE or info.rolling:
        return []
    found = []
    if info.notice_deadline is not None and info.notice_deadline != info.next_renewal:
        found.append(Event(info.notice_deadline, NOTICE, info))
    if info.next_renewal is not None:
        found.append(Event(info.next_renewal, RENEWAL, info))
    if info.expires_on is not None:
        found.append(Event(info.expires_on, EXPIRY, info))
    return [e for e in found if first <= e.day <= last]


# --- money ----------------------------------------------------------------------------------------------


def money(value) -> Decimal:
    """A Decimal with exactly two places (sums from the database may come back as 11060 or 11060.0)."""
    return Decimal(str(value if value is not None else 0)).quantize(CENT)


def period_amount(terms) -> Decimal:
    """One billing period's charge: cost × quantity."""
    t = Terms.of(terms)
    return (Decimal(t.cost) * t.quantity).quantize(CENT)


def annual_cost(terms) -> Decimal:
    """The annualised cost (one-time charges: 0)."""
    t = Terms.of(terms)
    return (period_amount(t) * ANNUAL_FACTOR.get(t.billing_frequency, 0)).quantize(CENT)


def billing_dates(terms, first: date, last: date) -> list[date]:
    """The days between `first` and `last` (inclusive) on which the contract bills (see the rule)."""
    t = Terms.of(terms)
    if t.billing_frequency == ONE_TIME or PERIOD_MONTHS.get(t.billing_frequency) is None:
        return [t.start_date] if first <= t.start_date <= last else []
    period = PERIOD_MONTHS[t.billing_frequency]
    stop = service_end(t)
    k = max(0, months_between(t.start_date, first) // period - 1)
    found = []
    for _ in range(MAX_CHARGES):
        try:
            day = add_months(t.start_date, k * period)
        except OverflowError:
            break
        if day > last or (stop is not None and day >= stop):
            break
        if day >= first:
            found.append(day)
        k += 1
    return found


def monthly_billing(terms, first: date, last: date) -> dict[date, Decimal]:
    """Charges per calendar month between `first` and `last`: {first day of the month: amount}, every
    month of the range present (0.00 when nothing is billed). For budgets' monthly phasing."""
    amount = period_amount(terms)
    months: dict[date, Decimal] = {}
    cursor = date(first.year, first.month, 1)
    while cursor <= last:
        months[cursor] = ZERO
        cursor = add_months(cursor, 1)
    for day in billing_dates(terms, first, last):
        months[date(day.year, day.month, 1)] += amount
    return months
