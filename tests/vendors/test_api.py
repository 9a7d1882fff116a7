"""The vendors API: CRUD of vendors, contracts and the relationship log; filters (client, vendor,
status, renewal window); computed renewal fields; isolation; roles; query counts."""

import json
from datetime import timedelta

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from tests.factories import ContractFactory, InteractionFactory, VendorFactory
from tests.vendors.conftest import due_in
from vendors.models import Contract, Interaction, Vendor
from vendors.selectors import practice_today

pytestmark = pytest.mark.django_db

VENDORS, CONTRACTS, INTERACTIONS = "/api/v1/vendors/", "/api/v1/contracts/", "/api/v1/interactions/"


def send(http, url, data, method="post"):
    return getattr(http, method)(
        url, json.dumps(data, cls=DjangoJSONEncoder), content_type="application/json"
    )


@pytest.fixture
def http_a(api, api_key_a):
    return api(api_key_a[1])


@pytest.fixture
def read_only_a(api, read_only_key_a):
    return api(read_only_key_a[1])


@pytest.fixture
def http_b(api, api_key_b):
    return api(api_key_b[1])


def _contract(client, vendor, **kw):
    data = {
        "client": str(client.pk),
        "vendor": str(vendor.pk),
        "name": "Microsoft 365 Business Premium",
        "start_date": "2026-01-31",
        "term_months": 12,
        "notice_days": 45,
        "billing_frequency": "monthly",
        "cost": "22.00",
        "quantity": 40,
    }
    data.update(kw)
    return data


def test_vendor_crud(http_a, practice_a):
    response = send(
        http_a, VENDORS, {"name": "Metro Fiber", "category": "isp", "website": "https://metro.example.com"}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["contract_count"], body["annual_spend"]) == (0, "0.00")
    vendor = Vendor.objects.get(pk=body["id"])
    assert vendor.practice_id == practice_a.pk
    assert send(http_a, f"{VENDORS}{vendor.pk}/", {"notes": "Fast"}, "patch").json()["notes"] == "Fast"
    assert send(http_a, VENDORS, {"name": "metro fiber", "category": "isp"}).status_code == 400
    assert http_a.delete(f"{VENDORS}{vendor.pk}/").status_code == 204
    assert not Vendor.objects.exists()


def test_contract_crud_with_computed_renewal_fields(http_a, practice_a, client_a1, owner_a):
    vendor = VendorFactory(practice=practice_a)

    response = send(http_a, CONTRACTS, _contract(client_a1, vendor, owner=str(owner_a.pk)))

    assert response.status_code == 201, response.json()
    body = response.json()
    contract = Contract.objects.get(pk=body["id"])
    assert contract.practice_id == practice_a.pk
    expected = contract.renewal(practice_today(practice_a))
    assert body["next_renewal"] == expected.next_renewal.isoformat()
    assert body["notice_deadline"] == (expected.next_renewal - timedelta(days=45)).isoformat()
    assert body["annual_cost"] == "10560.00" and body["cost"] == "22.00"
    assert body["state"] == "active" and body["expires_on"] is None

    body = send(http_a, f"{CONTRACTS}{contract.pk}/", {"status": "cancelled"}, "patch").json()
    assert body["status"] == "cancelled" and body["next_renewal"] is None and body["notice_deadline"] is None
    assert body["ended_on"] == practice_today(practice_a).isoformat()
    assert http_a.delete(f"{CONTRACTS}{contract.pk}/").status_code == 204


def test_a_vendor_of_another_practice_in_a_contract_is_a_400(http_a, practice_b, client_a1):
    foreign = VendorFactory(practice=practice_b, name="CANARY-Bravo-Vendor")
    response = send(http_a, CONTRACTS, _contract(client_a1, foreign))
    assert response.status_code == 400 and "vendor" in response.json()
    assert "CANARY" not in response.content.decode()
    mine = ContractFactory(client=client_a1)
    response = send(http_a, f"{CONTRACTS}{mine.pk}/", {"vendor": str(foreign.pk)}, "patch")
    assert response.status_code == 400
    assert not Contract.objects.filter(vendor=foreign).exists()


def test_a_client_of_another_practice_or_a_move_to_another_client_is_a_400(
    http_a, practice_a, client_a1, client_a2, canary_client_b
):
    vendor = VendorFactory(practice=practice_a)
    assert send(http_a, CONTRACTS, _contract(canary_client_b, vendor)).status_code == 400
    mine = ContractFactory(client=client_a1, vendor=vendor)
    response = send(http_a, f"{CONTRACTS}{mine.pk}/", {"client": str(client_a2.pk)}, "patch")
    assert response.status_code == 400 and "client" in response.json()
    assert Contract.objects.get(pk=mine.pk).client_id == client_a1.pk


def test_bad_contract_input_is_field_errors_never_500(http_a, practice_a, client_a1):
    vendor = VendorFactory(practice=practice_a)
    for overrides, field in [
        ({"cost": "-1"}, "cost"),
        ({"cost": "1.234"}, "cost"),
        ({"cost": "1e400"}, "cost"),
        ({"quantity": 0}, "quantity"),
        ({"start_date": "31/01/2026"}, "start_date"),
        ({"end_date": "2025-01-01", "term_months": None}, "end_date"),
        ({"end_date": "2027-01-01"}, "term_months"),
        ({"billing_frequency": "weekly"}, "billing_frequency"),
        ({"notice_days": 100000}, "notice_days"),
        ({"vendor": "not-a-uuid"}, "vendor"),
        ({"status": "paused"}, "status"),
    ]:
        response = send(http_a, CONTRACTS, {**_contract(client_a1, vendor), **overrides})
        assert response.status_code == 400, overrides
        assert field in response.json(), (overrides, response.json())
    assert not Contract.objects.exists()


def test_contract_filters(http_a, practice_a, client_a1, client_a2):
    metro = VendorFactory(practice=practice_a, name="Metro")
    other = VendorFactory(practice=practice_a, name="Other")
    soon = ContractFactory(client=client_a1, vendor=metro, name="Soon", **due_in(practice_a, 30))
    later = ContractFactory(client=client_a2, vendor=other, name="Later", **due_in(practice_a, 120))
    cancelled = ContractFactory(
        client=client_a1, vendor=metro, name="Cancelled", status="cancelled", **due_in(practice_a, 20)
    )

    def names(query):
        response = http_a.get(CONTRACTS + query)
        assert response.status_code == 200, response.json()
        return {r["name"] for r in response.json()["results"]}

    assert names(f"?client={client_a1.pk}") == {"Soon", "Cancelled"}
    assert names(f"?vendor={other.pk}") == {"Later"}
    assert names("?status=cancelled") == {"Cancelled"}
    assert names("?status=active&status=cancelled") == {"Soon", "Later", "Cancelled"}
    assert names("?renews_within_days=90") == {"Soon"}
    assert names("?renews_within_days=365") == {"Soon", "Later"}
    assert names(f"?renews_within_days=365&client={client_a2.pk}") == {"Later"}
    for bad in ("?renews_within_days=-1", "?renews_within_days=abc", "?renews_within_days=99999"):
        response = http_a.get(CONTRACTS + bad)
        assert response.status_code == 400 and "renews_within_days" in response.json(), bad
    assert soon.pk and later.pk and cancelled.pk


def test_filters_with_another_practices_ids_are_400(http_a, world):
    for query in (f"?vendor={world['b_vendor'].pk}", f"?client={world['b_contract'].client_id}"):
        response = http_a.get(CONTRACTS + query)
        assert response.status_code == 400 and "CANARY" not in response.content.decode()


def test_interaction_crud(http_a, practice_a, client_a1, owner_a):
    vendor = VendorFactory(practice=practice_a)
    contract = ContractFactory(client=client_a1, vendor=vendor)
    data = {
        "vendor": str(vendor.pk),
        "contract": str(contract.pk),
        "date": "2026-03-02",
        "kind": "review",
        "summary": "QBR with the AM",
        "who": str(owner_a.pk),
    }
    response = send(http_a, INTERACTIONS, data)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["client"] == str(client_a1.pk)  # from the contract
    entry = Interaction.objects.get(pk=body["id"])
    assert entry.practice_id == practice_a.pk
    other_vendor = VendorFactory(practice=practice_a)
    assert (
        send(http_a, f"{INTERACTIONS}{entry.pk}/", {"vendor": str(other_vendor.pk)}, "patch").status_code
        == 400
    )
    assert http_a.get(f"{INTERACTIONS}?vendor={vendor.pk}").json()["count"] == 1
    assert http_a.get(f"{INTERACTIONS}?kind=call").json()["count"] == 0
    assert http_a.delete(f"{INTERACTIONS}{entry.pk}/").status_code == 204


def test_vendor_with_contracts_cannot_be_deleted_through_the_api(http_a, world):
    response = http_a.delete(f"{VENDORS}{world['vendor'].pk}/")
    assert response.status_code == 400 and "still has 2 contracts" in response.json()["non_field_errors"][0]
    assert Vendor.objects.filter(pk=world["vendor"].pk).exists()


def test_another_practices_objects_are_404(http_a, http_b, world):
    for prefix, obj in (
        (VENDORS, world["b_vendor"]),
        (CONTRACTS, world["b_contract"]),
        (INTERACTIONS, world["b_log"]),
    ):
        assert http_a.get(f"{prefix}{obj.pk}/").status_code == 404
        assert send(http_a, f"{prefix}{obj.pk}/", {"name": "x"}, "patch").status_code == 404
        assert http_a.delete(f"{prefix}{obj.pk}/").status_code == 404
        listing = http_a.get(prefix)
        assert listing.status_code == 200 and "CANARY" not in listing.content.decode()
    # and the other way round
    assert http_b.get(f"{CONTRACTS}{world['a1'].pk}/").status_code == 404
    world["b_contract"].refresh_from_db()
    assert world["b_contract"].name == "CANARY-Bravo-Contract"


def test_a_read_only_key_reads_and_may_not_write(read_only_a, practice_a, client_a1, world):
    assert read_only_a.get(CONTRACTS).status_code == 200
    assert send(read_only_a, VENDORS, {"name": "New", "category": "isp"}).status_code == 403
    assert send(read_only_a, CONTRACTS, _contract(client_a1, world["vendor"])).status_code == 403
    assert (
        send(read_only_a, f"{CONTRACTS}{world['a1'].pk}/", {"status": "cancelled"}, "patch").status_code
        == 403
    )
    assert read_only_a.delete(f"{INTERACTIONS}{world['a1_log'].pk}/").status_code == 403
    assert Vendor.objects.filter(name="New").count() == 0
    assert Contract.objects.get(pk=world["a1"].pk).status == "active"
    assert Interaction.objects.filter(pk=world["a1_log"].pk).exists()


@pytest.mark.parametrize("prefix", [VENDORS, CONTRACTS, INTERACTIONS])
def test_list_queries_do_not_grow(prefix, http_a, practice_a, client_a1, owner_a, django_assert_num_queries):
    def grow(n):
        vendor = VendorFactory(practice=practice_a)
        for k in range(n):
            contract = ContractFactory(
                client=client_a1, vendor=vendor, owner=owner_a, **due_in(practice_a, 10 + k)
            )
            InteractionFactory(vendor=vendor, client=client_a1, contract=contract, who=owner_a)

    grow(3)
    target = prefix + "?renews_within_days=365" * (prefix == CONTRACTS)
    http_a.get(target)  # the key's first use of the minute records last_used_at
    with django_assert_num_queries(20, exact=False) as small:
        assert http_a.get(target).status_code == 200
    grow(30)
    with django_assert_num_queries(len(small.captured_queries)):
        response = http_a.get(target)
    assert response.status_code == 200 and response.json()["count"] == (2 if prefix == VENDORS else 33)
