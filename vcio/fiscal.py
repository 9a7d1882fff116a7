"""The one fiscal-calendar helper of the project (roadmaps now; budgets, compliance and QBR later).

Conventions
- A fiscal year starts on the first day of `start_month` (1-12) and is **named by the calendar year
  in which it ends**: with a July start, 2026-07-01 .. 2027-06-30 is FY2027 (2026-07-01 is FY2027 Q1);
  with a January start the fiscal year is the calendar year.
- Quarters are three-month blocks from the start month: Q1 = the first three months.
- A quarter is stored as one sortable integer, its `key`: `year * 10 + quarter` (FY2027 Q2 -> 20272).
  Comparing keys compares quarters; `FiscalQuarter.from_key` turns a key back into a quarter.
  Keys are not contiguous (20274 is followed by 20281), so arithmetic goes through `FiscalQuarter`.
- What users and integrations may enter is bounded to fiscal years FIRST_YEAR..LAST_YEAR (2000-2100):
  `parse_quarter`, `check_supported` and `is_supported` say so; every form, API field and model
  validator that accepts a quarter goes through them. Arithmetic (`add`) may leave that range (it
  raises ValueError only past year 9999); a service that computes a quarter checks the result with
  `check_supported` and answers a field error.

Nothing here imports an app of ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

FIRST_YEAR = 2000
LAST_YEAR = 2100
SUPPORTED_RANGE_TEXT = f"FY{FIRST_YEAR} Q1 to FY{LAST_YEAR} Q4"


def _check_month(start_month: int) -> None:
    if not 1 <= int(start_month) <= 12:
        raise ValueError(f"A fiscal year starts in month 1-12, not {start_month!r}.")


@dataclass(frozen=True, order=True)
class FiscalQuarter:
    """A quarter of a fiscal year, e.g. `FiscalQuarter(2027, 2)` is "FY2027 Q2"."""

    year: int
    quarter: int

    def __post_init__(self):
        if not 1 <= self.quarter <= 4:
            raise ValueError(f"A quarter is 1-4, not {self.quarter!r}.")
        if not 1900 <= self.year <= 9999:
            raise ValueError(f"Fiscal year {self.year!r} is out of range.")

    # --- identity and storage -----------------------------------------------------------------
    @property
    def key(self) -> int:
        """The sortable integer stored in the database: `year * 10 + quarter`."""
        return self.year * 10 + self.quarter

    @classmethod
    def from_key(cls, key: int | str) -> FiscalQuarter:
        key = int(key)
        return cls(key // 10, key % 10)

    @property
    def index(self) -> int:
        """A contiguous number of quarters since year 0 (for arithmetic)."""
        return self.year * 4 + self.quarter - 1

    @classmethod
    def from_index(cls, index: int) -> FiscalQuarter:
        return cls(index // 4, index % 4 + 1)

    @property
    def is_supported(self) -> bool:
        """Within the fiscal years anyone may enter (FIRST_YEAR..LAST_YEAR)."""
        return FIRST_YEAR <= self.year <= LAST_YEAR

    # --- labels -------------------------------------------------------------------------------
    @property
    def label(self) -> str:
        return f"FY{self.year} Q{self.quarter}"

    def __str__(self) -> str:
        return self.label

    # --- arithmetic ---------------------------------------------------------------------------
    def add(self, n: int) -> FiscalQuarter:
        return FiscalQuarter.from_index(self.index + n)

    def next(self) -> FiscalQuarter:
        return self.add(1)

    def previous(self) -> FiscalQuarter:
        return self.add(-1)

    def __add__(self, n: int) -> FiscalQuarter:
        if not isinstance(n, int):
            return NotImplemented
        return self.add(n)

    def __sub__(self, other):
        """`q - 2` is a quarter; `q1 - q2` is the number of quarters between them."""
        if isinstance(other, FiscalQuarter):
            return self.index - other.index
        if isinstance(other, int):
            return self.add(-other)
        return NotImplemented

    # --- dates --------------------------------------------------------------------------------
    def start_date(self, start_month: int) -> date:
        _check_month(start_month)
        # FY `year` starts in calendar year `year - 1` unless the fiscal year starts in January.
        first_year = self.year if start_month == 1 else self.year - 1
        months = (start_month - 1) + (self.quarter - 1) * 3
        return date(first_year + months // 12, months % 12 + 1, 1)

    def end_date(self, start_month: int) -> date:
        return self.next().start_date(start_month) - timedelta(days=1)

    def date_range(self, start_month: int) -> tuple[date, date]:
        """First and last day (inclusive)."""
        return self.start_date(start_month), self.end_date(start_month)

    def contains(self, day: date, start_month: int) -> bool:
        return fiscal_quarter(day, start_month) == self


def fiscal_year(day: date, start_month: int) -> int:
    """The fiscal year (named by the calendar year in which it ends) that `day` falls in."""
    _check_month(start_month)
    if start_month == 1:
        return day.year
    return day.year + 1 if day.month >= start_month else day.year


def fiscal_quarter(day: date, start_month: int) -> FiscalQuarter:
    """The fiscal quarter `day` falls in."""
    _check_month(start_month)
    months_in = (day.month - start_month) % 12
    return FiscalQuarter(fiscal_year(day, start_month), months_in // 3 + 1)


def fiscal_year_range(year: int, start_month: int) -> tuple[date, date]:
    """First and last day (inclusive) of fiscal year `year`."""
    return FiscalQuarter(year, 1).start_date(start_month), FiscalQuarter(year, 4).end_date(start_month)


def fiscal_year_quarters(year: int) -> list[FiscalQuarter]:
    return [FiscalQuarter(year, q) for q in (1, 2, 3, 4)]


def fiscal_year_label(year: int) -> str:
    return f"FY{year}"


def quarter_range(first: FiscalQuarter, last: FiscalQuarter) -> list[FiscalQuarter]:
    """Every quarter from `first` to `last`, both included (empty when last < first)."""
    return [FiscalQuarter.from_index(i) for i in range(first.index, last.index + 1)]


def quarter_window(day: date, start_month: int, *, back: int = 2, ahead: int = 8) -> list[FiscalQuarter]:
    """The `back` quarters before the one containing `day`, then `ahead` quarters starting with it.

    The roadmap's default window: `quarter_window(today, m)` is the last 2 and the next 8 (the current
    quarter is the first of the next 8), ten quarters in all.
    """
    current = fiscal_quarter(day, start_month)
    return quarter_range(current.add(-back), current.add(ahead - 1))


def month_count(day: date, start_month: int) -> int:
    """Months of the fiscal year elapsed once `day`'s month is over (1-12)."""
    _check_month(start_month)
    return (day.month - start_month) % 12 + 1


_LABEL = re.compile(r"^\s*(?:FY)?\s*(\d{4})\s*[-_ ]?\s*Q([1-4])\s*$", re.IGNORECASE)


def is_supported_key(key) -> bool:
    """A stored quarter key (`year * 10 + quarter`) of a supported fiscal year."""
    return (
        isinstance(key, int)
        and not isinstance(key, bool)
        and FIRST_YEAR * 10 + 1 <= key <= LAST_YEAR * 10 + 4
        and 1 <= key % 10 <= 4
    )


def check_supported(q: FiscalQuarter) -> FiscalQuarter:
    """`q` itself, or ValueError when it lies outside FY2000..FY2100."""
    if not q.is_supported:
        raise ValueError(f"{q.label} is out of range: choose a quarter from {SUPPORTED_RANGE_TEXT}.")
    return q


def shifted(q: FiscalQuarter, n: int) -> FiscalQuarter | None:
    """`q + n`, or None when the result is not a supported quarter (never raises)."""
    try:
        result = q.add(n)
    except (ValueError, OverflowError):
        return None
    return result if result.is_supported else None


def parse_quarter(text: str | int) -> FiscalQuarter:
    """ "FY2027 Q2", "2027-Q2", "2027Q2" or a key (20272) -> FiscalQuarter of FY2000..FY2100;
    ValueError otherwise."""
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not a fiscal quarter.")
    if isinstance(text, int) or (isinstance(text, str) and text.strip().isdigit()):
        key = int(text)
        if is_supported_key(key):
            return FiscalQuarter.from_key(key)
        raise ValueError(f"{text!r} is not a fiscal quarter from {SUPPORTED_RANGE_TEXT}.")
    match = _LABEL.match(str(text))
    if not match:
        raise ValueError(f"{text!r} is not a fiscal quarter; write it like “FY2027 Q2”.")
    return check_supported(FiscalQuarter(int(match.group(1)), int(match.group(2))))


def days_in_quarter(q: FiscalQuarter, start_month: int) -> int:
    start, end = q.date_range(start_month)
    return (end - start).days + 1
