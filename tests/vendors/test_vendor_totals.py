"""A vendor's totals (running contracts, their clients, annualised spend) read two ways: as subqueries
of the list (`vendors_with_totals`, for a list sorted by them and one vendor) and, for a page sorted
otherwise, from one grouped query over the page's rows (`with_vendor_totals`). Both must say the same
on every surface: the directory, its CSV and the API."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.apikey_services import api_key_create
from accounts.demo import seed_practice
from accounts.models import Membership
from tests.factories import VendorFactory
from vendors.directory_selectors import vendors_with_totals, with_directory_figures, with_vendor_totals
from vendors.models import Vendor
from vendors.selectors import practice_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    world, _ = seed_practice("Vendor Totals Practice")
    practice = world.practice
    owner = Membership.objects.for_practice(practice).get(role="owner").user
    VendorFactory(practice=practice, name="Zephyr Fiber (no contracts yet)")
    return practice, owner


def figures(vendors):
    return {v.name: (v.contract_count, v.client_count, v.annual_spend) for v in vendors}


def test_a_pages_totals_are_the_subqueries_totals(demo):
    practice, _ = demo
    today = practice_today(practice)
    annotated = figures(vendors_with_totals(practice=practice, today=today))
    plain = list(Vendor.objects.for_practice(practice))
    read = figures(with_vendor_totals(plain, practice=practice, today=today))
    assert read == annotated
    assert any(count for count, _, _ in read.values()) and any(count == 0 for count, _, _ in read.values())
    assert len({spend for _, _, spend in read.values()}) > 2  # several vendors, several sums


def test_the_api_says_the_same_sorted_by_a_total_or_not(demo, api):
    practice, owner = demo
    _, raw = api_key_create(practice=practice, actor=owner, name="Totals", read_only=True)
    http = api(raw)

    def rows(query):
        body = http.get(f"/api/v1/vendors/?page_size=200{query}").json()["results"]
        return {v["name"]: (v["contract_count"], v["client_count"], v["annual_spend"]) for v in body}

    by_name, by_spend = rows(""), rows("&ordering=-annual_spend")
    assert by_name == by_spend and len(by_name) >= 5
    spends = [
        float(v["annual_spend"])
        for v in http.get("/api/v1/vendors/?ordering=-annual_spend").json()["results"]
    ]
    assert spends == sorted(spends, reverse=True)


def test_the_directorys_csv_says_the_same_sorted_by_a_total_or_not(demo, client):
    practice, owner = demo
    client.force_login(owner)
    url = reverse("vendors:directory", args=[practice.slug])

    def exported(sort):
        response = client.get(url, {"format": "csv", "sort": sort})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return {
            row["Name"]: (row["Active contracts"], row["Annual spend"])
            for row in csv.DictReader(io.StringIO(text))
        }

    assert exported("name") == exported("-spend")
    assert client.get(url, {"sort": "name"}).status_code == 200


def test_every_kind_of_contract_counts_as_the_subqueries_count_it(practice_a, practice_b):
    """The page's statement (`_page_figures_sql`) against the ORM's subqueries, contract by contract:
    running or not on `today` (cancelled, expired, a fixed term that ended, one that ends today, an
    open-ended one), every billing frequency, fractional costs and seats, a client counted once."""
    import datetime

    from tests.factories import ClientFactory, ContractFactory

    today = datetime.date(2026, 6, 15)
    acme, globex = (
        VendorFactory(practice=practice_a, name="Acme"),
        VendorFactory(practice=practice_a, name="Globex"),
    )
    idle = VendorFactory(practice=practice_a, name="Idle (only stopped contracts)")
    first, second = ClientFactory(practice=practice_a), ClientFactory(practice=practice_a)
    kinds = [
        (acme, first, {"billing_frequency": "monthly", "cost": "33.33", "quantity": 3}),
        (
            acme,
            first,
            {"billing_frequency": "quarterly", "cost": "1250.10", "auto_renew": False, "end_date": today},
        ),
        (
            acme,
            second,
            {"billing_frequency": "annual", "cost": "999.99", "auto_renew": False, "term_months": None},
        ),
        (acme, second, {"billing_frequency": "one_time", "cost": "5000.00"}),
        (acme, second, {"cost": "77.00", "status": "cancelled"}),
        (
            globex,
            first,
            {"cost": "12.34", "quantity": 7, "auto_renew": False, "end_date": today.replace(day=14)},
        ),
        (globex, second, {"billing_frequency": "monthly", "cost": "0.01", "quantity": 999}),
        (idle, first, {"cost": "10.00", "status": "expired"}),
    ]
    for vendor, client, fields in kinds:
        ContractFactory(practice=practice_a, client=client, vendor=vendor, **fields)
    ContractFactory(client=ClientFactory(practice=practice_b))  # another practice's: never counted

    annotated = figures(vendors_with_totals(practice=practice_a, today=today))
    read = figures(
        with_vendor_totals(list(Vendor.objects.for_practice(practice_a)), practice=practice_a, today=today)
    )
    assert read == annotated
    assert (
        read["Acme"][:2] == (4, 2)
        and read["Globex"][:2] == (1, 1)
        and read["Idle (only stopped contracts)"][:2] == (0, 0)
    )
    assert str(read["Acme"][2]) == "7200.27"  # 33.33×3×12 + 1250.10×4 + 999.99 + 0: two places

    # the directory reads its totals and each vendor's clients from one statement grouped by client
    plain = list(Vendor.objects.for_practice(practice_a))
    with CaptureQueriesContext(connection) as statements:
        directory = with_directory_figures(plain, practice=practice_a, today=today)
    assert figures(directory) == annotated
    assert len([q for q in statements.captured_queries if "vendors_contract" in q["sql"]]) == 1
    by_name = sorted([first, second], key=lambda c: (c.name, str(c.pk)))
    clients = {v.name: [(c.pk, c.name) for c in v.clients] for v in directory}
    assert clients["Acme"] == [(c.pk, c.name) for c in by_name]
    assert clients["Globex"] == [(second.pk, second.name)] and clients["Idle (only stopped contracts)"] == []
    # rows sorted by a total keep the totals they were read with and get their clients
    sorted_rows = list(vendors_with_totals(practice=practice_a, today=today).order_by("-annual_spend"))
    assert figures(with_directory_figures(sorted_rows, practice=practice_a, today=today)) == annotated
    assert [c.pk for c in sorted_rows[0].clients] == [c.pk for c in by_name]
