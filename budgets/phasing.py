"""The monthly phasing of a budget line — the one place it is computed. Pure: no database, no clock.

A budget year has 12 **fiscal months**, numbered 1-12 from the first month of the client's fiscal
year (`vcio.fiscal`: with a July start, FY2027 month 1 is July 2026 and month 12 is June 2027). A
line costs its `amount` per occurrence:

- **one-time**: once, in `first_month`;
- **monthly**: every month from `first_month` for `months` months (empty: until month 12);
- **quarterly**: every third month from `first_month`, within that span;
- **annual**: once, in `first_month`.

Months past 12 lie outside the year and are not counted. A dropped line costs nothing. Everything is
Decimal; a year's total is the sum of its months, which is the sum of its lines' totals.

Pages, the API, the exports and the QBR report all phase lines with `line_months`; the fiscal
calendar (labels, dates, the month of a date) comes from `vcio.fiscal`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from vcio.fiscal import fiscal_year, fiscal_year_range, month_count

ONE_TIME, MONTHLY, QUARTERLY, ANNUAL = "one_time", "monthly", "quarterly", "annual"
RECURRENCES = (ONE_TIME, MONTHLY, QUARTERLY, ANNUAL)
STEP = {MONTHLY: 1, QUARTERLY: 3, ANNUAL: 12}
PER_YEAR = {ONE_TIME: 0, MONTHLY: 12, QUARTERLY: 4, ANNUAL: 1}
MONTHS = 12
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Terms:
    """What phasing needs of a line (a `BudgetLine` has the same attributes)."""

    recurrence: str
    amount: Decimal
    first_month: int = 1
    months: int | None = None
    dropped: bool = False


def zeros() -> list[Decimal]:
    return [ZERO] * MONTHS


def money(value) -> Decimal:
    return (value if isinstance(value, Decimal) else Decimal(str(value or 0))).quantize(CENT)


def span_end(first_month: int, months: int | None) -> int:
    """The last fiscal month (1-12) of a line's span."""
    if months is None:
        return MONTHS
    return min(MONTHS, first_month + max(int(months), 1) - 1)


def occurrences(recurrence: str, first_month: int, months: int | None = None) -> list[int]:
    """The fiscal months (1-12) in which a line costs its amount."""
    first = int(first_month)
    if not 1 <= first <= MONTHS:
        raise ValueError(f"A fiscal month is 1-12, not {first_month!r}.")
    if recurrence in (ONE_TIME, ANNUAL):
        return [first]
    if recurrence not in STEP:
        raise ValueError(f"Unknown recurrence {recurrence!r}.")
    return list(range(first, span_end(first, months) + 1, STEP[recurrence]))


def line_months(line) -> list[Decimal]:
    """The 12 fiscal months of a line (anything with recurrence, amount, first_month, months and
    optionally dropped), Decimal."""
    result = zeros()
    if getattr(line, "dropped", False):
        return result
    amount = money(line.amount)
    for month in occurrences(line.recurrence, line.first_month, line.months):
        result[month - 1] += amount
    return result


def as_text(months: Sequence[Decimal]) -> list[str]:
    """Months as stored in JSON (`Budget.planned_months`): exact decimal text."""
    return [str(money(value)) for value in months]


def line_total(line) -> Decimal:
    return sum(line_months(line), ZERO)


def add(a: Sequence[Decimal], b: Sequence[Decimal]) -> list[Decimal]:
    return [x + y for x, y in zip(a, b, strict=True)]


def subtract(a: Sequence[Decimal], b: Sequence[Decimal]) -> list[Decimal]:
    return [x - y for x, y in zip(a, b, strict=True)]


def sum_months(rows: Iterable[Sequence[Decimal]]) -> list[Decimal]:
    total = zeros()
    for row in rows:
        total = add(total, row)
    return total


def cumulative(months: Sequence[Decimal]) -> list[Decimal]:
    running, found = ZERO, []
    for value in months:
        running += value
        found.append(running)
    return found


def is_recurring(line) -> bool:
    return line.recurrence != ONE_TIME


def runs_to_year_end(line) -> bool:
    """A recurring line whose span reaches month 12: it carries on into the next year (forecast)."""
    return is_recurring(line) and span_end(line.first_month, line.months) == MONTHS


def annualized(line) -> Decimal:
    """What a recurring line that runs to the year end costs in a whole later year (amount × its
    occurrences per year); 0 for a one-time, dropped or ending line."""
    if getattr(line, "dropped", False) or not runs_to_year_end(line):
        return ZERO
    return money(line.amount) * PER_YEAR[line.recurrence]


# --- the fiscal calendar of a budget year (vcio.fiscal) ---------------------------------------------


def month_starts(year: int, start_month: int) -> list[date]:
    """The first day of each fiscal month of fiscal year `year`."""
    first, _ = fiscal_year_range(year, start_month)
    return [
        date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1) for i in range(12)
    ]


def month_labels(start_month: int) -> list[str]:
    """ "Jul", "Aug", … "Jun" for a July fiscal year: the client's months in fiscal order."""
    return [MONTH_ABBR[(start_month - 1 + i) % 12] for i in range(MONTHS)]


def fiscal_month(day: date, start_month: int) -> int:
    """The fiscal month (1-12) `day` falls in."""
    return month_count(day, start_month)


def months_elapsed(today: date, year: int, start_month: int) -> int:
    """Fiscal months of year `year` begun by `today` (the current month counts): 12 for a past year,
    0 for a future one — the year-to-date window."""
    current = fiscal_year(today, start_month)
    if current > year:
        return MONTHS
    if current < year:
        return 0
    return fiscal_month(today, start_month)


# --- a contract's charges as a line ----------------------------------------------------------------


def terms_from_charges(charges: Sequence[Decimal], recurrence: str, *, runs_on: bool) -> Terms | None:
    """The line that phases exactly as a contract bills in the year: `charges` are its 12 fiscal
    months (`vendors.selectors.fiscal_year_billing`), `recurrence` its billing frequency and `runs_on`
    whether it still runs after the year ends (then the line runs "until the end of the year").
    None when it bills nothing; ValueError when the charges cannot be one line (never for the billing
    rule, whose charges are one amount at a fixed period: see the property tests)."""
    billed = [i + 1 for i, value in enumerate(charges) if value]
    if not billed:
        return None
    first, last = billed[0], billed[-1]
    if recurrence not in RECURRENCES:
        raise ValueError(f"Unknown recurrence {recurrence!r}.")
    terms = Terms(
        recurrence=recurrence,
        amount=money(charges[first - 1]),
        first_month=first,
        months=None if runs_on or recurrence == ONE_TIME else last - first + 1,
    )
    if line_months(terms) != [money(c) for c in charges]:
        raise ValueError("These charges are not one amount at a fixed period.")
    return terms
