"""seed_demo: a 30-standard library, and every demo client with one or two fitting frameworks, each
with a completed assessment and one in progress (varied answers, some overdue)."""

from collections import Counter

from django.utils import timezone

from accounts.demo import seed_practice
from compliance import summary_selectors
from compliance.models import Adoption, Assessment, Response, Standard, StandardFramework


def test_the_demo_assesses_every_client_against_fitting_frameworks(db):
    world, _ = seed_practice("Demo Compliance Practice")
    practice = world.practice
    (library,) = StandardFramework.objects.for_practice(practice)
    standards = Standard.objects.for_practice(practice).filter(framework=library)
    leaves = [s for s in standards if not standards.filter(parent=s).exists()]
    assert len(leaves) == 30
    assert {s.weight for s in leaves} == {"high", "medium", "low"}
    assert "Backups tested quarterly" in {s.title for s in leaves}

    adopted = {}
    for client in world.clients:
        adoptions = Adoption.objects.for_client(client).select_related("framework")
        assert 1 <= adoptions.count() <= 2, client.name
        adopted[client.industry] = {a.framework.slug if a.framework_id else "standards" for a in adoptions}
        for adoption in adoptions:
            statuses = Counter(
                Assessment.objects.for_practice(practice)
                .filter(adoption=adoption)
                .values_list("status", flat=True)
            )
            assert statuses["in_progress"] == 1 and statuses["completed"] >= 1, client.name
        summary = summary_selectors.client_compliance_summary(client=client)
        assert all(s.trend and s.percent is not None for s in summary)
    assert "hipaa-security-rule" in adopted["healthcare"]
    assert "nist-csf-2-0" in adopted["finance"]
    assert "nist-sp-800-171-r3" in adopted["manufacturing"]

    current = Response.objects.for_practice(practice).filter(assessment__is_current=True)
    assert len(set(current.values_list("status", flat=True))) == 5
    assert current.filter(
        due_date__lt=timezone.localdate(), status__in=["not_implemented", "partial"]
    ).exists()
    assert current.exclude(notes="").exists()
