"""A client's Vendors tab reads its contracts' terms, its page's whole contracts and its latest
interactions through statements kept for any client (`vcio.kept`): for clients of two practices,
in turn, each answer is the ORM's, and only the client's own."""

import pytest

from tests.factories import ContractFactory, InteractionFactory
from vcio import kept
from vendors import selectors
from vendors.models import Contract, Interaction

from .conftest import due_in

pytestmark = pytest.mark.django_db


def orm_terms(client):
    return sorted(
        Contract.objects.filter(client=client).values_list("pk", "name", "vendor__name"),
        key=lambda r: str(r[0]),
    )


def test_each_clients_vendor_reads_are_its_own_and_the_orms(world, client_a1, client_a2, canary_client_b):
    vendor = world["vendor"]
    for n in range(3):
        ContractFactory(
            client=client_a2, vendor=vendor, name=f"A2 line {n}", **due_in(client_a2.practice, 90 + n)
        )
        InteractionFactory(vendor=vendor, client=client_a2, summary=f"A2 call {n}")
    ContractFactory(
        client=canary_client_b,
        vendor=world["b_vendor"],
        name="Bravo two",
        **due_in(canary_client_b.practice, 50),
    )
    InteractionFactory(vendor=world["b_vendor"], client=canary_client_b, summary="Bravo call")
    kept.KEPT.clear()
    for client in (client_a1, client_a2, canary_client_b, client_a1, client_a2):
        today = selectors.practice_today(client.practice)
        terms = selectors.client_contract_terms(client=client, today=today)
        assert sorted(((t.pk, t.name, t.vendor_name) for t in terms), key=lambda r: str(r[0])) == orm_terms(
            client
        )
        shown = terms[1:]  # a page: the client's contracts but its first
        whole = selectors.whole_contracts(client=client, rows=shown)
        assert [c.pk for c in whole] == [t.pk for t in shown]
        assert all(
            c.client_id == client.pk and c.vendor.name and c.info is t.info for c, t in zip(whole, shown)
        )
        # another client's contract named among the rows is not read
        stranger = Contract.objects.filter(practice=client.practice).exclude(client=client).first()
        if stranger is not None:
            assert selectors.whole_contracts(client=client, rows=[*shown, stranger]) == whole
        for limit in (2, 1):
            logs = selectors.client_interactions(client=client, limit=limit)
            orm_logs = list(
                Interaction.objects.filter(client=client).order_by("-date", "-created_at")[:limit]
            )
            assert [i.pk for i in logs] == [i.pk for i in orm_logs] and logs
            assert all(i.client_id == client.pk and i.vendor.name for i in logs)
    statements = {key[0]: value for key, value in kept.KEPT.items()}
    assert set(statements) == {"vendors.contract-terms", "vendors.whole", "vendors.interactions"}
    # kept, and used; but for the page of no contracts (an empty condition: the ORM answers none)
    assert [k for k, v in kept.KEPT.items() if v is None] == [
        k for k in kept.KEPT if k[0] == "vendors.whole" and k[-1] == 0
    ]
