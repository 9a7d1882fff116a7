"""Reads of actual spend: a client's list (filtered, sorted), a fiscal year's for the XLSX export,
the practice's for the API, and the budget lines a payment may be marked as paying. The figures built
from actuals (budget vs actual, the overview panel, the dashboard's book) are in
`budgets.selectors`."""

from datetime import date

from django.db.models import Q, QuerySet

from clients.models import Client
from vcio.fiscal import fiscal_year_range
from vcio.listing import apply_sort

from .models import Actual, BudgetLine

ACTUAL_SORTS = {
    "date": "date",
    "amount": "amount",
    "category": "category",
    "vendor": "vendor__name",
    "description": "description",
}


ACTUAL_DEFAULT_SORT = "-date,-created_at,pk"


def actual_list(
    *,
    client: Client,
    category: str = "",
    vendor=None,
    date_from: date | None = None,
    date_to: date | None = None,
    q: str = "",
    sort: str = "",
) -> tuple[QuerySet[Actual], str]:
    qs = Actual.objects.for_client(client).select_related("vendor", "budget_line")
    if category:
        qs = qs.filter(category=category)
    if vendor is not None:
        qs = qs.filter(vendor=vendor)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if q:
        qs = qs.filter(Q(description__icontains=q) | Q(vendor__name__icontains=q))
    return apply_sort(qs, sort, ACTUAL_SORTS, default=ACTUAL_DEFAULT_SORT)


def actuals_in_year(*, client: Client, fiscal_year: int) -> QuerySet[Actual]:
    """The client's actual spend dated in a fiscal year, oldest first (the XLSX export)."""
    first, last = fiscal_year_range(fiscal_year, client.fiscal_year_start_month)
    return (
        Actual.objects.for_client(client)
        .filter(date__gte=first, date__lte=last)
        .select_related("vendor", "budget_line")
        .order_by("date", "created_at", "pk")
    )


def actuals_of_practice(*, practice) -> QuerySet[Actual]:
    """Every actual of the practice, joined for a row (the API's list); the client's join names the
    practice, so the planner reads the practice's clients only."""
    return (
        Actual.objects.for_practice(practice)
        .filter(client__practice_id=getattr(practice, "pk", practice))
        .select_related("client", "vendor", "budget_line")
    )


def line_choices(*, client: Client, fiscal_year: int | None = None) -> QuerySet[BudgetLine]:
    """Lines an actual may pay: of the client's budgets (never a scenario's), newest year first."""
    qs = (
        BudgetLine.objects.for_practice(client.practice_id)
        .filter(
            budget__client_id=client.pk,
            budget__scenario_of__isnull=True,
            budget__practice_id=client.practice_id,
        )
        .select_related("budget")
        .order_by("-budget__fiscal_year", "category", "name", "pk")
    )
    if fiscal_year is not None:
        qs = qs.filter(budget__fiscal_year=fiscal_year)
    return qs
