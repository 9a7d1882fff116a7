"""The renewal and billing rules (vendors.renewals): pure functions, no database."""

from datetime import date
from decimal import Decimal

import pytest

from vendors import renewals
from vendors.renewals import Terms, add_months, renewal


def terms(**kw) -> Terms:
    base = {
        "start_date": date(2025, 1, 1),
        "auto_renew": True,
        "notice_days": 30,
        "billing_frequency": "monthly",
    }
    base.update(kw)
    return Terms(**base)


# --- month arithmetic -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 1, 31), 2, date(2026, 3, 31)),  # from the anchor, not 28 Feb + 1
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 5, 10), -5, date(2025, 12, 10)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_short_month(day, months, expected):
    assert add_months(day, months) == expected


def test_add_months_at_month_end_sticks_to_the_month_end():
    assert add_months(date(2026, 2, 28), 1, month_end=True) == date(2026, 3, 31)
    assert add_months(date(2026, 4, 30), 10, month_end=True) == date(2027, 2, 28)


# --- term ends and rolling renewals ----------------------------------------------------------------------


def test_31_january_plus_one_month_renews_end_of_february_then_end_of_march():
    t = terms(start_date=date(2026, 1, 31), term_months=1, renewal_term_months=1)
    assert renewals.boundary(t, 1) == date(2026, 2, 28)
    assert renewals.boundary(t, 2) == date(2026, 3, 31)  # not 28 March: months count from the start
    assert renewals.boundary(t, 3) == date(2026, 4, 30)
    assert renewal(t, date(2026, 3, 1)).next_renewal == date(2026, 3, 31)


def test_an_end_date_on_the_last_of_the_month_renews_on_the_last_of_the_month():
    t = terms(start_date=date(2025, 3, 1), end_date=date(2026, 2, 28), renewal_term_months=1)
    assert [renewals.boundary(t, k) for k in (1, 2, 3)] == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]


def test_29_february_plus_twelve_months_across_leap_years():
    t = terms(start_date=date(2024, 2, 29), term_months=12, billing_frequency="annual")
    assert [renewals.boundary(t, k) for k in (1, 2, 3, 4)] == [
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]
    info = renewal(t, date(2027, 3, 1))
    assert info.next_renewal == date(2028, 2, 29)
    assert info.notice_deadline == date(2028, 1, 30)  # 30 days before, in a leap year


def test_auto_renew_rolls_past_today_term_by_term():
    t = terms(start_date=date(2019, 6, 15), term_months=36, renewal_term_months=12, notice_days=60)
    # first term ends 2022-06-15, then every June 15th
    info = renewal(t, date(2026, 11, 26))
    assert info.next_renewal == date(2027, 6, 15)
    assert info.notice_deadline == date(2027, 4, 16)
    assert info.state == "active"
    # on the renewal day itself, that day is the renewal
    assert renewal(t, date(2027, 6, 15)).next_renewal == date(2027, 6, 15)
    assert renewal(t, date(2027, 6, 16)).next_renewal == date(2028, 6, 15)


def test_a_decades_old_monthly_contract_rolls_without_walking_every_month():
    t = terms(start_date=date(1990, 1, 31), term_months=1)
    assert renewal(t, date(2026, 11, 26)).next_renewal == date(2026, 11, 30)
    assert renewal(t, date(2026, 12, 1)).next_renewal == date(2026, 12, 31)


def test_renewal_term_defaults_to_the_term_then_the_billing_period_then_a_year():
    assert renewals.renewal_term(terms(term_months=24)) == 24
    assert renewals.renewal_term(terms(term_months=24, renewal_term_months=12)) == 12
    assert renewals.renewal_term(terms(billing_frequency="quarterly")) == 3
    assert renewals.renewal_term(terms(billing_frequency="one_time")) == 12


def test_no_end_date_and_no_term_is_open_ended():
    t = terms(auto_renew=False)
    info = renewal(t, date(2026, 11, 26))
    assert info.state == "active"
    assert (info.next_renewal, info.expires_on, info.notice_deadline) == (None, None, None)
    assert not info.warns
    assert renewals.events(t, date(2026, 11, 26), date(2026, 1, 1), date(2030, 1, 1)) == []


def test_open_ended_auto_renewing_annual_contract_renews_on_its_anniversary():
    t = terms(start_date=date(2023, 9, 1), billing_frequency="annual", notice_days=45)
    info = renewal(t, date(2026, 11, 26))
    assert info.next_renewal == date(2027, 9, 1)
    assert info.notice_deadline == date(2027, 7, 18)
    assert not info.rolling


def test_month_to_month_is_rolling_and_never_warns():
    t = terms(start_date=date(2025, 5, 10), term_months=1, renewal_term_months=1, notice_days=30)
    info = renewal(t, date(2026, 11, 26))
    assert info.rolling
    assert info.next_renewal == date(2026, 12, 10)
    assert not info.in_notice_window and not info.notice_passed
    assert renewals.events(t, date(2026, 11, 26), date(2026, 11, 1), date(2027, 11, 30)) == []


# --- notice window, expiry, cancelled, expired ------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "window", "passed"),
    [
        (date(2026, 4, 30), False, False),  # deadline 31 days away
        (date(2026, 5, 1), True, False),  # 30 days away: the window opens
        (date(2026, 5, 31), True, False),  # the deadline itself
        (date(2026, 6, 1), False, True),  # too late for this term
        (date(2026, 6, 30), False, True),  # the renewal day: still this term
        (date(2026, 7, 1), False, False),  # next term: deadline 2027-05-31, far away
    ],
)
def test_notice_window_opens_30_days_before_the_deadline(today, window, passed):
    t = terms(start_date=date(2025, 6, 30), term_months=12, notice_days=30)  # renews 30 June
    info = renewal(t, today)
    assert info.in_notice_window is window
    assert info.notice_passed is passed


def test_a_contract_that_does_not_renew_expires_and_warns_before_it_ends():
    t = terms(start_date=date(2024, 3, 1), term_months=36, auto_renew=False, notice_days=90)
    soon = renewal(t, date(2027, 1, 15))
    assert soon.expires_on == date(2027, 3, 1) and soon.next_renewal is None and soon.notice_deadline is None
    assert soon.expires_soon and soon.warns
    assert not renewal(t, date(2026, 12, 1)).expires_soon  # 90 days away
    ended = renewal(t, date(2027, 3, 2))
    assert ended.state == "expired" and ended.expires_on is None and not ended.warns
    assert renewal(t, date(2027, 3, 1)).state == "active"  # its last day


def test_a_cancelled_contract_never_warns_nor_renews_and_runs_until_its_term_ends():
    t = terms(
        start_date=date(2025, 12, 1),
        term_months=12,
        notice_days=30,
        status="cancelled",
        ended_on=date(2026, 10, 20),
    )
    info = renewal(t, date(2026, 11, 10))  # would be inside the notice window if active
    assert info.state == "cancelled"
    assert (info.next_renewal, info.notice_deadline, info.expires_on) == (None, None, None)
    assert not info.in_notice_window and not info.warns
    assert info.ends_on == date(2026, 12, 1)
    assert renewals.events(t, date(2026, 11, 10), date(2026, 1, 1), date(2027, 12, 31)) == []


def test_expired_status_never_warns():
    t = terms(start_date=date(2025, 12, 1), term_months=12, status="expired", ended_on=date(2026, 11, 1))
    info = renewal(t, date(2026, 11, 10))
    assert info.state == "expired" and not info.warns and info.next_renewal is None


def test_events_are_the_notice_deadline_and_the_renewal_within_the_range():
    t = terms(start_date=date(2025, 12, 15), term_months=12, notice_days=60)
    found = renewals.events(t, date(2026, 11, 1), date(2026, 11, 1), date(2027, 10, 31))
    assert [(e.day, e.kind) for e in found] == [
        (date(2026, 12, 15), "renewal")
    ]  # the deadline is before the range
    wide = renewals.events(t, date(2026, 10, 1), date(2026, 10, 1), date(2027, 10, 31))
    assert [(e.day, e.kind) for e in wide] == [
        (date(2026, 10, 16), "notice"),
        (date(2026, 12, 15), "renewal"),
    ]


def test_zero_notice_gives_one_event_on_the_renewal_day():
    t = terms(start_date=date(2025, 12, 15), term_months=12, notice_days=0)
    found = renewals.events(t, date(2026, 12, 1), date(2026, 12, 1), date(2027, 1, 31))
    assert [(e.day, e.kind) for e in found] == [(date(2026, 12, 15), "renewal")]


# --- money -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "cost", "quantity", "annual"),
    [
        ("monthly", "22.00", 40, "10560.00"),
        ("quarterly", "375.00", 1, "1500.00"),
        ("annual", "54.00", 42, "2268.00"),
        ("one_time", "3600.00", 1, "0.00"),
        ("monthly", "0.10", 3, "3.60"),
    ],
)
def test_annual_cost_is_decimal(frequency, cost, quantity, annual):
    value = renewals.annual_cost(terms(billing_frequency=frequency, cost=Decimal(cost), quantity=quantity))
    assert isinstance(value, Decimal) and value == Decimal(annual)


def test_monthly_billing_from_31_january_falls_on_month_ends():
    t = terms(start_date=date(2026, 1, 31), cost=Decimal("10.00"), quantity=2)
    assert renewals.billing_dates(t, date(2026, 1, 1), date(2026, 4, 30)) == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    months = renewals.monthly_billing(t, date(2026, 1, 1), date(2026, 6, 30))
    assert list(months) == [date(2026, m, 1) for m in range(1, 7)]
    assert set(months.values()) == {Decimal("20.00")}


def test_billing_stops_at_the_term_end_when_it_does_not_renew():
    t = terms(
        start_date=date(2026, 3, 1),
        term_months=6,
        auto_renew=False,
        billing_frequency="quarterly",
        cost=Decimal("300"),
    )
    assert renewals.billing_dates(t, date(2026, 1, 1), date(2027, 12, 31)) == [
        date(2026, 3, 1),
        date(2026, 6, 1),
    ]


def test_a_cancelled_auto_renewing_contract_bills_until_the_term_in_force_ends():
    t = terms(
        start_date=date(2025, 7, 1),
        term_months=12,
        billing_frequency="monthly",
        cost=Decimal("100"),
        status="cancelled",
        ended_on=date(2026, 9, 15),
    )
    # the term in force on 15 Sep 2026 ends 1 Jul 2027: billed through June 2027
    dates = renewals.billing_dates(t, date(2027, 1, 1), date(2027, 12, 31))
    assert dates[0] == date(2027, 1, 1) and dates[-1] == date(2027, 6, 1) and len(dates) == 6


def test_an_expired_auto_renewing_contract_stops_at_the_last_term_end_before_it_was_marked():
    t = terms(
        start_date=date(2024, 4, 1),
        term_months=12,
        billing_frequency="annual",
        cost=Decimal("900"),
        status="expired",
        ended_on=date(2026, 5, 20),
    )
    assert renewals.service_end(t) == date(2026, 4, 1)
    assert renewals.billing_dates(t, date(2024, 1, 1), date(2027, 12, 31)) == [
        date(2024, 4, 1),
        date(2025, 4, 1),
    ]


def test_one_time_charge_is_billed_once_on_the_start_date():
    t = terms(
        start_date=date(2026, 8, 12),
        billing_frequency="one_time",
        cost=Decimal("38.00"),
        quantity=120,
        auto_renew=False,
    )
    assert renewals.monthly_billing(t, date(2026, 7, 1), date(2026, 9, 30)) == {
        date(2026, 7, 1): Decimal("0.00"),
        date(2026, 8, 1): Decimal("4560.00"),
        date(2026, 9, 1): Decimal("0.00"),
    }


def test_terms_read_from_a_contract_like_object():
    class Row:
        start_date, end_date, term_months, auto_renew = date(2026, 1, 1), None, 12, True
        renewal_term_months, notice_days, billing_frequency = None, 45, "annual"
        cost, quantity, status, ended_on = Decimal("1200.00"), 1, "active", None

    info = renewal(Row(), date(2026, 11, 1))
    assert info.next_renewal == date(2027, 1, 1) and info.notice_deadline == date(2026, 11, 17)
    assert info.in_notice_window and info.annual_cost == Decimal("1200.00")
