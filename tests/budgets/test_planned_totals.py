"""Plan totals summed by the database — the client list's "Planned this FY" (`planned_totals`) and
the overview's and dashboard's figures (lines grouped by their terms, `grouped_terms`) — must agree
to the cent with phasing every line in Python, for every recurrence and span."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from budgets import actual_services, phasing, selectors, services
from budgets.models import BudgetLine
from vendors.renewals import add_months

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


def _add_lines(budget, owner_a):
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


@pytest.mark.django_db
def test_the_databases_total_is_the_phased_plans_total(budget, owner_a, july, client_a2):
    _add_lines(budget, owner_a)
    practice = july.practice
    lines = list(BudgetLine.objects.filter(budget=budget))
    expected = sum((phasing.line_total(line) for line in lines), D("0.00"))
    months = phasing.sum_months(phasing.line_months(line) for line in lines)
    book = selectors.book_panel_figures(practice=practice, clients=[july, client_a2], today=TODAY)
    summed = selectors.planned_totals(practice=practice, clients=[july, client_a2], today=TODAY)
    panel = selectors.panel_figures(client=july, today=TODAY)

    assert summed == {july.pk: expected}  # A2 has no budget: left out
    assert book[july.pk].planned_total == panel.planned_total == expected
    assert panel.planned_ytd == sum(months[: panel.elapsed], D("0.00")) and panel.elapsed == 5
    assert isinstance(summed[july.pk], Decimal) and summed[july.pk] > D("1234.56") + D("999.99")


@pytest.mark.django_db
def test_a_budget_without_lines_plans_zero_and_no_client_asks_nothing(july, owner_a):
    services.budget_create(client=july, actor=owner_a, fiscal_year=2027, build=False)
    assert selectors.planned_totals(practice=july.practice, clients=[july], today=TODAY) == {
        july.pk: D("0.00")
    }
    assert selectors.planned_totals(practice=july.practice, clients=[], today=TODAY) == {}


@pytest.mark.django_db
@pytest.mark.parametrize("months_on", [0, 1, 4, 7, 10, 11])
def test_the_books_year_to_date_is_the_phased_plans_for_each_fiscal_calendar(
    months_on, budget, owner_a, july, client_a2
):
    """The dashboard's book figures sum each budget's year to date in the database, each client in
    its own fiscal year (July and January starts here, so two different numbers of months elapsed)."""
    today = add_months(date(2026, 7, 20), months_on)  # in FY2027 of the July year
    client_a2.fiscal_year_start_month = 1
    client_a2.save()
    other = services.budget_create(client=client_a2, actor=owner_a, fiscal_year=today.year, build=False)
    _add_lines(budget, owner_a)
    _add_lines(other, owner_a)
    book = selectors.book_panel_figures(practice=july.practice, clients=[july, client_a2], today=today)
    for client, its_budget in ((july, budget), (client_a2, other)):
        lines = list(BudgetLine.objects.filter(budget=its_budget))
        months = phasing.sum_months(phasing.line_months(line) for line in lines)
        elapsed = phasing.months_elapsed(today, book[client.pk].year, client.fiscal_year_start_month)
        figures = book[client.pk]
        assert figures.budget == its_budget and figures.elapsed == elapsed
        assert figures.planned_total == sum(months, D("0.00"))
        assert figures.planned_ytd == sum(months[:elapsed], D("0.00")), (client, elapsed)
    assert book[july.pk].elapsed != book[client_a2.pk].elapsed or months_on == 6


@pytest.mark.django_db
@pytest.mark.parametrize("months_on", [0, 3, 6, 11])
def test_the_books_actual_year_to_date_is_the_overviews_for_each_fiscal_calendar(
    months_on, july, client_a2, owner_a
):
    """The dashboard sums each client's spend from its own fiscal year's start through the end of the
    current month (later this month counts, next month does not): the overview panel's figure."""
    today = add_months(date(2026, 7, 20), months_on)
    client_a2.fiscal_year_start_month = 1
    client_a2.save()
    for n, client in enumerate((july, client_a2)):
        fy_start = date(
            today.year if client.fiscal_year_start_month == 1 else 2026, client.fiscal_year_start_month, 1
        )
        if fy_start > today:
            fy_start = date(fy_start.year - 1, fy_start.month, 1)
        month_end = add_months(date(today.year, today.month, 1), 1) - timedelta(days=1)
        for day, amount in (
            (fy_start - timedelta(days=1), "1000.00"),  # last fiscal year: out
            (fy_start, "10.00"),
            (today, "20.00"),
            (month_end, "40.00"),  # later this month: in
            (month_end + timedelta(days=1), "5000.00"),  # next month: out
        ):
            actual_services.actual_create(
                client=client, actor=owner_a, date=day, amount=D(amount) + n, category="other"
            )
    book = selectors.book_panel_figures(practice=july.practice, clients=[july, client_a2], today=today)
    for n, client in enumerate((july, client_a2)):
        panel = selectors.panel_figures(client=client, today=today)
        expected = D("70.00") + 3 * n
        assert book[client.pk].actual_ytd == panel.actual_ytd == expected, (client, today)
