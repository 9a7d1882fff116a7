"""The client list's "Planned this FY" column is summed by the database (`planned_totals`): it must
agree to the cent with the plan the budget page phases in Python, for every recurrence and span."""

from datetime import date
from decimal import Decimal

import pytest

from budgets import selectors, services

from .conftest import D

TODAY = date(2026, 11, 26)  # FY2027 of A1's July fiscal year

# recurrence, amount, first month, months (None: to the year's end), dropped
LINES = [
    ("one_time", "1234.56", 5, None, False),
    ("annual", "999.99", 12, None, False),
    ("monthly", "150.00", 1, None, False),
    ("monthly", "75.25", 4, 3, False),
    ("monthly", "10.00", 11, 12, False),  # runs past month 12: two months counted
    ("quarterly", "600.00", 2, None, False),  # months 2, 5, 8, 11
    ("quarterly", "333.33", 3, 7, False),  # months 3, 6, 9
    ("quarterly", "50.00", 12, 1, False),
    ("monthly", "5000.00", 1, None, True),  # dropped: nothing
]


@pytest.mark.django_db
def test_the_databases_total_is_the_phased_plans_total(budget, owner_a, july, client_a2):
    for recurrence, amount, first, months, dropped in LINES:
        line = services.line_create(
            budget=budget,
            actor=owner_a,
            name=f"{recurrence} {amount}",
            category="other",
            expense_type="opex",
            recurrence=recurrence,
            amount=D(amount),
            first_month=first,
            months=months,
        )
        if dropped:
            services.line_drop(line=line, actor=owner_a)
    practice = july.practice
    phased = selectors.book_panel_figures(practice=practice, clients=[july, client_a2], today=TODAY)
    summed = selectors.planned_totals(practice=practice, clients=[july, client_a2], today=TODAY)

    assert summed == {july.pk: phased[july.pk].planned_total}  # A2 has no budget: left out
    assert isinstance(summed[july.pk], Decimal) and summed[july.pk] > D("1234.56") + D("999.99")


@pytest.mark.django_db
def test_a_budget_without_lines_plans_zero_and_no_client_asks_nothing(july, owner_a):
    services.budget_create(client=july, actor=owner_a, fiscal_year=2027, build=False)
    assert selectors.planned_totals(practice=july.practice, clients=[july], today=TODAY) == {july.pk: D("0.00")}
    assert selectors.planned_totals(practice=july.practice, clients=[], today=TODAY) == {}
