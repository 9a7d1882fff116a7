"""The monthly phasing of a line (`budgets.phasing`, pure): every recurrence, fiscal years that do not
start in January, and the totals — a year's total is the sum of its months is the sum of its lines —
in Decimal, as properties (hypothesis) and by hand."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from budgets import phasing
from budgets.phasing import Terms
from vcio.fiscal import fiscal_year, fiscal_year_range
from vendors import renewals

D = Decimal
recurrences = st.sampled_from(phasing.RECURRENCES)
months = st.one_of(st.none(), st.integers(1, 12))
amounts = st.decimals(min_value=0, max_value=D("999999.99"), places=2, allow_nan=False, allow_infinity=False)
start_months = st.integers(1, 12)
years = st.integers(2000, 2100)
terms = st.builds(
    Terms,
    recurrence=recurrences,
    amount=amounts,
    first_month=st.integers(1, 12),
    months=months,
    dropped=st.booleans(),
)


@given(line=terms)
def test_a_line_costs_its_amount_in_each_of_its_occurrences_and_nowhere_else(line):
    phased = phasing.line_months(line)
    assert len(phased) == 12 and all(isinstance(v, Decimal) for v in phased)
    if line.dropped:
        assert phased == [D("0.00")] * 12
        return
    expected = phasing.occurrences(line.recurrence, line.first_month, line.months)
    assert [i + 1 for i, v in enumerate(phased) if v] == (expected if line.amount else [])
    assert all(v == line.amount for v in phased if v)
    assert phasing.line_total(line) == line.amount * (len(expected) if not line.dropped else 0)
    # nothing before the first month, nothing after the span
    assert not any(phased[: line.first_month - 1])
    assert not any(phased[phasing.span_end(line.first_month, line.months) :])


@given(lines=st.lists(terms, max_size=30))
def test_the_year_total_is_the_sum_of_its_months_and_the_sum_of_its_lines(lines):
    by_month = phasing.sum_months(phasing.line_months(line) for line in lines)
    year_total = sum(by_month, D("0.00"))
    assert year_total == sum((phasing.line_total(line) for line in lines), D("0.00"))
    assert all(isinstance(v, Decimal) for v in by_month)
    assert year_total == year_total.quantize(D("0.01"))


@given(start_month=start_months, year=years)
def test_fiscal_months_follow_the_clients_calendar(start_month, year):
    starts = phasing.month_starts(year, start_month)
    first, last = fiscal_year_range(year, start_month)
    assert starts[0] == first and starts[-1] == date(last.year, last.month, 1)
    for i, day in enumerate(starts, start=1):
        assert fiscal_year(day, start_month) == year
        assert phasing.fiscal_month(day, start_month) == i
        assert phasing.fiscal_month(day + timedelta(days=20), start_month) == i
    assert phasing.month_labels(start_month)[0] == f"{first:%b}"
    assert [f"{d:%b}" for d in starts] == phasing.month_labels(start_month)


def test_every_recurrence_by_hand_in_a_july_fiscal_year():
    # FY2027 with a July start: month 1 = July 2026, month 12 = June 2027
    assert phasing.month_labels(7) == [
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
    ]
    assert phasing.month_starts(2027, 7)[6] == date(2027, 1, 1)
    one_time = phasing.line_months(Terms("one_time", D("5000.00"), first_month=4))  # October
    assert one_time[3] == D("5000.00") and sum(one_time) == D("5000.00")
    monthly = phasing.line_months(Terms("monthly", D("100.10"), first_month=10))  # April..June
    assert monthly == [D("0.00")] * 9 + [D("100.10")] * 3
    limited = phasing.line_months(Terms("monthly", D("50.00"), first_month=11, months=6))  # clipped at June
    assert limited == [D("0.00")] * 10 + [D("50.00")] * 2
    quarterly = phasing.line_months(Terms("quarterly", D("600.00"), first_month=2))  # Aug, Nov, Feb, May
    assert [i + 1 for i, v in enumerate(quarterly) if v] == [2, 5, 8, 11]
    annual = phasing.line_months(Terms("annual", D("1980.00"), first_month=12))
    assert annual[11] == D("1980.00") and sum(annual) == D("1980.00")
    assert phasing.annualized(Terms("quarterly", D("600.00"), first_month=2)) == D("2400.00")
    assert phasing.annualized(Terms("monthly", D("50.00"), first_month=1, months=6)) == D("0.00")  # it ends


def test_the_year_to_date_window_uses_the_clients_fiscal_year():
    assert phasing.months_elapsed(date(2026, 11, 26), 2027, 7) == 5  # Jul..Nov begun
    assert phasing.months_elapsed(date(2026, 6, 30), 2027, 7) == 0  # FY2027 not begun
    assert phasing.months_elapsed(date(2027, 7, 1), 2027, 7) == 12  # over
    assert phasing.months_elapsed(date(2026, 11, 26), 2026, 1) == 11


# --- a contract's billing becomes one line, exactly ---------------------------------------------------

frequencies = st.sampled_from(["monthly", "quarterly", "annual", "one_time"])


@st.composite
def contracts(draw):
    start = draw(st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31)))
    frequency = draw(frequencies)
    term = draw(st.one_of(st.none(), st.integers(1, 48)))
    auto = draw(st.booleans()) if term or frequency != "one_time" else False
    status = draw(st.sampled_from(["active", "active", "cancelled", "expired"]))
    ended = draw(st.dates(min_value=start, max_value=date(2032, 12, 31))) if status != "active" else None
    return renewals.Terms(
        start_date=start,
        term_months=term,
        auto_renew=auto,
        renewal_term_months=draw(st.one_of(st.none(), st.integers(1, 24))),
        billing_frequency=frequency,
        cost=draw(st.decimals(min_value=0, max_value=D("9999.99"), places=2, allow_nan=False)),
        quantity=draw(st.integers(1, 50)),
        status=status,
        ended_on=ended,
    )


@settings(max_examples=300, deadline=None)
@given(contract=contracts(), start_month=start_months, year=st.integers(2019, 2031))
def test_a_contracts_billing_in_any_fiscal_year_is_one_line_that_phases_exactly_like_it(
    contract, start_month, year
):
    first, last = fiscal_year_range(year, start_month)
    billed = renewals.monthly_billing(contract, first, last)
    charges = [billed[day] for day in sorted(billed)]
    assert sorted(billed) == phasing.month_starts(year, start_month)  # in the client's fiscal order
    recurrence = {"one_time": "one_time"}.get(contract.billing_frequency, contract.billing_frequency)
    end = renewals.service_end(contract)
    line = phasing.terms_from_charges(
        charges, recurrence, runs_on=end is None or end > last + timedelta(days=1)
    )
    if not any(charges):
        assert line is None
        return
    assert phasing.line_months(line) == charges
    assert phasing.line_total(line) == sum(charges, D("0.00"))


@given(
    line=st.builds(
        Terms, recurrence=recurrences, amount=amounts, first_month=st.integers(1, 12), months=months
    ),
    start_month=st.integers(2, 12),
    year=years,
)
def test_in_a_non_january_year_each_occurrence_falls_in_its_calendar_month(line, start_month, year):
    """Fiscal month m of a year starting in `start_month` is calendar month start_month + m - 1 (next
    calendar year after December); the year's spend by calendar month adds up to the line's total."""
    starts = phasing.month_starts(year, start_month)
    by_calendar = {}
    for i, value in enumerate(phasing.line_months(line)):
        by_calendar[(starts[i].year, starts[i].month)] = value
        assert starts[i].month == (start_month - 1 + i) % 12 + 1
        assert starts[i].year == (year - 1 if start_month - 1 + i < 12 else year)
    assert sum(by_calendar.values(), D("0.00")) == phasing.line_total(line)
    first = starts[line.first_month - 1]
    assert by_calendar[(first.year, first.month)] == line.amount
