"""Planned-cost rollups (`roadmaps.selectors.initiative_cost_rollups`), the figures budgets and QBR
will use: one-time costs in the start quarter; recurring monthly costs from the start quarter onward,
per quarter as a run rate and per fiscal year as the months of the year they run. All Decimal."""

from decimal import Decimal

import pytest

from roadmaps import selectors
from tests.factories import InitiativeFactory
from vcio.fiscal import FiscalQuarter

D = Decimal


@pytest.fixture
def july_client(client_a1):
    client_a1.fiscal_year_start_month = 7  # FY2027 = 2026-07-01 .. 2027-06-30; FY2027 Q4 = Apr-Jun 2027
    client_a1.save()
    return client_a1


def initiative(client, start, one_time="0", monthly="0", status="approved", end=None):
    return InitiativeFactory(
        client=client,
        status=status,
        target_start=start,
        target_end=end or start,
        one_time_cost=D(one_time),
        recurring_monthly_cost=D(monthly),
    )


def by_quarter(rollups):
    return {r.quarter.label: r for r in rollups.quarters}


def by_year(rollups):
    return {r.year: r for r in rollups.years}


def test_a_recurring_cost_runs_on_across_the_fiscal_year_boundary(july_client):
    # given 100.00/month starting in FY2027 Q4 (April 2027, the last quarter of the July fiscal year)
    initiative(july_client, 20274, monthly="100.00", end=20282)

    # when
    rollups = selectors.initiative_cost_rollups(
        client=july_client, first=FiscalQuarter(2027, 3), last=FiscalQuarter(2028, 2)
    )

    # then: three months of FY2027, all twelve of FY2028 — not 12 months in FY2027 and 0 after
    years = by_year(rollups)
    assert years[2027].recurring == D("300.00")
    assert years[2028].recurring == D("1200.00")
    quarters = by_quarter(rollups)
    assert [(q, r.run_rate, r.recurring) for q, r in quarters.items()] == [
        ("FY2027 Q3", D("0.00"), D("0.00")),
        ("FY2027 Q4", D("100.00"), D("300.00")),
        ("FY2028 Q1", D("100.00"), D("300.00")),
        ("FY2028 Q2", D("100.00"), D("300.00")),
    ]
    assert years[2027].run_rate == D("100.00") and years[2028].run_rate == D("100.00")


def test_rollups_by_quarter_and_year_hand_computed(july_client, client_a2):
    # given, in a July fiscal year:
    initiative(july_client, 20262, one_time="999.00", monthly="50.00", status="done")  # before the window
    initiative(july_client, 20274, one_time="1000.10", monthly="100.00", status="in_progress")
    initiative(july_client, 20282, one_time="0.30", monthly="10.01", status="proposed")
    initiative(july_client, 20274, one_time="5.00", monthly="9999.99", status="rejected")  # never counts
    initiative(july_client, 20291, one_time="7.00", monthly="5000.00", status="approved")  # after FY2028
    initiative(client_a2, 20274, one_time="777.00", monthly="777.00")  # another client

    # when
    rollups = selectors.initiative_cost_rollups(
        client=july_client, first=FiscalQuarter(2027, 3), last=FiscalQuarter(2028, 2)
    )

    # then, per quarter: (starting, one-time, run rate / month, recurring in the quarter)
    quarters = by_quarter(rollups)
    assert [(q, r.count, r.one_time, r.run_rate, r.recurring) for q, r in quarters.items()] == [
        ("FY2027 Q3", 0, D("0.00"), D("50.00"), D("150.00")),
        ("FY2027 Q4", 1, D("1000.10"), D("150.00"), D("450.00")),
        ("FY2028 Q1", 0, D("0.00"), D("150.00"), D("450.00")),
        ("FY2028 Q2", 1, D("0.30"), D("160.01"), D("480.03")),
    ]
    # per fiscal year: FY2027 = 50 x 12 + 100 x 3; FY2028 = 50 x 12 + 100 x 12 + 10.01 x 9
    years = by_year(rollups)
    assert list(years) == [2027, 2028]
    assert (years[2027].count, years[2027].one_time, years[2027].recurring) == (1, D("1000.10"), D("900.00"))
    assert (years[2028].count, years[2028].one_time, years[2028].recurring) == (1, D("0.30"), D("1890.09"))
    assert years[2028].run_rate == D("160.01")
    assert years[2028].total == D("1890.39")
    for r in rollups.quarters + rollups.years:
        for value in (r.one_time, r.run_rate, r.recurring, r.total):
            assert type(value) is Decimal
            assert value == value.quantize(D("0.01"))


def test_one_time_costs_equal_the_sum_of_their_initiatives(july_client):
    costs = [
        (20271, "1000.10", "approved"),
        (20271, "2000.20", "proposed"),
        (20272, "0.30", "done"),
        (20274, "400.00", "deferred"),
        (20281, "5555.55", "in_progress"),
        (20272, "9999.99", "rejected"),
    ]
    for key, one_time, status in costs:
        initiative(july_client, key, one_time=one_time, status=status)

    rollups = selectors.initiative_cost_rollups(
        client=july_client, first=FiscalQuarter(2027, 1), last=FiscalQuarter(2028, 4)
    )

    counted = [c for c in costs if c[2] != "rejected"]
    assert sum((r.one_time for r in rollups.quarters), D(0)) == sum(D(c[1]) for c in counted)
    assert by_quarter(rollups)["FY2027 Q1"].one_time == D("3000.30")
    assert by_year(rollups)[2027].one_time == D("3400.60")
    assert by_year(rollups)[2028].one_time == D("5555.55")


def test_rejected_never_count_and_statuses_narrow(july_client):
    initiative(july_client, 20271, one_time="10.00", monthly="1.00", status="approved")
    initiative(july_client, 20271, one_time="20.00", monthly="2.00", status="proposed")
    initiative(july_client, 20271, one_time="40.00", monthly="4.00", status="rejected")
    q = FiscalQuarter(2027, 1)

    default = selectors.initiative_cost_rollups(client=july_client, first=q, last=q).quarters[0]
    every = selectors.initiative_cost_rollups(client=july_client, first=q, last=q, statuses=None).quarters[0]
    approved = selectors.initiative_cost_rollups(
        client=july_client, first=q, last=q, statuses=("approved",)
    ).quarters[0]

    assert (default.one_time, default.run_rate) == (D("30.00"), D("3.00"))
    assert (every.one_time, every.run_rate) == (D("30.00"), D("3.00"))  # rejected still left out
    assert (approved.one_time, approved.run_rate, approved.count) == (D("10.00"), D("1.00"), 1)


def test_a_deferred_initiative_counts_from_its_new_start(july_client):
    initiative(july_client, 20281, one_time="100.00", monthly="10.00", status="deferred")

    rollups = selectors.initiative_cost_rollups(
        client=july_client, first=FiscalQuarter(2027, 1), last=FiscalQuarter(2028, 4)
    )

    assert by_year(rollups)[2027].recurring == D("0.00") and by_year(rollups)[2027].one_time == D("0.00")
    assert by_year(rollups)[2028].recurring == D("120.00") and by_year(rollups)[2028].one_time == D("100.00")


def test_rollups_are_one_query_whatever_the_number_of_initiatives(july_client, django_assert_num_queries):
    for k in range(40):
        initiative(july_client, FiscalQuarter(2026, 1).add(k % 12).key, one_time="1.00", monthly="1.00")

    with django_assert_num_queries(1):
        rollups = selectors.initiative_cost_rollups(
            client=july_client, first=FiscalQuarter(2027, 1), last=FiscalQuarter(2028, 4)
        )

    assert by_year(rollups)[2028].run_rate == D("40.00")


def test_an_empty_window_has_no_rollups(july_client):
    rollups = selectors.initiative_cost_rollups(
        client=july_client, first=FiscalQuarter(2028, 1), last=FiscalQuarter(2027, 4)
    )
    assert rollups.quarters == [] and rollups.years == []


def test_year_costs_per_initiative_are_the_rollups_rule(july_client):
    """`initiative_year_costs` (a budget's lines) and `initiative_cost_rollups` (the timeline, QBR) are
    one rule: per initiative, they add up to the rollup of each year."""
    initiative(july_client, 20262, one_time="999.00", monthly="50.00", status="done")
    initiative(july_client, 20274, one_time="1000.10", monthly="100.00", status="in_progress")
    initiative(july_client, 20282, one_time="0.30", monthly="10.01", status="proposed")
    initiative(july_client, 20274, one_time="5.00", monthly="9999.99", status="rejected")
    initiative(july_client, 20291, one_time="7.00", monthly="5000.00", status="approved")
    rollups = selectors.initiative_cost_rollups(
        client=july_client, first=FiscalQuarter(2026, 1), last=FiscalQuarter(2029, 4)
    )
    for year in by_year(rollups).values():
        costs = selectors.initiative_year_costs(client=july_client, fiscal_year=year.year)
        assert sum((c.one_time for c in costs), D("0")) == year.one_time
        assert sum((c.recurring for c in costs), D("0")) == year.recurring
        assert all(c.initiative.status != "rejected" for c in costs)
    fy2027 = {
        c.initiative.target_start: c
        for c in selectors.initiative_year_costs(client=july_client, fiscal_year=2027)
    }
    assert (fy2027[20274].one_time_month, fy2027[20274].recurring_from, fy2027[20274].recurring) == (
        10,
        10,
        D("300.00"),
    )
    assert (fy2027[20262].one_time, fy2027[20262].recurring_from) == (D("0.00"), 1)
    later = selectors.initiative_year_costs(client=july_client, fiscal_year=2029, started_after=2027)
    assert {c.initiative.target_start for c in later} == {20282, 20291}
