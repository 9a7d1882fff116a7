"""seed_demo gives the practice a believable vendor directory and every client fitting contracts."""

from collections import Counter

from accounts.demo import seed_practice
from vendors.models import Contract, Interaction, Vendor
from vendors.selectors import client_contracts, practice_today


def test_demo_vendors_and_contracts(db):
    world, _ = seed_practice("Demo Vendors Practice")
    practice = world.practice
    today = practice_today(practice)
    vendors = Vendor.objects.for_practice(practice)
    assert 20 <= vendors.count() <= 30
    assert {"isp", "telecom", "cloud", "saas", "security", "msp", "hardware", "software"} <= set(
        vendors.values_list("category", flat=True)
    )
    assert vendors.filter(name__icontains="Microsoft CSP").exists()
    states = Counter()
    for client in world.clients:
        rows = client_contracts(client=client, state="all", today=today)
        assert 6 <= len(rows) <= 12, client.name
        assert any(c.info.in_notice_window for c in rows), client.name
        assert all(c.vendor.practice_id == practice.pk for c in rows)
        states.update(
            "window" if c.info.in_notice_window else "rolling" if c.info.rolling else c.info.state
            for c in rows
        )
    assert states["cancelled"] == 1 and states["rolling"] >= 2
    contracts = Contract.objects.for_practice(practice)
    assert contracts.filter(auto_renew=True, billing_frequency="annual").exists()
    assert contracts.filter(auto_renew=False).exists()
    assert Interaction.objects.for_practice(practice).count() >= 10
    # the practice's clients' industries shape their contracts
    assert contracts.filter(client__industry="legal", name__icontains="document management").exists()
    assert contracts.filter(client__industry="healthcare", name__icontains="practice management").exists()
