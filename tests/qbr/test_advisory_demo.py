"""seed_demo gives the practice six advisories, targeted at fitting demo clients, and the demo QBR
reports show the ones for their client."""

from accounts.demo import seed_practice
from qbr.advisory_models import Advisory
from qbr.advisory_selectors import advisories_for_client


def test_demo_advisories(db):
    world, _ = seed_practice("Demo Advisories Practice")
    advisories = Advisory.objects.for_practice(world.practice)
    assert advisories.count() == 6
    assert advisories.filter(published_on__isnull=True).count() == 1
    hipaa = advisories.get(title__startswith="HIPAA Security Rule")
    assert hipaa.targeting == "industries" and hipaa.industry_list == ["healthcare"]
    by_name = {c.name: c for c in world.clients}
    dental = {a.title for a in advisories_for_client(client=by_name["Harbor Family Dental"])}
    legal = {a.title for a in advisories_for_client(client=by_name["Keystone Legal Group"])}
    assert hipaa.title in dental and hipaa.title not in legal
    assert any(t.startswith("Windows 10 end of support") for t in legal)
    assert not any(t.startswith("VMware") for t in dental | legal)  # a draft
    vmware = advisories.get(title__startswith="VMware")
    assert vmware.targeting == "clients" and vmware.client_links.exists()
