"""Shared world of the budgets tests: practice A's client A1 with a July fiscal year (FY2027 =
2026-07-01 .. 2027-06-30), a roadmap and contracts to build from, and practice B's canaries."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from budgets import services
from tests.factories import ContractFactory, InitiativeFactory, VendorFactory

D = Decimal
HTMX = {"HTTP_HX_REQUEST": "true"}
FY = 2027


def url(name, *args, practice="alpha"):
    return reverse(f"budgets:{name}", args=[practice, *args])


def initiative(client, start, *, one_time="0", monthly="0", status="approved", category="security", **kw):
    return InitiativeFactory(
        client=client,
        status=status,
        target_start=start,
        target_end=kw.pop("end", start),
        one_time_cost=D(one_time),
        recurring_monthly_cost=D(monthly),
        category=category,
        **kw,
    )


@pytest.fixture
def july(client_a1):
    client_a1.fiscal_year_start_month = 7
    client_a1.save()
    return client_a1


@pytest.fixture
def vendor_a(practice_a):
    return VendorFactory(practice=practice_a, name="Contoso Cloud", category="cloud")


@pytest.fixture
def roadmap(july, vendor_a):
    """What A1's FY2027 budget is built from: three counted initiatives, two that are not, a monthly
    and a quarterly contract."""
    return {
        "firewall": initiative(july, 20272, one_time="12000.00", monthly="150.00", category="network"),
        "mfa": initiative(july, 20273, one_time="800.00", status="in_progress"),
        "backup": initiative(july, 20264, monthly="90.00", status="done", category="data_backup"),
        "idea": initiative(july, 20272, one_time="5000.00", status="proposed"),
        "nope": initiative(july, 20272, one_time="7000.00", status="rejected"),
        "m365": ContractFactory(
            client=july,
            vendor=vendor_a,
            name="Microsoft 365",
            start_date=date(2026, 3, 15),
            term_months=12,
            billing_frequency="monthly",
            cost=D("22.00"),
            quantity=40,
        ),
        "edr": ContractFactory(
            client=july,
            vendor=vendor_a,
            name="EDR",
            start_date=date(2026, 8, 1),
            term_months=12,
            billing_frequency="quarterly",
            cost=D("600.00"),
        ),
    }


@pytest.fixture
def budget(july, roadmap, owner_a):
    return services.budget_create(client=july, actor=owner_a, fiscal_year=FY, build=True)
