"""Shared helpers of the vendors tests."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.factories import ContractFactory, InteractionFactory, VendorFactory
from vendors import renewals
from vendors.selectors import practice_today

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args, practice="alpha"):
    return reverse(f"vendors:{name}", args=[practice, *args])


def due_in(practice, days, *, notice=30, **kw):
    """Terms of a contract whose next renewal is `days` days from the practice's today."""
    renews = practice_today(practice) + timedelta(days=days)
    return {"start_date": renewals.add_months(renews, -12), "term_months": 12, "notice_days": notice, **kw}


@pytest.fixture
def world(practice_a, client_a1, client_a2, canary_client_b):
    """A's vendor with a contract of A1 (inside its notice window) and of A2, and B's canaries."""
    vendor = VendorFactory(practice=practice_a, name="Metro Fiber")
    b_vendor = VendorFactory(practice=canary_client_b.practice, name="CANARY-Bravo-Vendor")
    return {
        "vendor": vendor,
        "a1": ContractFactory(client=client_a1, vendor=vendor, name="Alpha fiber", **due_in(practice_a, 40)),
        "a2": ContractFactory(
            client=client_a2, vendor=vendor, name="A2-only contract", **due_in(practice_a, 200)
        ),
        "a1_log": InteractionFactory(vendor=vendor, client=client_a1, summary="Alpha outage call"),
        "b_vendor": b_vendor,
        "b_contract": ContractFactory(
            client=canary_client_b,
            vendor=b_vendor,
            name="CANARY-Bravo-Contract",
            **due_in(canary_client_b.practice, 35),
        ),
        "b_log": InteractionFactory(vendor=b_vendor, summary="CANARY-Bravo-Log"),
    }
