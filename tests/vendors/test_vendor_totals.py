"""A vendor's totals (running contracts, their clients, annualised spend) read two ways: as subqueries
of the list (`vendors_with_totals`, for a list sorted by them and one vendor) and, for a page sorted
otherwise, from one grouped query over the page's rows (`with_vendor_totals`). Both must say the same
on every surface: the directory, its CSV and the API."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.apikey_services import api_key_create
from accounts.demo import seed_practice
from accounts.models import Membership
from tests.factories import VendorFactory
from vendors.models import Vendor
from vendors.selectors import practice_today, vendors_with_totals, with_vendor_totals

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
