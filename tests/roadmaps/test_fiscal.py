"""The fiscal-calendar helper: years named by the calendar year in which they end."""

from datetime import date

import pytest

from vcio.fiscal import (
    FiscalQuarter,
    days_in_quarter,
    fiscal_quarter,
    fiscal_year,
    fiscal_year_range,
    parse_quarter,
    quarter_range,
    quarter_window,
)

# (start month, day, expected fiscal year, expected quarter) — the first and last day of every
# quarter boundary for fiscal years starting in January, April, July and October.
BOUNDARIES = [
    # January: FY = calendar year
    (1, date(2026, 1, 1), 2026, 1),
    (1, date(2026, 3, 31), 2026, 1),
    (1, date(2026, 4, 1), 2026, 2),
    (1, date(2026, 6, 30), 2026, 2),
    (1, date(2026, 7, 1), 2026, 3),
    (1, date(2026, 9, 30), 2026, 3),
    (1, date(2026, 10, 1), 2026, 4),
    (1, date(2026, 12, 31), 2026, 4),
    (1, date(2027, 1, 1), 2027, 1),
    # April: FY2027 = 2026-04-01 .. 2027-03-31
    (4, date(2026, 3, 31), 2026, 4),
    (4, date(2026, 4, 1), 2027, 1),
    (4, date(2026, 6, 30), 2027, 1),
    (4, date(2026, 7, 1), 2027, 2),
    (4, date(2026, 9, 30), 2027, 2),
    (4, date(2026, 10, 1), 2027, 3),
    (4, date(2026, 12, 31), 2027, 3),
    (4, date(2027, 1, 1), 2027, 4),
    (4, date(2027, 3, 31), 2027, 4),
    (4, date(2027, 4, 1), 2028, 1),
    # July: FY2027 = 2026-07-01 .. 2027-06-30
    (7, date(2026, 6, 30), 2026, 4),
    (7, date(2026, 7, 1), 2027, 1),
    (7, date(2026, 9, 30), 2027, 1),
    (7, date(2026, 10, 1), 2027, 2),
    (7, date(2026, 12, 31), 2027, 2),
    (7, date(2027, 1, 1), 2027, 3),
    (7, date(2027, 3, 31), 2027, 3),
    (7, date(2027, 4, 1), 2027, 4),
    (7, date(2027, 6, 30), 2027, 4),
    (7, date(2027, 7, 1), 2028, 1),
    # October: FY2027 = 2026-10-01 .. 2027-09-30
    (10, date(2026, 9, 30), 2026, 4),
    (10, date(2026, 10, 1), 2027, 1),
    (10, date(2026, 12, 31), 2027, 1),
    (10, date(2027, 1, 1), 2027, 2),
    (10, date(2027, 3, 31), 2027, 2),
    (10, date(2027, 4, 1), 2027, 3),
    (10, date(2027, 6, 30), 2027, 3),
    (10, date(2027, 7, 1), 2027, 4),
    (10, date(2027, 9, 30), 2027, 4),
    (10, date(2027, 10, 1), 2028, 1),
]


@pytest.mark.parametrize(("start_month", "day", "year", "quarter"), BOUNDARIES)
def test_fiscal_year_and_quarter_at_every_boundary(start_month, day, year, quarter):
    assert fiscal_year(day, start_month) == year
    assert fiscal_quarter(day, start_month) == FiscalQuarter(year, quarter)


@pytest.mark.parametrize(
    ("start_month", "year", "quarter"), [(1, 2028, 1), (4, 2028, 4), (7, 2028, 3), (10, 2028, 2)]
)
def test_leap_day(start_month, year, quarter):
    leap = date(2028, 2, 29)
    q = fiscal_quarter(leap, start_month)
    assert q == FiscalQuarter(year, quarter)
    start, end = q.date_range(start_month)
    assert start <= leap <= end
    assert q.contains(leap, start_month)


def test_quarter_containing_leap_day_has_91_days_and_its_year_366():
    # January start: FY2028 Q1 = Jan + Feb (29) + Mar = 91 days; FY2028 runs 366 days.
    assert days_in_quarter(FiscalQuarter(2028, 1), 1) == 91
    assert days_in_quarter(FiscalQuarter(2027, 1), 1) == 90
    first, last = fiscal_year_range(2028, 1)
    assert (last - first).days + 1 == 366
    # July start: FY2028 (2027-07-01..2028-06-30) holds the leap day; its Q3 ends on 2028-03-31.
    assert FiscalQuarter(2028, 3).date_range(7) == (date(2028, 1, 1), date(2028, 3, 31))
    assert FiscalQuarter(2028, 3).end_date(10) == date(2028, 6, 30)
    assert FiscalQuarter(2028, 2).date_range(10) == (date(2028, 1, 1), date(2028, 3, 31))


@pytest.mark.parametrize(
    ("start_month", "q", "first", "last"),
    [
        (1, FiscalQuarter(2026, 1), date(2026, 1, 1), date(2026, 3, 31)),
        (1, FiscalQuarter(2026, 4), date(2026, 10, 1), date(2026, 12, 31)),
        (4, FiscalQuarter(2027, 1), date(2026, 4, 1), date(2026, 6, 30)),
        (4, FiscalQuarter(2027, 4), date(2027, 1, 1), date(2027, 3, 31)),
        (7, FiscalQuarter(2027, 1), date(2026, 7, 1), date(2026, 9, 30)),
        (7, FiscalQuarter(2027, 2), date(2026, 10, 1), date(2026, 12, 31)),
        (7, FiscalQuarter(2027, 3), date(2027, 1, 1), date(2027, 3, 31)),
        (7, FiscalQuarter(2027, 4), date(2027, 4, 1), date(2027, 6, 30)),
        (10, FiscalQuarter(2027, 1), date(2026, 10, 1), date(2026, 12, 31)),
        (10, FiscalQuarter(2027, 4), date(2027, 7, 1), date(2027, 9, 30)),
    ],
)
def test_quarter_date_range(start_month, q, first, last):
    assert q.date_range(start_month) == (first, last)
    # the range's own days fall back into the quarter
    assert fiscal_quarter(first, start_month) == q
    assert fiscal_quarter(last, start_month) == q


@pytest.mark.parametrize(
    ("start_month", "first", "last"),
    [
        (1, date(2027, 1, 1), date(2027, 12, 31)),
        (4, date(2026, 4, 1), date(2027, 3, 31)),
        (7, date(2026, 7, 1), date(2027, 6, 30)),
        (10, date(2026, 10, 1), date(2027, 9, 30)),
    ],
)
def test_fiscal_year_range(start_month, first, last):
    assert fiscal_year_range(2027, start_month) == (first, last)


def test_every_day_of_four_years_lies_in_the_range_of_its_quarter():
    day = date(2025, 1, 1)
    while day < date(2029, 1, 1):
        for start_month in (1, 2, 4, 7, 10, 12):
            q = fiscal_quarter(day, start_month)
            start, end = q.date_range(start_month)
            assert start <= day <= end
        day = date.fromordinal(day.toordinal() + 1)


def test_labels_keys_and_parsing():
    q = FiscalQuarter(2027, 2)
    assert q.label == "FY2027 Q2" == str(q)
    assert q.key == 20272
    assert FiscalQuarter.from_key(20272) == q
    for text in ("FY2027 Q2", "fy2027q2", "2027-Q2", "2027 Q2", "20272", 20272):
        assert parse_quarter(text) == q
    for bad in ("FY2027 Q5", "2027", "soon", "20275", ""):
        with pytest.raises(ValueError):
            parse_quarter(bad)
    with pytest.raises(ValueError):
        FiscalQuarter(2027, 0)


def test_keys_sort_like_quarters():
    quarters = [
        FiscalQuarter(2027, 4),
        FiscalQuarter(2026, 1),
        FiscalQuarter(2027, 1),
        FiscalQuarter(2028, 1),
    ]
    assert sorted(quarters) == sorted(quarters, key=lambda q: q.key)


def test_quarter_arithmetic():
    q = FiscalQuarter(2027, 4)
    assert q.next() == FiscalQuarter(2028, 1)
    assert q + 1 == FiscalQuarter(2028, 1)
    assert FiscalQuarter(2027, 1).previous() == FiscalQuarter(2026, 4)
    assert q.add(5) == FiscalQuarter(2029, 1)
    assert q.add(-8) == FiscalQuarter(2025, 4)
    assert q - 3 == FiscalQuarter(2027, 1)
    assert FiscalQuarter(2029, 1) - q == 5


def test_quarter_range_and_window():
    assert quarter_range(FiscalQuarter(2026, 3), FiscalQuarter(2027, 2)) == [
        FiscalQuarter(2026, 3),
        FiscalQuarter(2026, 4),
        FiscalQuarter(2027, 1),
        FiscalQuarter(2027, 2),
    ]
    assert quarter_range(FiscalQuarter(2027, 2), FiscalQuarter(2027, 1)) == []
    # July start, 2026-08-15 is FY2027 Q1: the window is the last 2 and the next 8 (current first).
    window = quarter_window(date(2026, 8, 15), 7)
    assert len(window) == 10
    assert window[0] == FiscalQuarter(2026, 3)
    assert window[2] == FiscalQuarter(2027, 1)
    assert window[-1] == FiscalQuarter(2028, 4)


def test_bad_start_month_is_refused():
    with pytest.raises(ValueError):
        fiscal_quarter(date(2026, 1, 1), 13)
    with pytest.raises(ValueError):
        FiscalQuarter(2027, 1).start_date(0)
